"""Staff console for the honours registry (株洲方阵).

Honours recorded by hand are added and corrected through ``services.create_honour`` and
``services.update_honour`` (bureau staff of the honour's city; the level follows from the kind)
and withdrawn through ``services.withdraw_honour`` (with a reason), never deleted here. Government
quality award honours are pushed in and out by the awards app with their published result
(``services.record_award_honour``): they are read-only here, and no honour of an award kind can
be added by hand.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from zhizao.core.admin_base import ServiceAdmin
from zhizao.core.models import User
from zhizao.registry import services
from zhizao.registry.choices import AWARD_KINDS
from zhizao.registry.models import Honour


class HonourAdminForm(forms.ModelForm[Honour]):
    class Meta:
        model = Honour
        fields = tuple(sorted(services.HONOUR_FIELDS))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") in AWARD_KINDS:
            self.add_error(
                "kind", _("Quality award honours are recorded from published award results.")
            )
        return data


@admin.register(Honour)
class HonourAdmin(ServiceAdmin):
    form = HonourAdminForm
    fields = (
        "kind",
        "year",
        "holder_kind",
        "holder_name",
        "organization",
        "person",
        "city",
        "evidence",
        "is_synthetic",
    )
    list_display = (
        "holder_name",
        "kind",
        "level",
        "year",
        "holder_kind",
        "city",
        "revoked_at",
        "is_synthetic",
    )
    list_filter = ("kind", "level", "holder_kind", "is_synthetic")
    search_fields = ("holder_name", "evidence", "organization__name", "person__name")
    list_select_related = ("city",)
    raw_id_fields = ("organization", "person", "city")

    def get_fields(self, request: HttpRequest, obj: Honour | None = None) -> Any:
        if obj is not None:
            return (*self.fields, "level", "revoked_at", "created_by", "created_at")
        return self.fields

    def get_readonly_fields(self, request: HttpRequest, obj: Honour | None = None) -> Any:
        if obj is not None:
            return ("level", "revoked_at", "created_by", "created_at")
        return ()

    def has_change_permission(self, request: HttpRequest, obj: Honour | None = None) -> bool:
        # An award's honour follows its award result: view only.
        return super().has_change_permission(request, obj) and not (obj and obj.is_award)

    def create_through_service(self, actor: User, data: dict[str, Any]) -> Honour:
        return services.create_honour(actor, data)

    def update_through_service(self, actor: User, obj: Honour, data: dict[str, Any]) -> Honour:
        return services.update_honour(actor, obj, data)
