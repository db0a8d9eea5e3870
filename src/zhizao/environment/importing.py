"""Import of hourly air data (one row per station-hour), CSV or XLSX, all or nothing.

The national monitoring platform's layout (docs/environment.md): station code, time, SO2, NO2,
PM10, PM2.5, CO, O3 and an optional flag; µg/m³, CO mg/m³. The time labels the hour by its
**end** (``01:00`` is 00:00–01:00, a day runs 01:00 … 24:00, ``24:00`` or the next day's
``00:00`` ends it); ``hour_label="start"`` reads files that label hours by their start. A time
with ``Z`` or ``±hh:mm`` is converted to the station's local time.

Like the rapid-test import (``rapidtest/importing.py``) it has two steps:

1. **Check**, outside any transaction: the file is read in blocks (``pyarrow.csv.open_csv``,
   ``openpyxl`` read-only rows), each block validated column-wise with Arrow/NumPy and spooled
   in its database layout to a temporary Arrow IPC stream; every bad row is listed (row,
   column, why), and the unit mistakes are caught (CO in µg/m³, a station's values ×1000).
2. **Write**, in one transaction: rows for hours not yet stored go straight into the table —
   PostgreSQL ``COPY … FROM STDIN``, SQLite ``executemany``. When the file contains hours
   already stored (a corrected file), the rows go through a temporary staging table: the stored
   hours it contains are copied to :class:`AirHourRevision` (the audit of the change), deleted
   and replaced; hours the file does not contain are untouched. The city's daily results are
   then refreshed by the engine.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import sqlite3
import tempfile
import zipfile
import zoneinfo
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from django.db import connection
from django.utils.translation import gettext as _

from zhizao.core.models import User
from zhizao.environment.choices import HourFlag
from zhizao.environment.models import POLLUTANTS, AirHour, AirHourRevision, AirImport, Station

CSV_BLOCK_BYTES = 4 << 20
XLSX_BLOCK_ROWS = 20_000
MAX_ERRORS = 10_000
FILE_COLUMN = "file"

COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "station": ("station", "station code", "站点编码", "点位编码", "监测点位编码"),
    "time": ("time", "时间", "监测时间"),
    "so2": ("so2", "二氧化硫"),
    "no2": ("no2", "二氧化氮"),
    "pm10": ("pm10", "可吸入颗粒物"),
    "pm2_5": ("pm2.5", "pm2_5", "pm25", "细颗粒物"),
    "co": ("co", "一氧化碳"),
    "o3": ("o3", "臭氧"),
    "flag": ("flag", "标识", "数据标识"),
}
"""Canonical column → the headers accepted for it (case-insensitive; a unit in brackets after
the name, ``PM2.5(μg/m³)``, is ignored)."""

HEADERS_EN = ("station", "time", "SO2", "NO2", "PM10", "PM2.5", "CO", "O3", "flag")
HEADERS_ZH = (
    "站点编码",
    "时间",
    "二氧化硫",
    "二氧化氮",
    "PM10",
    "PM2.5",
    "一氧化碳",
    "臭氧",
    "标识",
)

FLAG_ALIASES = {
    "v": HourFlag.VALID,
    "valid": HourFlag.VALID,
    "有效": HourFlag.VALID,
    "i": HourFlag.INVALID,
    "invalid": HourFlag.INVALID,
    "无效": HourFlag.INVALID,
    "m": HourFlag.MAINTENANCE,
    "maintenance": HourFlag.MAINTENANCE,
    "维护": HourFlag.MAINTENANCE,
    "n": HourFlag.MISSING,
    "missing": HourFlag.MISSING,
    "缺失": HourFlag.MISSING,
}

HOURLY_MAX: dict[str, float] = {
    "so2": 10_000.0,
    "no2": 5_000.0,
    "pm10": 10_000.0,
    "pm2_5": 5_000.0,
    "co": 50.0,
    "o3": 2_000.0,
}
"""Above these an hourly value is taken for a unit mistake (µg/m³; CO mg/m³: CO in µg/m³ is
about 1000 times its mg/m³ value). UNVERIFIED plausibility bounds, far above any recorded
hourly mean in China."""

STATION_MEDIAN_MAX: dict[str, float] = {
    "so2": 800.0,
    "no2": 400.0,
    "pm10": 1_500.0,
    "pm2_5": 1_000.0,
    "co": 15.0,
    "o3": 600.0,
}
"""A station whose median over the file exceeds these has values about ×1000 (mg/m³ read as
µg/m³, or a meter's scale): every one of its rows is refused."""

_TIME = (
    r"^(?P<date>\d{4}[-/]\d{1,2}[-/]\d{1,2})[T ](?P<hour>\d{1,2}):(?P<minute>\d{2})"
    r"(?::(?P<second>\d{2}))?(?P<zone>Z|[+-]\d{2}(?::?\d{2})?)?$"
)
_NUMBER = r"^[+]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$"
INSERT_COLUMNS = (
    "station_id",
    "day",
    "hour",
    *POLLUTANTS,
    "flag",
    "import_batch_id",
    "is_synthetic",
)
EPOCH = dt.date(1970, 1, 1)


@dataclass
class ImportOutcome:
    ok: bool
    rows: int = 0
    replaced: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    batch: AirImport | None = None


@dataclass
class _State:
    """What the check accumulates over the blocks; per-station figures are dense arrays
    indexed like :attr:`_Stations.pks` (every registered station)."""

    stations: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    rows: int = 0
    keys: list[npt.NDArray[np.int64]] = field(default_factory=list)
    rows_of_keys: list[npt.NDArray[np.int64]] = field(default_factory=list)
    counted: dict[str, npt.NDArray[np.int64]] = field(default_factory=dict)  # values per station
    above: dict[str, npt.NDArray[np.int64]] = field(default_factory=dict)  # above the median max
    first_row: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    first_day: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    last_day: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    day_range: dict[int, tuple[int, int]] = field(default_factory=dict)  # station pk -> days

    def start(self, stations: int) -> None:
        self.stations = stations
        for key in POLLUTANTS:
            self.counted[key] = np.zeros(stations, np.int64)
            self.above[key] = np.zeros(stations, np.int64)
        self.first_row = np.full(stations, np.iinfo(np.int64).max)
        self.first_day = np.full(stations, np.iinfo(np.int64).max)
        self.last_day = np.full(stations, np.iinfo(np.int64).min)

    def add(self, rows: npt.ArrayLike, column: str, message: str) -> None:
        for row in np.asarray(rows, dtype=np.int64)[: max(0, MAX_ERRORS - len(self.errors))]:
            self.errors.append({"row": int(row), "column": column, "message": message})

    @property
    def present(self) -> npt.NDArray[np.int64]:
        """Dense indices of the stations the file names (with a readable time)."""
        return np.flatnonzero(self.last_day >= self.first_day)


@dataclass
class _Stations:
    index: dict[str, int]  # code -> dense index
    pks: npt.NDArray[np.int64]
    codes: list[str]
    zones: list[str]
    first: npt.NDArray[np.int64]  # active from, days since 1970-01-01
    last: npt.NDArray[np.int64]


def _stations() -> _Stations:
    rows = list(
        Station.objects.order_by("pk").values_list(
            "pk", "code", "time_zone", "active_from", "active_to"
        )
    )
    return _Stations(
        index={code: i for i, (_pk, code, *_rest) in enumerate(rows)},
        pks=np.array([r[0] for r in rows], dtype=np.int64),
        codes=[r[1] for r in rows],
        zones=[r[2] for r in rows],
        first=np.array([(r[3] - EPOCH).days for r in rows], dtype=np.int64),
        last=np.array([(r[4] - EPOCH).days if r[4] else 10**7 for r in rows], dtype=np.int64),
    )


def header_key(text: str) -> str | None:
    name = re.sub(r"[（(].*?[)）]", "", text).strip().lower()
    for key, aliases in COLUMN_ALIASES.items():
        if name in aliases:
            return key
    return None


# --- reading --------------------------------------------------------------------------------


class ReadError(Exception):
    pass


def _csv_blocks(handle: IO[bytes]) -> tuple[list[str], Iterator[pa.Table]]:
    first = handle.readline()
    handle.seek(0)
    try:
        text = first.decode("utf-8-sig")
        encoding = "utf8"
    except UnicodeDecodeError:
        text, encoding = first.decode("gb18030", errors="replace"), "gb18030"
    headers = [h.strip() for h in next(csv.reader([text.strip("\r\n")]), [])]
    names = [f"c{i}" for i in range(len(headers))]

    def blocks() -> Iterator[pa.Table]:
        try:
            reader = pacsv.open_csv(
                handle,
                read_options=pacsv.ReadOptions(
                    skip_rows=1, column_names=names, block_size=CSV_BLOCK_BYTES, encoding=encoding
                ),
                convert_options=pacsv.ConvertOptions(
                    column_types={n: pa.string() for n in names}, strings_can_be_null=False
                ),
            )
            for batch in reader:
                yield pa.Table.from_batches([batch])
        except pa.ArrowInvalid as error:
            raise ReadError(str(error)) from error

    return headers, blocks()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_blocks(handle: IO[bytes]) -> tuple[list[str], Iterator[pa.Table]]:
    from openpyxl import load_workbook

    from zhizao.core.tabular import ImportRefused, guard_workbook

    try:
        guard_workbook(handle)  # a zip bomb is refused before any of its XML is parsed
    except ImportRefused as refused:
        raise ReadError(str(refused)) from refused
    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True)
        header_row = next(rows, ())
    except (zipfile.BadZipFile, KeyError, IndexError, OSError, ValueError, TypeError) as error:
        raise ReadError(str(error)) from error
    headers = [_cell(v).strip() for v in header_row]
    while headers and not headers[-1]:
        headers.pop()
    width = len(headers)

    def blocks() -> Iterator[pa.Table]:
        chunk: list[list[str]] = [[] for _ in range(width)]
        count = 0
        for row in rows:
            for index in range(width):
                chunk[index].append(_cell(row[index]) if index < len(row) else "")
            count += 1
            if count == XLSX_BLOCK_ROWS:
                yield pa.table({f"c{i}": pa.array(chunk[i], pa.string()) for i in range(width)})
                chunk, count = [[] for _ in range(width)], 0
        if count:
            yield pa.table({f"c{i}": pa.array(chunk[i], pa.string()) for i in range(width)})
        workbook.close()

    return headers, blocks()


