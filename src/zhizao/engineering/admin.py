"""Staff console for engineering quality: read-only (changes go through the services)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from zhizao.engineering.models import Acceptance, Inspection, Project, ProjectHonour


class ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AcceptanceInline(ReadOnly, admin.TabularInline):
    model = Acceptance
    extra = 0


class InspectionInline(ReadOnly, admin.TabularInline):
    model = Inspection
    extra = 0


class HonourInline(ReadOnly, admin.TabularInline):
    model = ProjectHonour
    extra = 0


@admin.register(Project)
class ProjectAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ("name", "kind", "region", "builder", "completed_on", "is_synthetic")
    list_filter = ("kind", "is_synthetic")
    search_fields = ("name", "builder__name")
    list_select_related = ("region", "builder")
    inlines = (AcceptanceInline, InspectionInline, HonourInline)
