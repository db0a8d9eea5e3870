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
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from django.db import connection
from django.db.models import Max, Q

from zhizao.core.figures import in_region
from zhizao.core.models import Region
from zhizao.environment.choices import HourFlag
from zhizao.environment.importing import insert_arrow
from zhizao.environment.models import (
    POLLUTANTS,
    AirHour,
    AirImport,
    CityAirDay,
    Station,
    StationAirDay,
)
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


DAY_KEYS = air_eval.STATION_DAY_KEYS


def read_station_days(
    station_ids: list[int], start: dt.date, days: int
) -> tuple[dict[str, FloatArray], npt.NDArray[np.int64]]:
    """The stored daily values of these stations as (stations, days) arrays per key (NaN where
    none) and their valid hours, read column-wise by one cursor (no model objects)."""
    arrays = {key: np.full((len(station_ids), days), np.nan) for key in DAY_KEYS}
    valid_hours = np.zeros((len(station_ids), days), dtype=np.int64)
    if not station_ids or days <= 0:
        return arrays, valid_hours
    table = StationAirDay._meta.db_table
    end = start + dt.timedelta(days=days)
    marks = ", ".join(["%s"] * len(station_ids))
    if connection.vendor == "postgresql":
        offset = "day - %s::date"
    else:
        offset = "CAST(julianday(day) - julianday(%s) AS INTEGER)"
    sql = (
        f"SELECT station_id, {offset}, valid_hours, {', '.join(DAY_KEYS)} FROM {table} "
        f"WHERE station_id IN ({marks}) AND day >= %s AND day < %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [start.isoformat(), *station_ids, start.isoformat(), end.isoformat()])
        rows = cursor.fetchall()
    if not rows:
        return arrays, valid_hours
    data = np.array(rows, dtype=np.float64)  # None → nan
    ids = np.asarray(station_ids, dtype=np.int64)
    order = np.argsort(ids)
    station = order[np.searchsorted(ids[order], data[:, 0].astype(np.int64))]
    day = data[:, 1].astype(np.int64)
    valid_hours[station, day] = data[:, 2].astype(np.int64)
    for column, key in enumerate(DAY_KEYS, start=3):
        arrays[key][station, day] = data[:, column]
    return arrays, valid_hours


def _evaluate(station_ids: list[int], year: int) -> Evaluated | None:
    start = dt.date(year, 1, 1)
    days = _year_days(year)
    count = _hour_count(station_ids, start, dt.date(year + 1, 1, 1))
    if not count:
        return None
    station_days, _valid_hours = read_station_days(station_ids, start, days)
    series = air_eval.city_series_from_station_days(station_days, start)
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
    """Each station's annual evaluation: its stored daily values read for all stations at
    once, evaluated together (``air_eval.evaluate_periods``), each station as if alone."""
    start = dt.date(year, 1, 1)
    if not station_ids:
        return {}
    station_days, _valid_hours = read_station_days(station_ids, start, _year_days(year))
    series = air_eval.stations_daily_series(station_days, start)
    evaluations = air_eval.evaluate_periods(series, period="year")
    return dict(zip(station_ids, evaluations, strict=True))


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
    """Store the engine's daily results of the city for these years (the drill-down's days),
    from its stations' stored daily values."""
    written = 0
    for year in sorted(years):
        CityAirDay.objects.filter(city=city, day__year=year).delete()
        start = dt.date(year, 1, 1)
        stations = city_stations(city, start, dt.date(year, 12, 31))
        ids = [s.pk for s in stations]
        if not _hour_count(ids, start, dt.date(year + 1, 1, 1)):
            continue
        station_days, valid_hours = read_station_days(ids, start, _year_days(year))
        series = air_eval.city_series_from_station_days(station_days, start)
        daily = air_eval.evaluate_period(series, period="year").daily
        synthetic = StationAirDay.objects.filter(
            station_id__in=ids, day__year=year, is_synthetic=True
        ).exists()
        with_data = (valid_hours > 0).sum(axis=0)
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
                    stations=int(with_data[index]),
                    missing=",".join(missing),
                    is_synthetic=synthetic,
                    **values,
                )
            )
        CityAirDay.objects.bulk_create(rows, batch_size=1000)
        written += len(rows)
    return written


EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


def _date(days: int) -> dt.date:
    return dt.date.fromordinal(EPOCH_ORDINAL + int(days))


