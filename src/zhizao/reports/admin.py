from django.contrib import admin

from zhizao.core.admin_base import ReadOnlyAdmin, ReadOnlyInline
from zhizao.reports.models import Publication, SectionText, Snapshot, SnapshotFigure


class SnapshotFigureInline(ReadOnlyInline):
    model = SnapshotFigure
    fields = ("code", "value", "unit", "records", "synthetic", "reason_zh")


@admin.register(Snapshot)
class SnapshotAdmin(ReadOnlyAdmin):
    list_display = ("region", "year", "state", "computed_at", "code_version", "created_by")
    list_filter = ("year", "state")
    inlines = (SnapshotFigureInline,)


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdmin):
    list_display = ("region", "year", "snapshot", "published_at", "published_by")
    list_filter = ("year",)


@admin.register(SectionText)
class SectionTextAdmin(ReadOnlyAdmin):
    list_display = ("region", "section", "language", "updated_at", "updated_by")
    list_filter = ("section", "language")
