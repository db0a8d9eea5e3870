"""Staff console for the fund ledger: read-only, since every change goes through the services
(the totals and limits live there and in the database constraints)."""

from __future__ import annotations

from django.contrib import admin

from zhizao.core.admin_base import ReadOnlyAdmin
from zhizao.funds.models import FundApplication, FundGrant, FundPayment, FundProgramme


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
