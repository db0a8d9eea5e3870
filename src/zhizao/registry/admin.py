"""Staff console for the honours registry (株洲方阵).

Quality award honours come from published award results (``registry.services.
record_award_result``) and leave with their revocation: such honours are read-only here, and no
honour of an award kind can be added by hand. The level follows from the kind.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from zhizao.core.models import User
from zhizao.registry.choices import AWARD_KINDS, KIND_LEVEL
from zhizao.registry.models import Honour

DERIVED_FIELDS = ("level", "award_result", "revoked_at", "created_by", "created_at")


class HonourAdminForm(forms.ModelForm[Honour]):
    class Meta:
        model = Honour
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

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instance.award_result_id is None and data.get("kind") in AWARD_KINDS:
            self.add_error(
                "kind", _("Quality award honours are recorded from published award results.")
            )
        return data


@admin.register(Honour)
class HonourAdmin(SimpleHistoryAdmin):
    form = HonourAdminForm
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
    readonly_fields = DERIVED_FIELDS

    def get_readonly_fields(self, request: HttpRequest, obj: Honour | None = None) -> Any:
        if obj is not None and obj.award_result_id is not None:
            return tuple(field.name for field in Honour._meta.concrete_fields)
        return self.readonly_fields

    def save_model(self, request: HttpRequest, obj: Honour, form: Any, change: bool) -> None:
        if obj.kind in KIND_LEVEL:
            obj.level = KIND_LEVEL[obj.kind]
        if not change and isinstance(request.user, User):
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request: HttpRequest, obj: Honour | None = None) -> bool:
        # An award's honour leaves the registry only by revoking the award.
        return obj is None or obj.award_result_id is None