def store_station_days(spool: IO[bytes], synthetic: bool) -> dict[int, set[int]]:
    """Recompute the stored daily values of the station-days an import touched (inside its
    transaction, after its hours are written); returns station id → years touched.

    The file's own hours (the import's spool) are put into (stations, days, 24) arrays one
    pollutant at a time; a station-day the file covers with all 24 hours is computed from them
    alone, one it covers in part is read back from the table (the stored hours of that day,
    the file's included). Days the file does not touch are left as they are."""
    keys = _spool_keys(spool)
    if keys is None:
        return {}
    pks, first_day, span, position, valid = keys
    cells = len(pks) * span
    covered = np.bincount(position // 24, minlength=cells)
    touched = np.flatnonzero(covered)
    partial = np.flatnonzero((covered > 0) & (covered < 24))
    readback = _read_back(pks, first_day, span, partial)
    valid_hours = np.bincount(position[valid] // 24, minlength=cells)
    if readback is not None:
        valid_hours[partial] = 0
        np.add.at(valid_hours, readback[1] // 24, 1)
    values: dict[str, FloatArray] = {}
    for pollutant in POLLUTANTS:
        hours = np.full(cells * 24, np.nan)
        column = _spool_column(spool, pollutant)
        hours[position[valid]] = column[valid]
        del column
        if readback is not None:
            hours.reshape(cells, 24)[partial] = np.nan
            rows, slots = readback
            hours[slots] = rows[:, 3 + POLLUTANTS.index(pollutant)]
        daily = air_eval.station_daily_values({pollutant: hours.reshape(len(pks), span, 24)})
        for key, array in daily.items():
            values[key] = array.reshape(-1)[touched]
        del hours
    station = pks[touched // span]
    day = first_day + touched % span
    _delete_station_days(station, day)
    table = pa.table(
        {
            "station_id": pa.array(station),
            "day": pa.array(day.astype(np.int32), pa.int32()).cast(pa.date32()),
            **{key: pa.array(values[key], mask=np.isnan(values[key])) for key in DAY_KEYS},
            "valid_hours": pa.array(valid_hours[touched].astype(np.int16)),
            "is_synthetic": pa.array(np.full(touched.size, synthetic)),
        }
    )
    insert_arrow(StationAirDay._meta.db_table, table.column_names, [table])
    years: dict[int, set[int]] = {}
    for pk in np.unique(station).tolist():
        in_station = day[station == pk]
        low, high = _date(in_station.min()).year, _date(in_station.max()).year
        years[int(pk)] = set(range(low, high + 1))
    return years


def _spool_batches(spool: IO[bytes], columns: list[str]) -> Iterator[pa.RecordBatch]:
    spool.seek(0)
    for batch in pa.ipc.open_stream(spool):
        yield batch.select(columns)


def _spool_keys(
    spool: IO[bytes],
) -> tuple[npt.NDArray[np.int64], int, int, npt.NDArray[np.int64], npt.NDArray[np.bool_]] | None:
    """(station pks, first day, days spanned, each row's slot in (stations, days, 24), whether
    the row's flag is valid) of the spooled rows; days count from 1970-01-01."""
    stations, days, hours, valid = [], [], [], []
    for batch in _spool_batches(spool, ["station_id", "day", "hour", "flag"]):
        stations.append(np.asarray(batch.column(0).to_numpy(), dtype=np.int64))
        days.append(np.asarray(batch.column(1).cast(pa.int32()).to_numpy(), dtype=np.int64))
        hours.append(np.asarray(batch.column(2).to_numpy(), dtype=np.int64))
        flags = pc.equal(batch.column(3), HourFlag.VALID.value)
        valid.append(np.asarray(flags.to_numpy(zero_copy_only=False), dtype=bool))
    if not stations:
        return None
    station_ids, day, hour = np.concatenate(stations), np.concatenate(days), np.concatenate(hours)
    pks, station = np.unique(station_ids, return_inverse=True)
    first_day = int(day.min())
    span = int(day.max()) - first_day + 1
    position = (station.astype(np.int64) * span + (day - first_day)) * 24 + hour
    return pks, first_day, span, position, np.concatenate(valid)


def _spool_column(spool: IO[bytes], name: str) -> FloatArray:
    parts = [
        np.asarray(batch.column(0).to_numpy(zero_copy_only=False), dtype=np.float64)
        for batch in _spool_batches(spool, [name])
    ]
    return np.concatenate(parts)


def _read_back(
    pks: npt.NDArray[np.int64], first_day: int, span: int, partial: npt.NDArray[np.int64]
) -> tuple[FloatArray, npt.NDArray[np.int64]] | None:
    """The stored valid hours of the station-days the file covers in part (read after the
    file's hours are written), with each hour's slot in the (stations, days, 24) arrays."""
    if not partial.size:
        return None
    found = [(np.zeros((0, 3 + len(POLLUTANTS))), np.zeros(0, dtype=np.int64))]
    for index in np.unique(partial // span).tolist():
        cells = partial[partial // span == index]
        low = first_day + int(cells.min() % span)
        high = first_day + int(cells.max() % span)
        rows = _read_hours([int(pks[index])], _date(low), _date(high + 1))
        if rows is None:
            continue
        cell = index * span + (low - first_day) + rows[:, 1].astype(np.int64)
        keep = np.isin(cell, cells)
        found.append((rows[keep], cell[keep] * 24 + rows[keep, 2].astype(np.int64)))
    return np.concatenate([f[0] for f in found]), np.concatenate([f[1] for f in found])


def _delete_station_days(station: npt.NDArray[np.int64], day: npt.NDArray[np.int64]) -> None:
    """Delete the stored daily values of these station-days (they are written again)."""
    for pk in np.unique(station).tolist():
        days = day[station == pk]
        low, high = _date(days.min()), _date(days.max())
        stored = StationAirDay.objects.filter(station_id=pk, day__gte=low, day__lte=high)
        if days.size == (high - low).days + 1:
            stored.delete()
            continue
        wanted = {_date(v) for v in days.tolist()}
        stale = [d for d in stored.values_list("day", flat=True) if d in wanted]
        for first in range(0, len(stale), 500):
            StationAirDay.objects.filter(station_id=pk, day__in=stale[first : first + 500]).delete()


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
