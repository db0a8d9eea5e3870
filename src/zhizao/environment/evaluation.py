"""From stored station-hours to the engine: every air figure is computed here by calling
``zhizao.indicators.air_eval`` on (stations, days, 24) arrays read from :class:`AirHour`.

Only hours flagged valid carry values into the arrays (invalid, maintenance and missing hours
are NaN). A city's stations are those in the city's region (its districts) active at some time
in the period. Evaluations are cached per process and data version (the latest import), so a
page that shows fifteen figures reads the hours once.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.csv as pacsv
from django.db import connection
from django.db.models import Max, Q

from zhizao.core.figures import in_region
from zhizao.core.models import Region
from zhizao.environment.choices import HourFlag
from zhizao.environment.models import POLLUTANTS, AirHour, AirImport, CityAirDay, Station
from zhizao.indicators import air_eval
from zhizao.indicators.air_eval import DailySeries, PeriodEvaluation
from zhizao.indicators.editions import is_2026_edition

FloatArray = npt.NDArray[np.float64]
_CACHE: OrderedDict[tuple[object, ...], object] = OrderedDict()
_CACHE_SIZE = 64
STATIONS_PER_READ = 100


def data_version() -> int:
    return AirImport.objects.aggregate(latest=Max("pk"))["latest"] or 0


def _cached(key: tuple[object, ...], compute: object) -> object:
    full = (*key, data_version())
    if full in _CACHE:
        _CACHE.move_to_end(full)
        return _CACHE[full]
    value = compute()  # type: ignore[operator]
    _CACHE[full] = value
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return value


def clear_cache() -> None:
    _CACHE.clear()


def city_stations(city: Region, start: dt.date, end: dt.date) -> list[Station]:
    """Stations of the city (its region and below) active at some time in [start, end]."""
    return list(
        Station.objects.filter(in_region(city, "region"), active_from__lte=end)
        .filter(Q(active_to__isnull=True) | Q(active_to__gte=start))
        .order_by("code")
    )


def _read_hours(
    station_ids: list[int], start: dt.date, end: dt.date
) -> npt.NDArray[np.float64] | None:
    """Rows (station_id, day index, hour, six values) of the valid hours, NaN for NULL:
    PostgreSQL through ``COPY … TO STDOUT`` read by Arrow's CSV reader, SQLite by a cursor."""
    table = AirHour._meta.db_table
    columns = ", ".join(POLLUTANTS)
    if connection.vendor == "postgresql":
        ids = ",".join(str(int(pk)) for pk in station_ids)
        sql = (
            f"COPY (SELECT station_id, day - DATE '{start.isoformat()}', hour, {columns} "
            f"FROM {table} WHERE station_id IN ({ids}) AND day >= DATE '{start.isoformat()}' "
            f"AND day < DATE '{end.isoformat()}' AND flag = 'V') TO STDOUT WITH (FORMAT csv)"
        )
        buffer = io.BytesIO()
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for chunk in copy:
                buffer.write(chunk)
        if not buffer.tell():
            return None
        buffer.seek(0)
        names = ["station", "day", "hour", *POLLUTANTS]
        parsed = pacsv.read_csv(
            buffer,
            read_options=pacsv.ReadOptions(column_names=names),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.float64() for name in names}
            ),
        )
        return np.column_stack(
            [parsed.column(name).to_numpy(zero_copy_only=False) for name in names]
        ).astype(np.float64)
    marks = ", ".join(["%s"] * len(station_ids))
    sql = (
        f"SELECT station_id, CAST(julianday(day) - julianday(%s) AS INTEGER), hour, {columns} "
        f"FROM {table} WHERE station_id IN ({marks}) AND day >= %s AND day < %s AND flag = %s"
    )
    params: list[Any] = [start.isoformat(), *station_ids, start.isoformat(), end.isoformat()]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, HourFlag.VALID.value])
        rows = cursor.fetchall()
    if not rows:
        return None
    return np.array(rows, dtype=np.float64)  # None → nan


def hourly_arrays(station_ids: list[int], start: dt.date, days: int) -> dict[str, FloatArray]:
    """Valid hourly values as (stations, days, 24) arrays per pollutant (NaN elsewhere)."""
    arrays = {key: np.full((len(station_ids), days, 24), np.nan) for key in POLLUTANTS}
    if not station_ids or days <= 0:
        return arrays
    end = start + dt.timedelta(days=days)
    data = _read_hours(station_ids, start, end)
    if data is None:
        return arrays
    ids = np.asarray(station_ids, dtype=np.int64)
    order = np.argsort(ids)
    station = order[np.searchsorted(ids[order], data[:, 0].astype(np.int64))]
    day = data[:, 1].astype(np.int64)
    hour = data[:, 2].astype(np.int64)
    for column, key in enumerate(POLLUTANTS, start=3):
        arrays[key][station, day, hour] = data[:, column]
    return arrays


@dataclass(frozen=True)
class Evaluated:
    """An annual evaluation with the inputs it came from."""

    evaluation: PeriodEvaluation
    series: DailySeries
    stations: list[int]
    hours: int  # station-hours read (valid or not) for the record count


def _year_days(year: int) -> int:
    return 366 if calendar.isleap(year) else 365


def _hour_count(station_ids: list[int], start: dt.date, end: dt.date) -> int:
    return AirHour.objects.filter(station_id__in=station_ids, day__gte=start, day__lt=end).count()


