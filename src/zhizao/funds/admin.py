"""Staff console for the fund ledger: read-only, since every change goes through the services
(the totals and limits live there and in the database constraints)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from zhizao.funds.models import FundApplication, FundGrant, FundPayment, FundProgramme


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(FundProgramme)
class FundProgrammeAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "kind", "level", "year", "budget", "granted_total")
    list_filter = ("kind", "level", "year", "is_synthetic")
    search_fields = ("code", "name", "name_en")


@admin.register(FundApplication)
class FundApplicationAdmin(ReadOnlyAdmin):
    list_display = ("programme", "organization", "project", "amount_requested", "status")
    list_filter = ("status", "programme__kind", "is_synthetic")
    list_select_related = ("programme", "organization")
    search_fields = ("organization__name", "project")


@admin.register(FundGrant)
class FundGrantAdmin(ReadOnlyAdmin):
    list_display = ("programme", "organization", "amount", "paid_total", "granted_on")
    list_filter = ("programme__kind", "is_synthetic")
    list_select_related = ("programme", "organization")
    search_fields = ("organization__name", "source_ref")


@admin.register(FundPayment)
class FundPaymentAdmin(ReadOnlyAdmin):
    list_display = ("voucher", "grant", "amount", "paid_on")
    list_select_related = ("grant__programme", "grant__organization")
    search_fields = ("voucher",)
