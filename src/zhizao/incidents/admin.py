"""Staff console for incidents: read-only, since grades, handling and closure are recorded
through ``incidents.services`` (the incident page), each audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from zhizao.incidents.models import Incident, IncidentParty


class PartyInline(admin.TabularInline):
    model = IncidentParty
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Incident)
class IncidentAdmin(SimpleHistoryAdmin):
    list_display = (
        "occurred_on",
        "title",
        "domain",
        "suggested_grade",
        "grade",
        "status",
        "is_synthetic",
    )
    list_filter = ("domain", "grade", "status", "is_synthetic")
    search_fields = ("title",)
    list_select_related = ("region",)
    inlines = (PartyInline,)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
