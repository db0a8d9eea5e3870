"""Staff console for environmental quality. Stations and sections are registered through their
services (``create_station``, ``create_section``: the region check and the history user); the
hours, imports, daily results and samples are read-only, because they come from the import
and the recording services (the upload page, the API, the demo)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model

from zhizao.core.admin_base import ReadOnlyAdmin, ServiceAdmin
from zhizao.core.models import User
from zhizao.environment import services
from zhizao.environment.models import (
    AirHour,
    AirHourRevision,
    AirImport,
    CityAirDay,
    EffluentSample,
    Station,
    StationAirDay,
    TapWaterSample,
    WaterSample,
    WaterSection,
)


@admin.register(Station)
class StationAdmin(ServiceAdmin):
    list_display = ("code", "name", "level", "region", "active_from", "active_to", "is_synthetic")
    list_filter = ("level", "is_synthetic")
    search_fields = ("code", "name", "name_en")
    list_select_related = ("region",)
    raw_id_fields = ("region",)

    def create_through_service(self, actor: User, data: dict[str, Any]) -> Model:
        return services.create_station(actor, **data)


@admin.register(WaterSection)
class WaterSectionAdmin(ServiceAdmin):
    list_display = ("code", "name", "water_body", "kind", "target_class", "region", "is_synthetic")
    list_filter = ("kind", "is_lake", "is_synthetic")
    search_fields = ("code", "name", "water_body")
    list_select_related = ("region",)
    raw_id_fields = ("region",)

    def create_through_service(self, actor: User, data: dict[str, Any]) -> Model:
        return services.create_section(actor, **data)


@admin.register(AirImport)
class AirImportAdmin(ReadOnlyAdmin):
    list_display = ("file_name", "uploaded_by", "uploaded_at", "rows", "replaced", "source")
    list_filter = ("source", "hour_label", "is_synthetic")
    search_fields = ("file_name", "sha256")
    list_select_related = ("uploaded_by",)


@admin.register(AirHour)
class AirHourAdmin(ReadOnlyAdmin):
    list_display = ("station", "day", "hour", "pm2_5", "pm10", "o3", "flag", "is_synthetic")
    list_filter = ("flag", "is_synthetic")
    search_fields = ("station__code",)
    date_hierarchy = "day"
    list_select_related = ("station",)
    show_full_result_count = False  # millions of rows: no COUNT(*) of the whole table


@admin.register(AirHourRevision)
class AirHourRevisionAdmin(ReadOnlyAdmin):
    list_display = ("station", "day", "hour", "flag", "replaced_by", "previous_import")
    search_fields = ("station__code",)
    list_select_related = ("station", "replaced_by", "previous_import")


@admin.register(StationAirDay)
class StationAirDayAdmin(ReadOnlyAdmin):
    list_display = ("station", "day", "pm2_5", "pm10", "o3_8h", "valid_hours", "is_synthetic")
    search_fields = ("station__code",)
    date_hierarchy = "day"
    list_select_related = ("station",)
    show_full_result_count = False


@admin.register(CityAirDay)
class CityAirDayAdmin(ReadOnlyAdmin):
    list_display = ("city", "day", "aqi", "level", "primary", "valid", "stations")
    list_filter = ("valid", "level", "edition", "is_synthetic")
    date_hierarchy = "day"
    list_select_related = ("city",)


@admin.register(WaterSample)
class WaterSampleAdmin(ReadOnlyAdmin):
    list_display = ("section", "sampled_on", "water_class", "supplementary_pass", "is_synthetic")
    list_filter = ("water_class", "is_synthetic")
    search_fields = ("section__code", "section__name")
    list_select_related = ("section",)


@admin.register(TapWaterSample)
class TapWaterSampleAdmin(ReadOnlyAdmin):
    list_display = ("site", "kind", "region", "sampled_on", "passes", "is_synthetic")
    list_filter = ("kind", "passes", "is_synthetic")
    search_fields = ("site",)
    list_select_related = ("region",)


@admin.register(EffluentSample)
class EffluentSampleAdmin(ReadOnlyAdmin):
    list_display = ("plant", "region", "sampled_on", "passes", "is_synthetic")
    list_filter = ("passes", "is_synthetic")
    search_fields = ("plant",)
    list_select_related = ("region",)
