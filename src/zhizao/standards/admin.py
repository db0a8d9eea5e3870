"""Staff console for the standards registry. The code's parts (level, body, kind, number, part,
year) follow from the code and are read-only; the code is parsed and normalised on save."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from zhizao.standards.models import CODE_PARTS, Standard, StandardDrafter


class StandardDrafterInline(admin.TabularInline):
    model = StandardDrafter
    extra = 0
    raw_id_fields = ("organization",)


@admin.register(Standard)
class StandardAdmin(SimpleHistoryAdmin):
    list_display = ("code", "title", "level", "status", "published_on", "implemented_on")
    list_filter = ("level", "kind", "status", "revision", "is_synthetic")
    search_fields = ("code", "code_key", "title", "title_en", "drafting_organizations")
    raw_id_fields = ("superseded_by",)
    readonly_fields = (*CODE_PARTS, "created_by", "created_at", "updated_at")
    inlines = (StandardDrafterInline,)
