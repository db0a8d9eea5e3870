"""Read-only admin views of templates and assessments: every change goes through the services
(the assessment pages and ``zhizao demo``), each audited."""

from __future__ import annotations

from django.contrib import admin

from zhizao.assessment.models import Assessment, AssessmentDocument, AssessmentTemplate, Item
from zhizao.core.admin_base import ReadOnlyAdmin, ReadOnlyInline


class ItemInline(ReadOnlyInline):
    model = Item
    fields = ("number", "title_zh", "points")


@admin.register(AssessmentTemplate)
class AssessmentTemplateAdmin(ReadOnlyAdmin):
    list_display = ("year", "name", "is_demo", "created_at")
    list_filter = ("year", "is_demo")
    inlines = (ItemInline,)


class DocumentInline(ReadOnlyInline):
    model = AssessmentDocument
    fields = ("item", "kind", "original_name", "size", "uploaded_by", "uploaded_at")


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ("region", "template", "snapshot", "created_at")
    list_select_related = ("region", "template", "snapshot")
    inlines = (DocumentInline,)
