"""Staff console: rollup figures are written by ``services.store_rollup`` only (read-only here)."""

from django.contrib import admin

from zhizao.core.admin_base import ReadOnlyAdmin
from zhizao.rollups.models import RollupFigure


@admin.register(RollupFigure)
class RollupFigureAdmin(ReadOnlyAdmin):
    list_display = ("dataset", "measure", "level", "region_code", "year", "month", "category")
    list_filter = ("dataset", "measure", "level", "year")
    search_fields = ("region_code",)
