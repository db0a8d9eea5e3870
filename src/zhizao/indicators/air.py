"""HJ 633 air quality index (环境空气质量指数): IAQI, AQI, level, category, colour, pollutants.

Both editions are implemented from the same data tables: HJ 633-2012 (data dated before
2026-03-01) and HJ 633-2026 (from 2026-03-01); :mod:`zhizao.indicators.editions` says which
applies on a date.

Exactness. The standard rounds IAQI and AQI *up* to an integer (2012 §6.2, 2026 §4.2.6), so the
piecewise-linear value must be computed exactly: a float such as 57.000000001 must not become 58.
The engine never evaluates the formula in floating point:

* every concentration is read as a decimal number with at most :data:`CONCENTRATION_DECIMALS`
  decimal places (the float is rounded to the nearest 10⁻⁶ of its unit), and the IAQI is
  ``IAQI_lo + ceil(ΔIAQI · (C − BP_lo) / ΔBP)`` evaluated in 64-bit integers;
* HJ 633-2026 §4.2.2 first rounds concentrations per GB/T 8170 (round half to even on the decimal
  value): µg/m³ pollutants to integers, CO (mg/m³) to one decimal. After that rounding there are
  only finitely many inputs below the top breakpoint, so the 2026 IAQI is an exact lookup table
  (built once from the integer formula above). HJ 633-2012 states no pre-rounding: integral
  inputs use the 2012 table, anything else the integer formula.

Arrays in, arrays out: :func:`iaqi` and :func:`aqi` take array-likes (NaN = not measured) and
return float64 arrays (NaN = no value), processed in cache-sized chunks on all cores.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

import numpy as np
import numpy.typing as npt

from zhizao.indicators.editions import AirEdition, parse_edition
from zhizao.indicators.errors import InvalidValueError, UnknownPollutantError

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


class Indicator(StrEnum):
    """A pollutant with its averaging period: one column of the IAQI table."""

    SO2_24H = "so2_24h"
    SO2_1H = "so2_1h"
    NO2_24H = "no2_24h"
    NO2_1H = "no2_1h"
    PM10_24H = "pm10_24h"
    PM2_5_24H = "pm2_5_24h"
    CO_24H = "co_24h"
    CO_1H = "co_1h"
    O3_1H = "o3_1h"
    O3_8H = "o3_8h"


ConcentrationColumns = Mapping[Indicator, npt.ArrayLike] | Mapping[str, npt.ArrayLike]
"""Concentration arrays keyed by :class:`Indicator` or its name."""

ConcentrationRow = Mapping[Indicator, float | None] | Mapping[str, float | None]
"""One row of concentrations keyed by :class:`Indicator` or its name (None = not measured)."""


class Report(StrEnum):
    """A kind of AQI report: the daily report (日报) or the real-time hourly report (实时报)."""

    DAILY = "daily"
    REALTIME = "realtime"


REPORT_INDICATORS: Final[Mapping[AirEdition, Mapping[Report, tuple[Indicator, ...]]]] = {
    # HJ 633-2012: the daily report has 7 indicators (24 h means of SO2, NO2, PM10, PM2.5, CO,
    # O3 daily maximum 1 h and daily maximum 8 h); the real-time report 1 h SO2, NO2, CO, O3,
    # the O3 8 h moving mean and the PM10/PM2.5 24 h moving means (24 h columns).
    AirEdition.HJ_2012: {
        Report.DAILY: (
            Indicator.SO2_24H,
            Indicator.NO2_24H,
            Indicator.PM10_24H,
            Indicator.PM2_5_24H,
            Indicator.CO_24H,
            Indicator.O3_1H,
            Indicator.O3_8H,
        ),
        Report.REALTIME: (
            Indicator.SO2_1H,
            Indicator.NO2_1H,
            Indicator.PM10_24H,
            Indicator.PM2_5_24H,
            Indicator.CO_1H,
            Indicator.O3_1H,
            Indicator.O3_8H,
        ),
    },
    # HJ 633-2026: the daily report has 6 indicators (O3 only as the daily maximum 8 h mean);
    # the real-time report the 1 h means of the six pollutants (PM against the 24 h columns).
    AirEdition.HJ_2026: {
        Report.DAILY: (
            Indicator.SO2_24H,
            Indicator.NO2_24H,
            Indicator.PM10_24H,
            Indicator.PM2_5_24H,
            Indicator.CO_24H,
            Indicator.O3_8H,
        ),
        Report.REALTIME: (
            Indicator.SO2_1H,
            Indicator.NO2_1H,
            Indicator.PM10_24H,
            Indicator.PM2_5_24H,
            Indicator.CO_1H,
            Indicator.O3_1H,
        ),
    },
}
"""The indicators whose IAQI makes up the AQI of each edition's daily and real-time report
(standards.md §1.3). Every daily AQI in Zhizao (the ``aqi`` command, :func:`air_eval.daily_aqi`)
uses this one list."""


def report_indicators(edition: AirEdition | str, report: Report | str) -> tuple[Indicator, ...]:
    """The indicators of ``report`` ("daily" or "realtime") under ``edition``."""
    try:
        kind = Report(report)
    except ValueError:
        raise InvalidValueError(
            f"unknown report {report!r}", f"未知报告类型 {report!r}", "expected daily or realtime"
        ) from None
    return REPORT_INDICATORS[parse_edition(edition)][kind]


UNIT_UG_M3: Final = "µg/m³"
UNIT_MG_M3: Final = "mg/m³"

CONCENTRATION_DECIMALS: Final = 6
"""Decimal places to which a float concentration is read before exact IAQI arithmetic."""

_SCALE: Final = 10**CONCENTRATION_DECIMALS

BEYOND_TABLE_IAQI: Final = 500.0
"""IAQI reported above the top breakpoint. UNVERIFIED: the table stops at 500 and the standard
gives no value above it; 500 ("beyond index") is common practice (aqi-hub, many apps). Pass
``beyond_table=None`` to get NaN (no value) instead."""

IAQI_STEPS: Final = (0, 50, 100, 150, 200, 300, 400, 500)
"""IAQI at the breakpoints of every column (HJ 633 Table 1 / Table 3)."""


@dataclass(frozen=True)
class BreakpointColumn:
    """One column of the IAQI breakpoint table.

    ``breakpoints`` are concentrations in ``unit`` at IAQI 0, 50, 100, … (as many as the column
    has). ``decimals`` is the precision HJ 633-2026 §4.2.2 rounds to before the IAQI (0 for
    µg/m³, 1 for CO in mg/m³). ``above_top`` is the value the standard gives above the last
    breakpoint (a number, or NaN for "no IAQI of this indicator"); None means the table simply
    ends and the caller's ``beyond_table`` applies.
    """

    indicator: Indicator
    unit: str
    breakpoints: tuple[int, ...]
    decimals: int
    above_top: float | None = None

    @property
    def iaqi_steps(self) -> tuple[int, ...]:
        return IAQI_STEPS[: len(self.breakpoints)]

    @property
    def top(self) -> int:
        return self.breakpoints[-1]


def _columns(
    pm10: tuple[int, ...],
    pm2_5: tuple[int, ...],
    so2_1h_above: float,
    o3_8h_above: float,
) -> dict[Indicator, BreakpointColumn]:
    ug, mg = UNIT_UG_M3, UNIT_MG_M3
    columns = (
        BreakpointColumn(Indicator.SO2_24H, ug, (0, 50, 150, 475, 800, 1600, 2100, 2620), 0),
        BreakpointColumn(Indicator.SO2_1H, ug, (0, 150, 500, 650, 800), 0, so2_1h_above),
        BreakpointColumn(Indicator.NO2_24H, ug, (0, 40, 80, 180, 280, 565, 750, 940), 0),
        BreakpointColumn(Indicator.NO2_1H, ug, (0, 100, 200, 700, 1200, 2340, 3090, 3840), 0),
        BreakpointColumn(Indicator.PM10_24H, ug, pm10, 0),
        BreakpointColumn(Indicator.PM2_5_24H, ug, pm2_5, 0),
        BreakpointColumn(Indicator.CO_24H, mg, (0, 2, 4, 14, 24, 36, 48, 60), 1),
        BreakpointColumn(Indicator.CO_1H, mg, (0, 5, 10, 35, 60, 90, 120, 150), 1),
        BreakpointColumn(Indicator.O3_1H, ug, (0, 160, 200, 300, 400, 800, 1000, 1200), 0),
        BreakpointColumn(Indicator.O3_8H, ug, (0, 100, 160, 215, 265, 800), 0, o3_8h_above),
    )
    return {column.indicator: column for column in columns}


BREAKPOINTS: Final[Mapping[AirEdition, Mapping[Indicator, BreakpointColumn]]] = {
    # HJ 633-2012 Table 1. Notes 2 and 3: SO2 1 h > 800 and O3 8 h > 800 have no IAQI of their
    # own (the 24 h SO2 / 1 h O3 IAQI is reported instead, see aqi()).
    AirEdition.HJ_2012: _columns(
        pm10=(0, 50, 150, 250, 350, 420, 500, 600),
        pm2_5=(0, 35, 75, 115, 150, 250, 350, 500),
        so2_1h_above=math.nan,
        o3_8h_above=math.nan,
    ),
    # HJ 633-2026 Table 3: new PM breakpoints at IAQI 100; notes b and c: SO2 1 h > 800 counts
    # as 200, O3 8 h > 800 as 300.
    AirEdition.HJ_2026: _columns(
        pm10=(0, 50, 120, 250, 350, 420, 500, 600),
        pm2_5=(0, 35, 60, 115, 150, 250, 350, 500),
        so2_1h_above=200.0,
        o3_8h_above=300.0,
    ),
}

PRE_ROUNDS: Final[Mapping[AirEdition, bool]] = {
    AirEdition.HJ_2012: False,  # no rounding stated
    AirEdition.HJ_2026: True,  # §4.2.2, GB/T 8170
}


@dataclass(frozen=True)
class AqiLevel:
    """One row of the AQI level table (HJ 633-2012 Table 2 / HJ 633-2026 Table 1)."""

    level: int
    aqi_low: int
    aqi_high: int | None
    category_zh: str
    category_en: str
    colour_zh: str
    colour_en: str
    colour_hex: str
    rgb: tuple[int, int, int]


AQI_LEVELS: Final = (
    AqiLevel(1, 0, 50, "优", "Excellent", "绿色", "green", "#00E400", (0, 228, 0)),
    AqiLevel(2, 51, 100, "良", "Good", "黄色", "yellow", "#FFFF00", (255, 255, 0)),
    AqiLevel(
        3, 101, 150, "轻度污染", "Lightly polluted", "橙色", "orange", "#FF7E00", (255, 126, 0)
    ),
    AqiLevel(4, 151, 200, "中度污染", "Moderately polluted", "红色", "red", "#FF0000", (255, 0, 0)),
    AqiLevel(
        5, 201, 300, "重度污染", "Heavily polluted", "紫色", "purple", "#99004C", (153, 0, 76)
    ),
    AqiLevel(
        6, 301, None, "严重污染", "Severely polluted", "褐红色", "maroon", "#7E0023", (126, 0, 35)
    ),
)
"""Levels 1–6. HJ 633-2026 prints level 1 as 1–50 (AQI 0 only arises for all-zero input)."""

_LEVEL_UPPER: Final = np.array([50, 100, 150, 200, 300], dtype=np.float64)

PRIMARY_ABOVE: Final = 50
"""A primary pollutant is named only when AQI > 50 (HJ 633 §4.4.1 / 2026 §4.3)."""

EXCEEDING_ABOVE: Final = 100
"""HJ 633-2012 only: an exceeding pollutant (超标污染物) has IAQI > 100; deleted in 2026."""

_CHUNK: Final = 1 << 15
_PARALLEL_MIN: Final = 1 << 20
_executor: ThreadPoolExecutor | None = None


def breakpoint_column(edition: AirEdition | str, indicator: Indicator | str) -> BreakpointColumn:
    """The IAQI table column of ``indicator`` in ``edition``."""
    return BREAKPOINTS[parse_edition(edition)][parse_indicator(indicator)]


def parse_indicator(name: Indicator | str) -> Indicator:
    """Return the :class:`Indicator` named ``name`` (case-insensitive; "PM25_24H" accepted)."""
    if isinstance(name, Indicator):
        return name
    key = str(name).strip().lower().replace("pm25", "pm2_5").replace("pm2.5", "pm2_5")
    try:
        return Indicator(key)
    except ValueError:
        expected = ", ".join(indicator.value for indicator in Indicator)
        raise UnknownPollutantError(
            f"unknown indicator {name!r}", f"未知指标 {name!r}", f"expected one of {expected}"
        ) from None


# --- exact integer kernels ------------------------------------------------------------------


def _exact_iaqi_scaled(q: IntArray, column: BreakpointColumn) -> FloatArray:
    """IAQI of concentrations ``q`` given in units of 10⁻⁶ of the column unit, exactly.

    ``q`` must lie in [0, top]; returns float64 holding integers.
    """
    bps = np.array(column.breakpoints, dtype=np.int64) * _SCALE
    steps = np.array(column.iaqi_steps, dtype=np.int64)
    segment = np.clip(np.searchsorted(bps, q, side="right") - 1, 0, len(bps) - 2)
    numerator = (steps[segment + 1] - steps[segment]) * (q - bps[segment])
    denominator = bps[segment + 1] - bps[segment]
    result: IntArray = steps[segment] - ((-numerator) // denominator)  # ceil division
    return result.astype(np.float64)


def _round_half_even_div(values: IntArray, divisor: int) -> IntArray:
    """``values / divisor`` rounded half to even (GB/T 8170), for non-negative integers."""
    quotient, remainder = np.divmod(values, divisor)
    twice = 2 * remainder
    up = (twice > divisor) | ((twice == divisor) & (quotient % 2 == 1))
    result: IntArray = quotient + up
    return result


@dataclass(frozen=True)
class _Table:
    """Exact IAQI lookup table at the column's rounding resolution.

    Index i < len-2 holds the IAQI of concentration i·10^-decimals; index len-2 the value above
    the top breakpoint; index len-1 (= index -1) NaN for missing input.
    """

    values: FloatArray
    top_index: int
    decimals: int


_TABLES: dict[tuple[AirEdition, Indicator, float | None], _Table] = {}


def _table(edition: AirEdition, column: BreakpointColumn, beyond_table: float | None) -> _Table:
    key = (edition, column.indicator, beyond_table)
    table = _TABLES.get(key)
    if table is None:
        top_index = column.top * 10**column.decimals
        grid = np.arange(top_index + 1, dtype=np.int64) * 10 ** (
            CONCENTRATION_DECIMALS - column.decimals
        )
        values = np.empty(top_index + 3, dtype=np.float64)
        values[: top_index + 1] = _exact_iaqi_scaled(grid, column)
        values[top_index + 1] = _above_top_value(column, beyond_table)
        values[top_index + 2] = math.nan
        values.setflags(write=False)
        table = _Table(values, top_index, column.decimals)
        _TABLES[key] = table
    return table


def _above_top_value(column: BreakpointColumn, beyond_table: float | None) -> float:
    if column.above_top is not None:
        return column.above_top
    return math.nan if beyond_table is None else float(beyond_table)


def _check_range(chunk: FloatArray, indicator: Indicator) -> None:
    if chunk.size == 0:
        return
    low = np.fmin.reduce(chunk)
    high = np.fmax.reduce(chunk)
    if low < 0 or math.isinf(high):
        bad = float(low) if low < 0 else float(high)
        raise InvalidValueError(
            f"{indicator.value} concentration {bad} is not a valid concentration",
            f"{indicator.value} 浓度 {bad} 无效",
            "concentrations must be finite and ≥ 0",
        )


def _scaled(chunk: FloatArray, top: int) -> IntArray:
    """Concentrations in 10⁻⁶ units, clipped to top+1 unit; NaN → -1."""
    clipped = np.minimum(np.fmax(chunk, -1.0), float(top + 1))
    scaled: IntArray = np.rint(clipped * _SCALE).astype(np.int64)
    scaled[np.isnan(chunk)] = -1
    return scaled


@dataclass
class _Kernel:
    """Computes the IAQI of one chunk into ``out``, with reusable scratch buffers."""

    edition: AirEdition
    column: BreakpointColumn
    pre_round: bool
    beyond_table: float | None

    def __post_init__(self) -> None:
        self.table = _table(self.edition, self.column, self.beyond_table)
        self.above = _above_top_value(self.column, self.beyond_table)

    def __call__(self, chunk: FloatArray, out: FloatArray, scratch: FloatArray) -> None:
        _check_range(chunk, self.column.indicator)
        if self.column.decimals == 0 and self._lookup_integral(chunk, out, scratch):
            return
        self._exact(chunk, out)

    def _lookup_integral(self, chunk: FloatArray, out: FloatArray, scratch: FloatArray) -> bool:
        # For a µg/m³ column the nearest integer of the float equals the GB/T 8170 rounding of
        # the decimal value (halves are exact binary fractions, so rint's ties-to-even is it).
        np.rint(chunk, out=scratch)
        if not self.pre_round:
            np.subtract(scratch, chunk, out=out)
            if np.fmax.reduce(np.abs(out, out=out)) != 0:
                return False  # 2012 with a non-integral value: use the exact formula
        np.fmax(scratch, -1.0, out=scratch)  # NaN → -1 → last table entry (NaN)
        np.minimum(scratch, float(self.table.top_index + 1), out=scratch)
        index = scratch.astype(np.intp)
        np.take(self.table.values, index, out=out)
        return True

    def _exact(self, chunk: FloatArray, out: FloatArray) -> None:
        column = self.column
        scaled = _scaled(chunk, column.top)
        if self.pre_round:
            unit = 10 ** (CONCENTRATION_DECIMALS - column.decimals)
            valid = scaled >= 0
            scaled[valid] = _round_half_even_div(scaled[valid], unit) * unit
        top = column.top * _SCALE
        inside = (scaled >= 0) & (scaled <= top)
        out.fill(math.nan)
        out[inside] = _exact_iaqi_scaled(scaled[inside], column)
        out[scaled > top] = self.above


def _executor_for(threads: int) -> ThreadPoolExecutor:
    global _executor
    if _executor is None or _executor._max_workers < threads:
        _executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="zhizao-iaqi")
    return _executor


def _map_chunks(
    values: FloatArray,
    out: FloatArray,
    kernel: Callable[[FloatArray, FloatArray, FloatArray], None],
    threads: int | None,
) -> None:
    flat_in = values.reshape(-1)
    flat_out = out.reshape(-1)
    size = flat_in.size
    if threads is None:
        threads = min(os.cpu_count() or 1, 8) if size >= _PARALLEL_MIN else 1
    threads = max(1, min(threads, size // _CHUNK + 1))

    def work(start: int, stop: int) -> None:
        scratch = np.empty(min(_CHUNK, stop - start), dtype=np.float64)
        for low in range(start, stop, _CHUNK):
            high = min(low + _CHUNK, stop)
            kernel(flat_in[low:high], flat_out[low:high], scratch[: high - low])

    if threads == 1:
        work(0, size)
        return
    bounds = [size * part // threads for part in range(threads + 1)]
    futures = [
        _executor_for(threads).submit(work, bounds[part], bounds[part + 1])
        for part in range(threads)
    ]
    for future in futures:
        future.result()


def iaqi(
    indicator: Indicator | str,
    concentrations: npt.ArrayLike,
    *,
    edition: AirEdition | str,
    beyond_table: float | None = BEYOND_TABLE_IAQI,
    pre_round: bool | None = None,
    threads: int | None = None,
) -> FloatArray:
    """Individual AQI (IAQI, 空气质量分指数) of ``concentrations`` of one indicator.

    ``concentrations`` in µg/m³ (CO in mg/m³); NaN means not measured and gives NaN. Returns
    float64 integers (rounded up per the standard) with NaN where there is no value: missing
    input, HJ 633-2012 SO2 1 h / O3 8 h above 800 (no IAQI of their own; :func:`aqi` substitutes
    the 24 h SO2 / 1 h O3 IAQI), or above the top breakpoint when ``beyond_table`` is None.
    ``pre_round`` defaults to the edition's rule (2026: GB/T 8170 rounding first; 2012: none).
    Raises :class:`InvalidValueError` for negative or infinite concentrations.
    """
    edition = parse_edition(edition)
    column = BREAKPOINTS[edition][parse_indicator(indicator)]
    values = np.ascontiguousarray(concentrations, dtype=np.float64)
    out = np.empty(values.shape, dtype=np.float64)
    if pre_round is None:
        pre_round = PRE_ROUNDS[edition]
    kernel = _Kernel(edition, column, pre_round, beyond_table)
    _map_chunks(values, out, kernel, threads)
    return out


def iaqi_value(
    indicator: Indicator | str,
    concentration: float | None,
    *,
    edition: AirEdition | str,
    beyond_table: float | None = BEYOND_TABLE_IAQI,
) -> int | None:
    """Scalar :func:`iaqi`: an int, or None where the standard gives no value."""
    if concentration is None:
        return None
    result = float(iaqi(indicator, [concentration], edition=edition, beyond_table=beyond_table)[0])
    return None if math.isnan(result) else int(result)


# --- AQI ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AqiReport:
    """The AQI of one place and time, as published."""

    edition: AirEdition
    iaqi: dict[Indicator, int | None]
    aqi: int | None
    level: int | None
    category_zh: str | None
    category_en: str | None
    colour_hex: str | None
    primary: list[Indicator]
    exceeding: list[Indicator] | None
    """HJ 633-2012 only (IAQI > 100); None under 2026, which deleted the term."""


@dataclass(frozen=True)
class AqiResult:
    """Vectorised AQI of n rows (one row = one place and time).

    ``iaqi`` holds, per indicator supplied, the IAQI after the 2012 substitution notes; ``aqi``
    is their maximum (NaN where no indicator has a value); ``level`` is 1–6 (0 = no AQI);
    ``primary`` and ``exceeding`` are boolean masks of shape (n, len(indicators)).
    """

    edition: AirEdition
    indicators: tuple[Indicator, ...]
    iaqi: dict[Indicator, FloatArray]
    aqi: FloatArray
    level: npt.NDArray[np.int8]
    primary: BoolArray
    exceeding: BoolArray | None

    def __len__(self) -> int:
        return int(self.aqi.shape[0])

    def report(self, row: int) -> AqiReport:
        """The published form of row ``row``."""
        values = {
            indicator: _int_or_none(self.iaqi[indicator][row]) for indicator in self.indicators
        }
        level = int(self.level[row])
        info = AQI_LEVELS[level - 1] if level else None
        primary = [
            ind for ind, flag in zip(self.indicators, self.primary[row], strict=True) if flag
        ]
        exceeding = None
        if self.exceeding is not None:
            exceeding = [
                ind for ind, flag in zip(self.indicators, self.exceeding[row], strict=True) if flag
            ]
        return AqiReport(
            edition=self.edition,
            iaqi=values,
            aqi=_int_or_none(self.aqi[row]),
            level=level or None,
            category_zh=info.category_zh if info else None,
            category_en=info.category_en if info else None,
            colour_hex=info.colour_hex if info else None,
            primary=primary,
            exceeding=exceeding,
        )

    def reports(self) -> list[AqiReport]:
        return [self.report(row) for row in range(len(self))]


def _int_or_none(value: np.floating | float) -> int | None:
    number = float(value)
    return None if math.isnan(number) else int(number)


def aqi_level(aqi_values: npt.ArrayLike) -> npt.NDArray[np.int8]:
    """AQI level 1–6 of each AQI value (0 where the AQI is NaN)."""
    values = np.asarray(aqi_values, dtype=np.float64)
    level = (np.searchsorted(_LEVEL_UPPER, values, side="left") + 1).astype(np.int8)
    level[np.isnan(values)] = 0
    return level


def level_info(level: int) -> AqiLevel:
    """The category, colour and range of AQI level ``level`` (1–6)."""
    if not 1 <= level <= len(AQI_LEVELS):
        raise InvalidValueError(f"AQI level {level} is not 1–6", f"AQI 级别 {level} 不在 1–6 之间")
    return AQI_LEVELS[level - 1]


def aqi(
    concentrations: ConcentrationColumns,
    *,
    edition: AirEdition | str,
    beyond_table: float | None = BEYOND_TABLE_IAQI,
    pre_round: bool | None = None,
) -> AqiResult:
    """AQI (空气质量指数) of rows of concentrations, one array per indicator.

    Indicators not measured are left out of the mapping or given as NaN. HJ 633-2012 notes 2
    and 3 are applied here: where SO2 1 h > 800 the SO2 24 h IAQI is reported for SO2 1 h, and
    where O3 8 h > 800 the O3 1 h IAQI is reported for O3 8 h (NaN when that indicator is not
    supplied). HJ 633-2026 counts them as 200 and 300 inside :func:`iaqi`.
    """
    edition = parse_edition(edition)
    if not concentrations:
        raise InvalidValueError("no concentrations given", "未提供任何浓度")
    parsed = {
        parse_indicator(key): np.asarray(value, dtype=np.float64).reshape(-1)
        for key, value in concentrations.items()
    }
    sizes = {array.shape[0] for array in parsed.values()}
    if len(sizes) != 1:
        raise InvalidValueError("concentration arrays differ in length", "各浓度数组长度不一致")
    indicators = tuple(indicator for indicator in Indicator if indicator in parsed)
    sub = {
        indicator: iaqi(
            indicator,
            parsed[indicator],
            edition=edition,
            beyond_table=beyond_table,
            pre_round=pre_round,
        )
        for indicator in indicators
    }
    if edition is AirEdition.HJ_2012:
        _substitute(sub, parsed, Indicator.SO2_1H, Indicator.SO2_24H)
        _substitute(sub, parsed, Indicator.O3_8H, Indicator.O3_1H)
    stacked = np.stack([sub[indicator] for indicator in indicators], axis=1)
    overall = np.fmax.reduce(stacked, axis=1)
    with np.errstate(invalid="ignore"):
        primary = (stacked == overall[:, None]) & (overall[:, None] > PRIMARY_ABOVE)
        exceeding = stacked > EXCEEDING_ABOVE if edition is AirEdition.HJ_2012 else None
    return AqiResult(
        edition=edition,
        indicators=indicators,
        iaqi=sub,
        aqi=overall,
        level=aqi_level(overall),
        primary=primary,
        exceeding=exceeding,
    )


def _substitute(
    sub: dict[Indicator, FloatArray],
    concentrations: Mapping[Indicator, FloatArray],
    indicator: Indicator,
    replacement: Indicator,
) -> None:
    if indicator not in sub:
        return
    column = BREAKPOINTS[AirEdition.HJ_2012][indicator]
    above = concentrations[indicator] > column.top
    if not above.any():
        return
    values = sub[indicator]
    if replacement in sub:
        values[above] = sub[replacement][above]
    else:
        values[above] = math.nan


def aqi_reports(
    rows: Sequence[ConcentrationRow],
    editions: Sequence[AirEdition | str] | AirEdition | str,
    *,
    beyond_table: float | None = BEYOND_TABLE_IAQI,
) -> list[AqiReport]:
    """Per-row API: one :class:`AqiReport` per mapping of indicator → concentration.

    ``editions`` is one edition for all rows or one per row (e.g. from each row's date); rows
    are grouped by edition and computed vectorised.
    """
    if isinstance(editions, str | AirEdition):
        per_row = [parse_edition(editions)] * len(rows)
    else:
        per_row = [parse_edition(edition) for edition in editions]
        if len(per_row) != len(rows):
            raise InvalidValueError("one edition per row expected", "每行需要一个版本")
    results: list[AqiReport | None] = [None] * len(rows)
    for edition in AirEdition:
        index = [i for i, row_edition in enumerate(per_row) if row_edition is edition]
        if not index:
            continue
        for group in _group_by_keys(rows, index):
            keys = sorted({parse_indicator(key) for key in rows[group[0]]})
            if not keys:
                for i in group:
                    results[i] = _empty_report(edition)
                continue
            columns = {key: [_nan_if_none(_lookup(rows[i], key)) for i in group] for key in keys}
            result = aqi(columns, edition=edition, beyond_table=beyond_table)
            for position, i in enumerate(group):
                results[i] = result.report(position)
    return [report for report in results if report is not None]


def _group_by_keys(rows: Sequence[ConcentrationRow], index: Iterable[int]) -> list[list[int]]:
    groups: dict[frozenset[Indicator], list[int]] = {}
    for i in index:
        key = frozenset(parse_indicator(name) for name in rows[i])
        groups.setdefault(key, []).append(i)
    return list(groups.values())


def _lookup(row: ConcentrationRow, key: Indicator) -> float | None:
    for name, value in row.items():
        if parse_indicator(name) is key:
            return value
    return None


def _nan_if_none(value: float | None) -> float:
    return math.nan if value is None else float(value)


def _empty_report(edition: AirEdition) -> AqiReport:
    return AqiReport(edition, {}, None, None, None, None, None, [], None)
