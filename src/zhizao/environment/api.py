"""Environmental quality API: the published measurements (stations and their hours, a city's
daily AQI, annual evaluations, water sections and their samples) are public environmental
data; uploading hourly data is bureau staff's (the same import service as the upload page)."""

import datetime as dt
import math
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from zhizao.core.actors import request_actor
from zhizao.core.api_auth import api_auth, public_auth
from zhizao.core.api_errors import Errors, error_response
from zhizao.core.figures import find_region
from zhizao.core.figures_api import check_year
from zhizao.core.models import Region
from zhizao.core.pagination import BoundedPagination
from zhizao.core.permissions import is_staff_user
from zhizao.environment import evaluation, services
from zhizao.environment.choices import HourLabel
from zhizao.environment.filters import filter_hours, filter_sections, filter_stations
from zhizao.environment.models import AirHour, CityAirDay, Station, WaterSample, WaterSection
from zhizao.indicators.air_eval import PeriodEvaluation

router = Router(tags=["environment"])

MAX_HOUR_RANGE_DAYS = 366
"""A station-hours request covers at most this many days (and is paged, 500 hours a page)."""


class StationOut(Schema):
    code: str
    name: str
    name_en: str
    level: str
    district: str = Field(alias="region.code")
    district_name: str = Field(alias="region.name")
    latitude: float
    longitude: float
    active_from: dt.date
    active_to: dt.date | None
    time_zone: str
    is_synthetic: bool


class StationFilters(Schema):
    district: str = ""
    q: str = ""


class HourOut(Schema):
    day: dt.date
    hour: int = Field(description="The hour the mean starts at (0–23), local time.")
    label: str = Field(description="The hour as the national platform labels it (by its end).")
    so2: float | None
    no2: float | None
    pm10: float | None
    pm2_5: float | None
    co: float | None
    o3: float | None
    flag: str
    is_synthetic: bool


class HourRange(Schema):
    start: dt.date
    end: dt.date = Field(description="Last day, inclusive.")


class CityDayOut(Schema):
    day: dt.date
    valid: bool
    aqi: int | None
    level: int
    primary: list[str]
    edition: str
    so2: float | None
    no2: float | None
    pm10: float | None
    pm2_5: float | None
    co: float | None
    o3_8h: float | None
    o3_1h: float | None
    stations: int
    missing: list[str]
    is_synthetic: bool

    @staticmethod
    def resolve_primary(obj: CityAirDay) -> list[str]:
        return [key for key in obj.primary.split(",") if key]

    @staticmethod
    def resolve_missing(obj: CityAirDay) -> list[str]:
        return [key for key in obj.missing.split(",") if key]


class ValidityOut(Schema):
    valid_days: int
    required_days: int
    short_months: list[int]
    meets: bool


class AttainmentOut(Schema):
    attains: bool | None
    reason: str | None


class EvaluationOut(Schema):
    """A year's evaluation by the engine (HJ 663 / HJ 633 / GB 3095): concentrations in µg/m³
    (CO mg/m³; ``co_p95`` 95th percentile of daily means, ``o3_8h_p90`` 90th percentile of
    MDA8), unrounded; ``composite_index`` rounded per GB/T 8170 (two decimals), null with
    ``composite_reason`` when a pollutant is missing."""

    year: int
    start: dt.date
    end: dt.date
    stations: int
    station_hours: int
    valid_days: int
    good_days: int
    polluted_days: int
    good_day_ratio: float | None
    concentrations: dict[str, float | None]
    percentiles: dict[str, float | None]
    composite_index: float | None
    composite_primary: list[str]
    composite_reason: str | None
    exceedance_days: dict[str, int]
    validity: dict[str, ValidityOut]
    attainment: dict[str, AttainmentOut]
    editions: list[str]
    notes: list[str]


class SectionOut(Schema):
    code: str
    name: str
    name_en: str
    water_body: str
    kind: str
    is_lake: bool
    target_class: int
    region: str = Field(alias="region.code")
    is_synthetic: bool


