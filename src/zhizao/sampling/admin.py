"""Staff console for supervision sampling. Labs and plans are edited here; batches, their
follow-up cases and early warnings are read-only, because their verdicts and steps come from
``sampling.services`` (the entry form, the import and the case page)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from zhizao.core.admin_base import ReadOnlyAdmin
from zhizao.sampling.models import (
    EarlyWarning,
    Lab,
    NonConformityCase,
    PlanCategory,
    SampledBatch,
    SamplingPlan,
    TestItem,
)


@admin.register(Lab)
class LabAdmin(SimpleHistoryAdmin):
    list_display = ("organization", "cma_number", "cnas_number", "is_synthetic")
    search_fields = ("organization__name", "cma_number", "cnas_number")
    raw_id_fields = ("organization",)


class PlanCategoryInline(admin.TabularInline):
    model = PlanCategory
    extra = 0


@admin.register(SamplingPlan)
class SamplingPlanAdmin(SimpleHistoryAdmin):
    list_display = ("title", "year", "domain", "level", "authority", "region", "is_synthetic")
    list_filter = ("year", "domain", "level", "is_synthetic")
    search_fields = ("title", "authority")
    raw_id_fields = ("region", "lab")
    readonly_fields = ("created_by", "created_at")
    inlines = (PlanCategoryInline,)

    def save_model(self, request: HttpRequest, obj: SamplingPlan, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)


class TestItemInline(admin.TabularInline):
    model = TestItem
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SampledBatch)
class SampledBatchAdmin(ReadOnlyAdmin):
    list_display = ("report_number", "product", "producer", "sampled_on", "verdict", "is_synthetic")
    list_filter = ("verdict", "plan__domain", "is_synthetic")
    search_fields = ("report_number", "product", "producer__name")
    list_select_related = ("producer",)
    inlines = (TestItemInline,)


@admin.register(NonConformityCase)
class NonConformityCaseAdmin(ReadOnlyAdmin):
    list_display = ("batch", "status", "due_on", "opened_at", "closed_at")
    list_filter = ("status",)
    list_select_related = ("batch",)


@admin.register(EarlyWarning)
class EarlyWarningAdmin(ReadOnlyAdmin):
    list_display = ("producer", "year", "failed_batches", "raised_at")
    list_select_related = ("producer",)