def _evaluate(station_ids: list[int], year: int) -> Evaluated | None:
    start = dt.date(year, 1, 1)
    days = _year_days(year)
    count = _hour_count(station_ids, start, dt.date(year + 1, 1, 1))
    if not count:
        return None
    hourly = hourly_arrays(station_ids, start, days)
    series = air_eval.city_daily_series(hourly, start)
    evaluation = air_eval.evaluate_period(series, period="year")
    return Evaluated(evaluation, series, station_ids, count)


def city_year(city: Region, year: int) -> Evaluated | None:
    """The city's annual evaluation (HJ 663: city daily value = mean over its valid stations)."""

    def compute() -> Evaluated | None:
        stations = city_stations(city, dt.date(year, 1, 1), dt.date(year, 12, 31))
        return _evaluate([s.pk for s in stations], year)

    return _cached(("city", city.pk, year), compute)  # type: ignore[return-value]


def station_year(station: Station, year: int) -> Evaluated | None:
    return _cached(("station", station.pk, year), lambda: _evaluate([station.pk], year))  # type: ignore[return-value]


def station_years(station_ids: list[int], year: int) -> dict[int, PeriodEvaluation]:
    """Each station's annual evaluation, the hours read in one query per 100 stations."""
    start = dt.date(year, 1, 1)
    result = {}
    for first in range(0, len(station_ids), STATIONS_PER_READ):
        chunk = station_ids[first : first + STATIONS_PER_READ]
        hourly = hourly_arrays(chunk, start, _year_days(year))
        for index, pk in enumerate(chunk):
            one = {key: values[index : index + 1] for key, values in hourly.items()}
            series = air_eval.city_daily_series(one, start)
            result[pk] = air_eval.evaluate_period(series, period="year")
    return result


def city_month_series(city: Region, year: int) -> dict[str, PeriodEvaluation]:
    evaluated = city_year(city, year)
    if evaluated is None:
        return {}
    return air_eval.monthly_evaluations(evaluated.series)


def compare(city: Region, year: int, base_year: int) -> air_eval.PeriodChange | None:
    current, base = city_year(city, year), city_year(city, base_year)
    if current is None or base is None:
        return None
    return air_eval.compare_periods(current.evaluation, base.evaluation)


def _finite(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def refresh_city_days(city: Region, years: set[int]) -> int:
    """Store the engine's daily results of the city for these years (the drill-down's days)."""
    written = 0
    for year in sorted(years):
        CityAirDay.objects.filter(city=city, day__year=year).delete()
        stations = city_stations(city, dt.date(year, 1, 1), dt.date(year, 12, 31))
        ids = [s.pk for s in stations]
        evaluated = _evaluate(ids, year)
        if evaluated is None:
            continue
        synthetic = AirHour.objects.filter(
            station_id__in=ids, day__year=year, is_synthetic=True
        ).exists()
        station_days = _stations_with_data(ids, year)
        series, daily = evaluated.series, evaluated.evaluation.daily
        new = is_2026_edition(series.dates)
        rows = []
        for index, day in enumerate(series.dates.astype("datetime64[D]").astype(object)):
            values = {key: _finite(series.values[key][index]) for key in series.values}
            missing = [key for key, value in values.items() if value is None]
            aqi = daily.aqi[index]
            rows.append(
                CityAirDay(
                    city=city,
                    day=day,
                    valid=bool(daily.valid[index]),
                    aqi=None if np.isnan(aqi) else int(aqi),
                    level=int(daily.level[index]),
                    primary=",".join(daily.primary[index]),
                    edition="2026" if new[index] else "2012",
                    stations=int(station_days[index]),
                    missing=",".join(missing),
                    is_synthetic=synthetic,
                    **values,
                )
            )
        CityAirDay.objects.bulk_create(rows, batch_size=1000)
        written += len(rows)
    return written


def _stations_with_data(station_ids: list[int], year: int) -> npt.NDArray[np.int64]:
    counts = np.zeros(_year_days(year), dtype=np.int64)
    grouped = (
        AirHour.objects.filter(station_id__in=station_ids, day__year=year, flag=HourFlag.VALID)
        .order_by()  # the model's ordering would make every hour distinct
        .values_list("day", "station_id")
        .distinct()
    )
    start = dt.date(year, 1, 1)
    for day, _station in grouped:
        counts[(day - start).days] += 1
    return counts


def cities_of(station_ids: list[int]) -> list[Region]:
    """The cities (level ``city``) whose figures these stations count in."""
    regions = Region.objects.filter(air_stations__pk__in=station_ids).distinct()
    cities: dict[int, Region] = {}
    for region in regions:
        node: Region | None = region
        while node is not None and node.level != "city":
            node = node.parent
        if node is not None:
            cities[node.pk] = node
    return list(cities.values())


def station_year_csv(station: Station, year: int) -> str:
    """A station's stored hours of a year as CSV in ``zhizao air-eval``'s layout
    (``station,time,so2,…,o3``), hours labelled by their end (``--hour-label end``), the
    national platform's layout; hours not flagged valid have empty values."""
    lines = ["station,time,so2,no2,pm10,pm2_5,co,o3"]
    hours = AirHour.objects.filter(station=station, day__year=year).order_by("day", "hour")
    for day, hour, flag, *values in hours.values_list("day", "hour", "flag", *POLLUTANTS):
        cells = ["" if v is None or flag != HourFlag.VALID else repr(float(v)) for v in values]
        lines.append(f"{station.code},{day.isoformat()}T{hour + 1:02d}:00,{','.join(cells)}")
    return "\n".join(lines) + "\n"