class SampleOut(Schema):
    sampled_on: dt.date
    values: dict[str, str]
    water_class: int
    class_label: str
    determined_by: list[str]
    exceeding: dict[str, Any]
    meets_target: bool
    supplementary_pass: bool | None
    is_synthetic: bool


class ImportOut(Schema):
    id: int
    file_name: str
    rows: int
    replaced: int
    sha256: str
    hour_label: str


def _number(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def _evaluation_out(evaluated: evaluation.Evaluated | None, year: int) -> dict[str, Any] | None:
    if evaluated is None:
        return None
    found: PeriodEvaluation = evaluated.evaluation
    composite = found.composite
    return {
        "year": year,
        "start": found.start,
        "end": found.end,
        "stations": len(evaluated.stations),
        "station_hours": evaluated.hours,
        "valid_days": found.valid_days,
        "good_days": found.good_days,
        "polluted_days": found.polluted_days,
        "good_day_ratio": _number(found.good_day_ratio_rounded()),
        "concentrations": {k: _number(v) for k, v in found.concentrations.items()},
        "percentiles": {k: _number(v) for k, v in found.percentiles.items()},
        "composite_index": _number(composite.rounded()),
        "composite_primary": composite.primary,
        "composite_reason": composite.reason,
        "exceedance_days": found.exceedance_days,
        "validity": {
            key: {
                "valid_days": check.valid_days,
                "required_days": check.required_days,
                "short_months": check.short_months,
                "meets": check.meets,
            }
            for key, check in found.validity.items()
        },
        "attainment": {
            key: {"attains": item.attains, "reason": item.reason}
            for key, item in found.attainment.items()
        },
        "editions": found.editions,
        "notes": found.notes,
    }


def _city(code: str) -> Region:
    region = find_region(code)
    if region is None or region.level != "city":
        raise Http404
    return region


def _no_data(year: int) -> HttpError:
    return HttpError(404, _("No air-quality data for %(year)s.") % {"year": year})


# --- stations and their hours ---------------------------------------------------------------


@router.get("/stations", response=list[StationOut], auth=public_auth)
@paginate(BoundedPagination)
def stations(request: HttpRequest, filters: Query[StationFilters]) -> QuerySet[Station]:
    """Air monitoring stations, by code; ``district`` (GB/T 2260 code: the district or city and
    below), ``q`` (code or name)."""
    return filter_stations(Station.objects.select_related("region"), filters.dict())


@router.get("/stations/{code}", response=StationOut, auth=public_auth)
def station(request: HttpRequest, code: str) -> Station:
    found: Station = get_object_or_404(Station.objects.select_related("region"), code=code)
    return found


@router.get("/stations/{code}/hours", response=list[HourOut], auth=public_auth)
@paginate(BoundedPagination)
def station_hours(request: HttpRequest, code: str, dates: Query[HourRange]) -> QuerySet[AirHour]:
    """A station's hours from ``start`` to ``end`` (inclusive, at most 366 days), in time
    order, paged. Values of hours not flagged valid are as the platform sent them."""
    found = get_object_or_404(Station, code=code)
    if dates.end < dates.start:
        raise HttpError(422, _("The end date is before the start date."))
    if (dates.end - dates.start).days + 1 > MAX_HOUR_RANGE_DAYS:
        raise HttpError(
            422, _("Ask for at most %(days)s days at a time.") % {"days": MAX_HOUR_RANGE_DAYS}
        )
    hours = AirHour.objects.filter(station=found)
    return filter_hours(hours, {"start": dates.start, "end": dates.end}).order_by("day", "hour")


@router.get("/stations/{code}/evaluation", response=EvaluationOut, auth=public_auth)
def station_evaluation(request: HttpRequest, code: str, year: int) -> dict[str, Any]:
    """A station's annual evaluation by the engine (the station as a city of one station)."""
    check_year(year)
    found = get_object_or_404(Station, code=code)
    result = _evaluation_out(evaluation.station_year(found, year), year)
    if result is None:
        raise _no_data(year)
    return result


# --- cities -----------------------------------------------------------------------------------


@router.get("/cities/{city}/days", response=list[CityDayOut], auth=public_auth)
def city_days(request: HttpRequest, city: str, year: int) -> QuerySet[CityAirDay]:
    """The city's daily AQI series for a year (HJ 633 daily AQI of the HJ 663 city values,
    the edition in force on each day), as the air page's calendar shows it."""
    check_year(year)
    return CityAirDay.objects.filter(city=_city(city), day__year=year).order_by("day")


@router.get("/cities/{city}/evaluation", response=EvaluationOut, auth=public_auth)
def city_evaluation(request: HttpRequest, city: str, year: int) -> dict[str, Any]:
    """The city's annual evaluation (city daily value = mean over its valid stations)."""
    check_year(year)
    result = _evaluation_out(evaluation.city_year(_city(city), year), year)
    if result is None:
        raise _no_data(year)
    return result


# --- water ------------------------------------------------------------------------------------


@router.get("/sections", response=list[SectionOut], auth=public_auth)
@paginate(BoundedPagination)
def sections(request: HttpRequest, filters: Query[StationFilters]) -> QuerySet[WaterSection]:
    """Water monitoring sections and drinking-water sources; ``district``, ``q`` as for
    stations."""
    return filter_sections(WaterSection.objects.select_related("region"), filters.dict())


@router.get("/sections/{code}", response=SectionOut, auth=public_auth)
def section(request: HttpRequest, code: str) -> WaterSection:
    found: WaterSection = get_object_or_404(
        WaterSection.objects.select_related("region"), code=code
    )
    return found


@router.get("/sections/{code}/samples", response=list[SampleOut], auth=public_auth)
@paginate(BoundedPagination)
def section_samples(
    request: HttpRequest, code: str, year: int | None = None
) -> QuerySet[WaterSample]:
    """A section's samples with the engine's GB 3838 class, newest first; ``year`` narrows."""
    check_year(year)
    found = get_object_or_404(WaterSection, code=code)
    samples = WaterSample.objects.filter(section=found).select_related("section")
    if year is not None:
        samples = samples.filter(sampled_on__year=year)
    return samples.order_by("-sampled_on")


# --- upload -----------------------------------------------------------------------------------


@router.post("/uploads", response={201: ImportOut}, auth=api_auth)
def upload(
    request: HttpRequest,
    file: File[UploadedFile | None] = None,
    hour_label: Form[HourLabel] = HourLabel.END,
) -> Status[Any] | HttpResponse:
    """Import hourly air data (CSV or XLSX in the national platform's layout, see
    docs/environment.md), all or nothing: bureau staff of every station's district. A refused
    file saves nothing and answers 400 with every bad row: ``errors`` by column, each message
    starting with its spreadsheet row."""
    actor = request_actor(request)
    if not is_staff_user(actor):
        raise PermissionDenied(_("Only bureau staff import air-quality data."))
    if file is None:
        return error_response(
            400, _("The file was refused: nothing was saved."), {"file": [_("Choose a file.")]}
        )
    outcome = services.import_air_hours(
        actor, file, file_name=file.name or "upload.csv", hour_label=str(hour_label)
    )
    if not outcome.ok or outcome.batch is None:
        errors: Errors = {}
        for error in outcome.errors:
            message = _("Row %(row)s: %(message)s") % {
                "row": error["row"],
                "message": error["message"],
            }
            errors.setdefault(str(error["column"]), []).append(message)
        return error_response(400, _("The file was refused: nothing was saved."), errors)
    batch = outcome.batch
    return Status(
        201,
        {
            "id": batch.pk,
            "file_name": batch.file_name,
            "rows": batch.rows,
            "replaced": batch.replaced,
            "sha256": batch.sha256,
            "hour_label": batch.hour_label,
        },
    )
