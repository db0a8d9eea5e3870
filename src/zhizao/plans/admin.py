"""Read-only admin views of plans and submissions: every change goes through the services
(the pages and ``zhizao demo``), so the admin cannot bypass the review and the lock."""

from __future__ import annotations

from django.contrib import admin

from zhizao.core.admin_base import ReadOnlyAdmin
from zhizao.plans.models import DataSet, Plan, Submission, Task


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "level", "issuing_body", "start_year", "end_year")


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ("title", "lead_department", "deadline", "status")
    list_select_related = ("lead_department",)


@admin.register(DataSet)
class DataSetAdmin(ReadOnlyAdmin):
    list_display = ("name", "department", "period_type", "due_days")
    list_select_related = ("department",)


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ("data_set", "period", "status", "submitted_at", "reviewed_at")
    list_select_related = ("data_set",)
    list_filter = ("status",)
