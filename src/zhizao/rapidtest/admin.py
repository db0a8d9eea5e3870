"""Staff console for rapid testing (快检).

The catalogue and the test rooms' settings are edited here. Test records, their corrections,
imports and follow-up cases change only through the services (``record_test_result``,
``correct_test_record``, ``delete_test_record``, ``import_test_records``, ``update_case``,
``close_case``), which keep the rollups and the audit trail right: here they are read-only.
"""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from zhizao.core.admin_base import ReadOnlyMixin
from zhizao.rapidtest.models import (
    FollowUpCase,
    ImportBatch,
    MarketProfile,
    Product,
    RecordCorrection,
    RoomQuota,
    Stall,
    TestItem,
    TestRecord,
)


@admin.register(MarketProfile)
class MarketProfileAdmin(SimpleHistoryAdmin):
    list_display = (
        "organization",
        "has_test_room",
        "test_room_since",
        "opens_at",
        "closes_at",
        "instrument_only",
        "evidence_required",
    )
    list_filter = ("has_test_room", "instrument_only", "evidence_required", "organization__kind")
    search_fields = ("organization__name",)
    list_select_related = ("organization",)
    raw_id_fields = ("organization",)


@admin.register(Stall)
class StallAdmin(SimpleHistoryAdmin):
    list_display = ("booth_number", "market", "operator_name", "operator_code")
    search_fields = ("booth_number", "operator_name", "market__name")
    list_select_related = ("market",)
    raw_id_fields = ("market",)


@admin.register(Product)
class ProductAdmin(SimpleHistoryAdmin):
    list_display = ("name", "name_en", "category")
    list_filter = ("category",)
    search_fields = ("name", "name_en")


@admin.register(TestItem)
class TestItemAdmin(SimpleHistoryAdmin):
    list_display = ("name", "category", "method_code", "direction", "threshold", "unit")
    list_filter = ("category", "direction")
    search_fields = ("name", "name_en", "method_code")


@admin.register(RoomQuota)
class RoomQuotaAdmin(SimpleHistoryAdmin):
    list_display = ("market", "category", "period", "batches")
    list_filter = ("period", "category")
    search_fields = ("market__name",)
    list_select_related = ("market",)
    raw_id_fields = ("market",)


@admin.register(FollowUpCase)
class FollowUpCaseAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    """Cases are opened by a failed test and updated or closed by the services."""

    list_display = (
        "__str__",
        "market",
        "status",
        "opened_at",
        "due_at",
        "disposed_at",
        "lab_result",
        "closed_at",
    )
    list_filter = ("status", "lab_result", "supplier_traced")
    search_fields = ("market__name", "trace_note", "closing_note")
    list_select_related = ("market",)
    date_hierarchy = "opened_at"


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyMixin, admin.ModelAdmin[ImportBatch]):
    list_display = ("file_name", "uploaded_at", "uploaded_by", "rows", "source", "is_synthetic")
    list_filter = ("source", "is_synthetic")
    search_fields = ("file_name", "sha256")
    list_select_related = ("uploaded_by",)


@admin.register(RecordCorrection)
class RecordCorrectionAdmin(ReadOnlyMixin, admin.ModelAdmin[RecordCorrection]):
    list_display = ("record_id", "action", "market", "actor", "at", "reason")
    list_filter = ("action",)
    search_fields = ("=record_id", "reason")
    list_select_related = ("market", "actor")


@admin.register(TestRecord)
class TestRecordAdmin(ReadOnlyMixin, admin.ModelAdmin[TestRecord]):
    """1.1 million rows: no full count, no free-text search, filters on indexed or cheap
    columns, and records change only through the services."""

    list_display = (
        "tested_at",
        "market",
        "product",
        "item",
        "value",
        "passed",
        "source",
        "tester_name",
    )
    list_filter = ("market__kind", "passed", "source")
    date_hierarchy = "tested_at"
    show_full_result_count = False
    list_select_related = ("market", "product", "item")
    list_per_page = 50