# --- checking -------------------------------------------------------------------------------


def _offset_hours(text: str) -> float:
    if text == "Z":
        return 0.0
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return sign * (int(digits[:2]) + int(digits[2:4] or 0) / 60)


def _local_offset(zone: str, utc_hours: int) -> float:
    moment = dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(hours=utc_hours)
    offset = moment.astimezone(zoneinfo.ZoneInfo(zone)).utcoffset()
    return offset.total_seconds() / 3600 if offset is not None else 0.0


def _times(
    column: pa.Array, station_ids: npt.NDArray[np.int64], stations: _Stations, end_label: bool
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """Hours since 1970-01-01 local time of each row's hour *start*, and which rows are bad."""
    text = pc.utf8_trim_whitespace(column)
    parts = pc.extract_regex(text, _TIME)
    bad = np.asarray(pc.is_null(parts).to_numpy(zero_copy_only=False), dtype=bool)
    n = len(column)
    if bad.all():
        return np.zeros(n, dtype=np.int64), bad
    fields = {name: pc.struct_field(parts, name) for name in ("date", "hour", "minute", "second")}
    dates = pc.strptime(
        pc.replace_substring(fields["date"], "/", "-"),
        format="%Y-%m-%d",
        unit="s",
        error_is_null=True,
    )
    # An impossible date (2021-02-30) is null here: filled before any conversion to NumPy.
    days_or_null = pc.cast(pc.cast(dates, pa.date32()), pa.int32())
    days = np.asarray(pc.fill_null(days_or_null, -(10**6)).to_numpy(), dtype=np.int64)
    hour = pc.cast(pc.fill_null(fields["hour"], "99"), pa.int64()).to_numpy()
    minute = pc.cast(pc.fill_null(fields["minute"], "99"), pa.int64()).to_numpy()
    # A time without its clock part leaves "second" null too: "0", like an empty one.
    seconds = pc.fill_null(fields["second"], "0")
    second = pc.cast(pc.if_else(pc.equal(seconds, ""), "0", seconds), pa.int64()).to_numpy()
    bad |= (days < -(10**5)) | (minute != 0) | (second != 0) | (hour > 24)
    if not end_label:
        bad |= hour == 24
    hours = days * 24 + hour
    zone_text = pc.struct_field(parts, "zone")
    has_zone = np.asarray(
        pc.fill_null(pc.greater(pc.utf8_length(zone_text), 0), False).to_numpy(
            zero_copy_only=False
        ),
        dtype=bool,
    )
    with_zone = np.flatnonzero(has_zone & ~bad & (station_ids >= 0))
    if with_zone.size:  # rare: times given in UTC or with an offset
        zones = zone_text.to_numpy(zero_copy_only=False)
        for index in with_zone:
            utc = int(hours[index] - round(_offset_hours(str(zones[index]))))
            zone = stations.zones[int(station_ids[index])]
            hours[index] = utc + round(_local_offset(zone, utc))
    if end_label:
        hours = hours - 1
    return hours.astype(np.int64), bad


def _numbers(
    column: pa.Array,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """(values with NaN for empty, rows that are not numbers, rows that are negative)."""
    text = pc.utf8_trim_whitespace(column)
    empty = np.asarray(pc.equal(text, "").to_numpy(zero_copy_only=False), dtype=bool)
    number = np.asarray(
        pc.match_substring_regex(text, _NUMBER).to_numpy(zero_copy_only=False), dtype=bool
    )
    negative = np.asarray(
        pc.match_substring_regex(text, r"^-(\d+(\.\d*)?|\.\d+)$").to_numpy(zero_copy_only=False),
        dtype=bool,
    )
    bad = ~empty & ~number & ~negative
    cleaned = pc.if_else(pa.array(number), text, pa.scalar(None, pa.string()))
    values = np.asarray(pc.cast(cleaned, pa.float64()).to_numpy(zero_copy_only=False), dtype=float)
    values = np.where(np.isnan(values), np.nan, values)
    return values, bad, negative


def _dictionary(column: pa.ChunkedArray | pa.Array) -> tuple[list[str], npt.NDArray[np.int64]]:
    """(distinct trimmed values, each row's index into them), by Arrow's dictionary encoding."""
    encoded = pc.dictionary_encode(pc.utf8_trim_whitespace(column))
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    values = [str(v) for v in encoded.dictionary.to_pylist()]
    indices = np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    return values, indices


def _check_block(
    table: pa.Table,
    offset: int,
    columns: dict[str, int],
    stations: _Stations,
    end_label: bool,
    state: _State,
) -> pa.Table | None:
    n = table.num_rows
    rows = np.arange(offset + 2, offset + 2 + n, dtype=np.int64)  # spreadsheet row numbers
    clean = not state.errors
    codes, code_index = _dictionary(table.column(columns["station"]))
    dense_of_code = np.array([stations.index.get(code, -1) for code in codes], dtype=np.int64)
    station = dense_of_code[code_index] if n else np.zeros(0, np.int64)
    unknown = station < 0
    for position in np.flatnonzero(dense_of_code < 0):
        code = codes[position]
        state.add(
            rows[code_index == position],
            "station",
            _("Unknown station code “%(code)s”: register the station first.") % {"code": code}
            if code
            else _("The station code is empty."),
        )
    hours, bad_time = _times(
        table.column(columns["time"]).combine_chunks(), station, stations, end_label
    )
    label = _("by its end (01:00 … 24:00)") if end_label else _("by its start (00:00 … 23:00)")
    state.add(
        rows[bad_time],
        "time",
        _(
            "The time is not a whole hour (YYYY-MM-DD HH:00, optionally Z or ±hh:mm) "
            "labelling the hour %(label)s."
        )
        % {"label": label},
    )
    day = np.floor_divide(hours, 24)
    ok = ~unknown & ~bad_time
    known = np.where(ok, station, 0)
    outside = ok & ((day < stations.first[known]) | (day > stations.last[known]))
    state.add(rows[outside], "time", _("This hour is outside the station's active period."))
    values: dict[str, npt.NDArray[np.float64]] = {}
    for key in POLLUTANTS:
        if key not in columns:
            values[key] = np.full(n, np.nan)
            continue
        found, bad, negative = _numbers(table.column(columns[key]).combine_chunks())
        state.add(rows[bad], key, _("This is not a number."))
        state.add(rows[negative], key, _("A concentration cannot be negative."))
        with np.errstate(invalid="ignore"):
            too_high = found > HOURLY_MAX[key]
            high = found > STATION_MEDIAN_MAX[key]
        if key == "co":
            message = _(
                "CO above %(max)s mg/m³: CO is reported in mg/m³ and this looks like µg/m³ "
                "(a unit mistake)."
            ) % {"max": f"{HOURLY_MAX[key]:g}"}
        else:
            message = _(
                "Above %(max)s µg/m³, far beyond any hourly mean: a unit mistake (values ×1000?)."
            ) % {"max": f"{HOURLY_MAX[key]:g}"}
        state.add(rows[too_high], key, message)
        values[key] = found
        # Per station: how many values, how many above the median bound (median > bound
        # exactly when more than half the values are above it).
        measured = ok & ~np.isnan(found)
        state.counted[key] += np.bincount(station[measured], minlength=state.stations)
        state.above[key] += np.bincount(station[measured & high], minlength=state.stations)
    if ok.any():
        np.minimum.at(state.first_row, station[ok], rows[ok])
        np.minimum.at(state.first_day, station[ok], day[ok])
        np.maximum.at(state.last_day, station[ok], day[ok])
    if "flag" in columns:
        names, flag_index = _dictionary(pc.utf8_lower(table.column(columns["flag"])))
        mapped = np.array([FLAG_ALIASES.get(name, "") for name in names] + [""], dtype=object)
        unknown_flag = np.array(
            [bool(name) and name not in FLAG_ALIASES for name in names] + [False]
        )
        bad_flag = unknown_flag[flag_index]
        state.add(
            rows[bad_flag],
            "flag",
            _("Unknown flag: use V (valid), I (invalid), M (maintenance) or N (missing)."),
        )
        flags = mapped[flag_index]
    else:
        flags = np.full(n, "", dtype=object)
    any_value = np.any([~np.isnan(values[key]) for key in POLLUTANTS], axis=0)
    derived = np.where(any_value, HourFlag.VALID.value, HourFlag.MISSING.value)
    flags = np.where(flags == "", derived, flags)
    state.keys.append(station[ok] * 10_000_000 + hours[ok])
    state.rows_of_keys.append(rows[ok])
    state.rows += n
    if not clean or state.errors:
        return None
    dates = pa.array(day.astype(np.int32), pa.int32()).cast(pa.date32())
    return pa.table(
        {
            "station_id": pa.array(stations.pks[station]),
            "day": dates,
            "hour": pa.array(np.mod(hours, 24).astype(np.int16)),
            **{key: pa.array(values[key], mask=np.isnan(values[key])) for key in POLLUTANTS},
            "flag": pa.array(flags.astype(str)),
        }
    )


def _finish_checks(state: _State, stations: _Stations) -> None:
    if state.keys:
        keys = np.concatenate(state.keys)
        rows = np.concatenate(state.rows_of_keys)
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        dupe = np.flatnonzero(sorted_keys[1:] == sorted_keys[:-1]) + 1
        if dupe.size:
            state.add(
                np.sort(rows[order][dupe]),
                "time",
                _("This station-hour appears twice in the file (an earlier row has it)."),
            )
    for key in POLLUTANTS:
        counted, above = state.counted.get(key), state.above.get(key)
        if counted is None or above is None:
            continue
        for index in np.flatnonzero((counted > 0) & (above * 2 > counted)):
            state.add(
                [int(state.first_row[index])],
                key,
                _(
                    "Station %(code)s: the median %(name)s in this file is above %(bound)s, "
                    "about 1000 times a plausible value: a unit mistake (µg/m³ for mg/m³ or "
                    "×1000); all its rows are refused."
                )
                % {
                    "code": stations.codes[index],
                    "name": key.upper().replace("_", "."),
                    "bound": f"{STATION_MEDIAN_MAX[key]:g}",
                },
            )


# --- writing --------------------------------------------------------------------------------


SQLITE_IMPORT_CACHE_KIB = 128 * 1024
"""SQLite page cache during an import (``PRAGMA cache_size``, KiB): the unique (station, day,
hour) index of millions of rows stays in memory instead of being re-read page by page."""


def _sqlite_columns(table: pa.Table, columns: Sequence[str]) -> list[list[Any]]:
    """The table's columns as Python lists for ``executemany``: dates as ISO text, floats with
    NaN for NULL (SQLite stores a NaN bound as NULL), booleans as 0/1."""
    result: list[list[Any]] = []
    for name in columns:
        column = table.column(name)
        kind = column.type
        if pa.types.is_date32(kind):
            days = column.to_numpy(zero_copy_only=False).astype("datetime64[D]")
            result.append(np.datetime_as_string(days, unit="D").tolist())
        elif pa.types.is_floating(kind) or pa.types.is_integer(kind):
            if column.null_count and not pa.types.is_floating(kind):
                result.append(column.to_pylist())
            else:
                result.append(column.to_numpy(zero_copy_only=False).tolist())
        elif pa.types.is_boolean(kind):
            result.append(column.to_numpy(zero_copy_only=False).astype(np.int8).tolist())
        else:
            result.append(column.to_pylist())
    return result


def _raw_sqlite_cursor(cursor: Any) -> Any:
    raw = cursor.cursor
    while hasattr(raw, "cursor") and not isinstance(raw, sqlite3.Cursor):
        raw = raw.cursor
    return raw


def insert_arrow(target: str, columns: Sequence[str], tables: Iterable[pa.Table]) -> int:
    """Insert Arrow tables (columns named as the target's) into ``target``: PostgreSQL ``COPY …
    FROM STDIN`` (psycopg 3), SQLite ``executemany`` with a large page cache. Returns rows."""
    names = ", ".join(columns)
    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = f"COPY {target} ({names}) FROM STDIN WITH (FORMAT csv)"
            with cursor.cursor.copy(sql) as copy:
                for table in tables:
                    sink = io.BytesIO()
                    pacsv.write_csv(
                        table.select(list(columns)),
                        sink,
                        write_options=pacsv.WriteOptions(include_header=False),
                    )
                    copy.write(sink.getvalue())
                    written += table.num_rows
            return written
        raw = _raw_sqlite_cursor(cursor)
        marks = ", ".join(["?"] * len(columns))
        sql = f"INSERT INTO {target} ({names}) VALUES ({marks})"
        cursor.execute("PRAGMA cache_size")
        (previous,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_IMPORT_CACHE_KIB}")
        try:
            for table in tables:
                rows = zip(*_sqlite_columns(table, columns), strict=True)
                if isinstance(raw, sqlite3.Cursor):
                    raw.executemany(sql, rows)
                else:  # pragma: no cover - a wrapped cursor
                    cursor.executemany(sql.replace("?", "%s"), list(rows))
                written += table.num_rows
        finally:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")
    return written


def _spooled(spool: IO[bytes]) -> Iterator[pa.Table]:
    spool.seek(0)
    for batch in pa.ipc.open_stream(spool):
        yield pa.Table.from_batches([batch])


def _write(target: str, spool: IO[bytes], batch_id: int, synthetic: bool) -> None:
    def tables() -> Iterator[pa.Table]:
        for table in _spooled(spool):
            n = table.num_rows
            full = table.append_column(
                "import_batch_id", pa.array(np.full(n, batch_id, dtype=np.int64))
            )
            yield full.append_column("is_synthetic", pa.array(np.full(n, synthetic)))

    insert_arrow(target, INSERT_COLUMNS, tables())


def _day_ranges(state: _State, stations: _Stations) -> dict[int, tuple[int, int]]:
    """Station pk -> (first, last) day of the file's hours, days since 1970-01-01."""
    return {
        int(stations.pks[i]): (int(state.first_day[i]), int(state.last_day[i]))
        for i in state.present
    }


def _overlaps(state: _State) -> bool:
    for station_id, (low, high) in state.day_range.items():
        start, end = EPOCH + dt.timedelta(days=low), EPOCH + dt.timedelta(days=high)
        if AirHour.objects.filter(station_id=station_id, day__gte=start, day__lte=end).exists():
            return True
    return False


STAGE = "environment_airhour_stage"


def _replace_via_stage(spool: IO[bytes], batch: AirImport, synthetic: bool) -> int:
    """Write through a staging table: audit and delete the stored hours the file contains,
    then insert the file's rows. Returns the number of hours replaced."""
    hour = AirHour._meta.db_table
    revision = AirHourRevision._meta.db_table
    values = ", ".join(POLLUTANTS)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {STAGE} AS SELECT {', '.join(INSERT_COLUMNS)} FROM {hour} "
            "WHERE 1 = 0"
        )
    _write(STAGE, spool, batch.pk, synthetic)
    match = "h.station_id = s.station_id AND h.day = s.day AND h.hour = s.hour"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {revision} (replaced_by_id, previous_import_id, station_id, day, hour, "
            f"{values}, flag) SELECT %s, h.import_batch_id, h.station_id, h.day, h.hour, "
            f"{', '.join('h.' + p for p in POLLUTANTS)}, h.flag FROM {hour} h "
            f"JOIN {STAGE} s ON {match}",
            [batch.pk],
        )
        replaced = cursor.rowcount
        cursor.execute(
            f"DELETE FROM {hour} WHERE EXISTS (SELECT 1 FROM {STAGE} s WHERE "
            f"{match.replace('h.', hour + '.')})"
        )
        cursor.execute(
            f"INSERT INTO {hour} ({', '.join(INSERT_COLUMNS)}) "
            f"SELECT {', '.join(INSERT_COLUMNS)} FROM {STAGE}"
        )
        cursor.execute(f"DROP TABLE {STAGE}")
    return max(int(replaced), 0)


def _sha256(handle: IO[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(1 << 20), b""):
        digest.update(chunk)
    handle.seek(0)
    return digest.hexdigest()


def _open(file: Any) -> IO[bytes]:
    if isinstance(file, str):
        return open(file, "rb")
    if hasattr(file, "temporary_file_path"):
        return open(file.temporary_file_path(), "rb")
    if hasattr(file, "seek"):
        file.seek(0)
    return file.file if hasattr(file, "file") else file  # type: ignore[no-any-return]


def check_file(
    file: Any, *, file_name: str, hour_label: str = "end"
) -> tuple[_State, IO[bytes] | None, str, list[int]]:
    """Step 1: read and check the whole file, spooling the clean rows. Returns the state, the
    spool (None if refused), the SHA-256 and the stations the file names."""
    state = _State()
    handle = _open(file)
    sha = _sha256(handle)
    is_xlsx = file_name.lower().endswith(".xlsx")
    try:
        headers, blocks = _xlsx_blocks(handle) if is_xlsx else _csv_blocks(handle)
    except ReadError:
        state.add([1], FILE_COLUMN, _("The file cannot be read as CSV or XLSX."))
        return state, None, sha, []
    columns: dict[str, int] = {}
    for index, header in enumerate(headers):
        key = header_key(header)
        if key is None:
            state.add(
                [1], header or f"#{index + 1}", _("Unknown column “%(name)s”.") % {"name": header}
            )
        elif key in columns:
            state.add([1], header, _("The column “%(name)s” appears twice.") % {"name": header})
        else:
            columns[key] = index
    for needed in ("station", "time"):
        if needed not in columns:
            state.add([1], needed, _("The file has no “%(name)s” column.") % {"name": needed})
    if not any(key in columns for key in POLLUTANTS):
        state.add([1], FILE_COLUMN, _("The file has no pollutant column."))
    if state.errors:
        return state, None, sha, []
    stations = _stations()
    state.start(len(stations.pks))
    spool = tempfile.SpooledTemporaryFile(max_size=32 << 20)  # noqa: SIM115 - returned open
    writer: pa.ipc.RecordBatchStreamWriter | None = None
    offset = 0
    try:
        for block in blocks:
            checked = _check_block(block, offset, columns, stations, hour_label == "end", state)
            offset += block.num_rows
            if checked is not None:
                if writer is None:
                    writer = pa.ipc.new_stream(spool, checked.schema)
                writer.write_table(checked)
    except ReadError:
        state.add([1], FILE_COLUMN, _("The file cannot be read as CSV or XLSX."))
    if writer is not None:
        writer.close()
    _finish_checks(state, stations)
    state.day_range = _day_ranges(state, stations)
    if not state.rows and not state.errors:
        state.add([1], FILE_COLUMN, _("The file has no data rows."))
    if state.errors or writer is None:
        spool.close()
        state.errors.sort(key=lambda e: (e["row"], e["column"]))
        return state, None, sha, []
    return state, spool, sha, sorted(state.day_range)


def write_checked(
    actor: User,
    state: _State,
    spool: IO[bytes],
    *,
    file_name: str,
    sha: str,
    source: str,
    synthetic: bool,
    hour_label: str,
) -> tuple[AirImport, int]:
    """Step 2 (inside the caller's transaction): store the rows; returns (batch, replaced)."""
    batch = AirImport.objects.create(
        uploaded_by=actor,
        file_name=file_name[:255],
        sha256=sha,
        rows=state.rows,
        source=source,
        is_synthetic=synthetic,
        hour_label=hour_label,
    )
    if _overlaps(state):
        replaced = _replace_via_stage(spool, batch, synthetic)
    else:
        _write(AirHour._meta.db_table, spool, batch.pk, synthetic)
        replaced = 0
    if replaced:
        batch.replaced = replaced
        batch._change_reason = f"replaced {replaced} stored hours"  # type: ignore[attr-defined]
        batch.save(update_fields=["replaced"])
    return batch, replaced


def template_csv(language: str) -> str:
    headers = HEADERS_ZH if language.startswith("zh") else HEADERS_EN
    return ",".join(headers) + "\r\n"
