"""Pages of environmental quality: the public air page (calendar of daily AQI, composite-index
trend, changes against the base year, each figure linking to its drill-down), a day's
station-hours, the public water page; for bureau staff the data completeness page and the
hourly-data upload. Every figure shown comes from the registry (``environment/indicators.py``)
or the engine's evaluation (``environment/evaluation.py``)."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Min, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from zhizao.core import figures
from zhizao.core.actors import request_actor
from zhizao.core.filters import active_filters
from zhizao.core.models import Region
from zhizao.core.permissions import is_staff_user
from zhizao.environment import evaluation, importing, permissions, services
from zhizao.environment.choices import HourFlag
from zhizao.environment.filters import filter_hours, filter_stations
from zhizao.environment.forms import AirUploadForm, CompletenessFilterForm
from zhizao.environment.indicators import BASE_YEAR, POLLUTANT_FIGURES, PUBLISHED_SECTIONS
from zhizao.environment.models import AirHour, CityAirDay, Station, WaterSection
from zhizao.indicators.air import level_info

DEFAULT_CITY = "430200"
CLASS_LABELS = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "劣V"}
AIR_CODES = (
    "air.good_days",
    "air.valid_days",
    "air.good_day_ratio",
    "air.good_day_ratio.change_vs_2013",
    "air.composite_index",
    *(f"air.{key}" for key in POLLUTANT_FIGURES),
)


def _city(request: HttpRequest) -> Region:
    code = request.GET.get("city", DEFAULT_CITY)
    city = figures.find_region(code)
    if city is None:
        raise Http404(_("Unknown city."))
    return city


def _years(city: Region) -> list[int]:
    bounds = CityAirDay.objects.filter(city=city).aggregate(first=Min("day"), last=Max("day"))
    if bounds["first"] is None:
        return []
    return list(range(bounds["first"].year, bounds["last"].year + 1))


def _year(request: HttpRequest, years: list[int]) -> int:
    try:
        year = int(request.GET.get("year", years[-1] if years else dt.date.today().year))
    except ValueError:
        raise Http404(_("Unknown year.")) from None
    return year


@require_GET
def air(request: HttpRequest) -> HttpResponse:
    city = _city(request)
    years = _years(city)
    year = _year(request, years)
    shown = [figures.get(code) for code in AIR_CODES]
    rows = [(indicator, indicator.compute(city, year)) for indicator in shown if indicator]
    days = list(
        CityAirDay.objects.filter(city=city, day__year=year)
        .order_by("day")
        .values("day", "aqi", "valid", "level", "primary")
    )
    calendar_data = [[d["day"].isoformat(), d["aqi"] if d["valid"] else None] for d in days]
    trend = []
    for each in years:
        found = evaluation.city_year(city, each)
        if found is not None:
            index = found.evaluation.composite
            trend.append(
                [each, None if index.reason else index.rounded(2), found.evaluation.good_days]
            )
    changes = []
    if year != BASE_YEAR:
        for key, (zh, en, _stat, _unit, _nd) in POLLUTANT_FIGURES.items():
            indicator = figures.get(f"air.{key}.change_vs_2013")
            if indicator is not None:
                changes.append(
                    (
                        zh if request.LANGUAGE_CODE.startswith("zh") else en,
                        indicator.compute(city, year),
                        indicator,
                    )
                )
    months = [
        {
            "month": month,
            "good": found.good_days,
            "valid": found.valid_days,
            "ratio": found.good_day_ratio_rounded(1) if found.valid_days else None,
            "composite": None if found.composite.reason else found.composite.rounded(2),
        }
        for month, found in evaluation.city_month_series(city, year).items()
    ]
    synthetic = any(figure.synthetic for _i, figure in rows)
    levels = [level_info(level) for level in range(1, 7)]
    return render(
        request,
        "environment/air.html",
        {
            "city": city,
            "year": year,
            "years": years,
            "rows": rows,
            "calendar": {"year": year, "days": calendar_data},
            "trend": trend,
            "changes": changes,
            "months": months,
            "base_year": BASE_YEAR,
            "synthetic": synthetic,
            "levels": levels,
            "days_url": figures.get("air.good_days").url(city, year),  # type: ignore[union-attr]
        },
    )


@require_GET
def air_day(request: HttpRequest, city: str, day: str) -> HttpResponse:
    region = figures.find_region(city)
    if region is None:
        raise Http404(_("Unknown city."))
    try:
        date = dt.date.fromisoformat(day)
    except ValueError:
        raise Http404(_("Unknown date.")) from None
    city_day = CityAirDay.objects.filter(city=region, day=date).first()
    stations = evaluation.city_stations(region, date, date)
    hours = (
        AirHour.objects.filter(station__in=stations, day=date)
        .select_related("station")
        .order_by("station__code", "hour")
    )
    return render(
        request,
        "environment/air_day.html",
        {
            "city": region,
            "date": date,
            "city_day": city_day,
            "hours": hours,
            "level": level_info(city_day.level) if city_day and city_day.level else None,
        },
    )


@login_required
@require_GET
def completeness(request: HttpRequest) -> HttpResponse:
    """Staff: valid hours per station and month, and the city days that failed validity."""
    cities = permissions.completeness_cities(request.user)
    if not cities:
        raise PermissionDenied(_("Only bureau staff see data completeness."))
    city = (
        _city(request)
        if "city" in request.GET
        else next((c for c in cities if c.code == DEFAULT_CITY), cities[0])
    )
    if city not in cities:
        raise PermissionDenied(_("Only bureau staff of this city see its data completeness."))
    years = _years(city)
    year = _year(request, years)
    all_stations = evaluation.city_stations(city, dt.date(year, 1, 1), dt.date(year, 12, 31))
    form = CompletenessFilterForm(request.GET, city=city, stations=all_stations)
    chosen: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    stations = list(
        filter_stations(Station.objects.filter(pk__in=[s.pk for s in all_stations]), chosen)
        .select_related("region")
        .order_by("code")
    )
    month_numbers = [chosen["month"]] if chosen.get("month") else list(range(1, 13))
    counts = (
        filter_hours(AirHour.objects.filter(station__in=stations, day__year=year), chosen)
        .values("station_id", "day__month")
        .annotate(valid=Count("pk", filter=Q(flag=HourFlag.VALID)), total=Count("pk"))
    )
    table: dict[tuple[int, int], tuple[int, int]] = {
        (c["station_id"], c["day__month"]): (c["valid"], c["total"]) for c in counts
    }
    rows = []
    for station in stations:
        cells = []
        for month in month_numbers:
            hours = calendar.monthrange(year, month)[1] * 24
            valid, _total = table.get((station.pk, month), (0, 0))
            cells.append({"valid": valid, "share": round(valid / hours * 100, 1)})
        rows.append((station, cells))
    failed = CityAirDay.objects.filter(city=city, day__year=year, valid=False).order_by("day")
    if chosen.get("month"):
        failed = failed.filter(day__month=chosen["month"])
    return render(
        request,
        "environment/completeness.html",
        {
            "city": city,
            "year": year,
            "years": years,
            "rows": rows,
            "months": [dt.date(year, month, 1) for month in month_numbers],
            "failed": failed,
            "form": form,
            "chips": active_filters(form, request.GET),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    """Staff: import hourly air data (CSV or XLSX, the national platform's layout)."""
    if not is_staff_user(request.user):
        raise PermissionDenied(_("Only bureau staff import air-quality data."))
    outcome = None
    form = AirUploadForm()
    if request.method == "POST":
        form = AirUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            outcome = importing.ImportOutcome(
                False,
                errors=[
                    {"row": 1, "column": name, "message": message}
                    for name, messages in form.errors.items()
                    for message in messages
                ],
            )
        else:
            upload_file = form.cleaned_data["file"]
            outcome = services.import_air_hours(
                request_actor(request),
                upload_file,
                file_name=upload_file.name or "upload.csv",
                hour_label=form.cleaned_data["hour_label"],
            )
    return render(
        request,
        "environment/upload.html",
        {
            "form": form,
            "outcome": outcome,
            "headers_en": importing.HEADERS_EN,
            "headers_zh": importing.HEADERS_ZH,
        },
    )


@require_GET
def water(request: HttpRequest) -> HttpResponse:
    city = _city(request)
    latest = figures.get("water.sections_meeting_target")
    year_default = (
        latest.latest(city) if latest and latest.latest else None
    ) or dt.date.today().year
    try:
        year = int(request.GET.get("year", year_default))
    except ValueError:
        raise Http404(_("Unknown year.")) from None
    codes = [
        *(f"water.{code}.class" for code in PUBLISHED_SECTIONS),
        "water.sections_meeting_target",
        "water.drinking_source_compliance",
        "water.tap_pass_rate",
        "water.tap_treated_pass_rate",
        "water.tap_network_pass_rate",
        "water.effluent_pass_rate",
    ]
    rows: list[tuple[Any, Any, Any]] = []
    for code in codes:
        indicator = figures.get(code)
        if indicator is not None:
            figure = indicator.compute(city, year)
            shown: object = figure.value
            if code.endswith(".class") and isinstance(figure.value, int):
                shown = CLASS_LABELS.get(figure.value, figure.value)
            rows.append((indicator, figure, shown))
    sections = WaterSection.objects.filter(region__path__startswith=city.path).order_by("code")
    return render(
        request,
        "environment/water.html",
        {
            "city": city,
            "year": year,
            "rows": rows,
            "sections": sections,
            "synthetic": any(f.synthetic for _i, f, _v in rows),
        },
    )
