"""HJ 663 ambient air quality evaluation (环境空气质量评价) and the city-ranking composite index.

From hourly station data to a city's annual or monthly evaluation:

1. Station daily values: 24 h means need ≥ 20 valid hours (GB 3095 Table 4); O3 daily maximum
   8-hour mean (MDA8) from 8-hour moving means that need ≥ 6 valid hours each, the day needing
   ≥ 14 valid 8-hour means unless its maximum exceeds the limit (HJ 663 §6.1.2, SINGLE source).
2. City daily values: the mean over the stations with a valid daily value.
3. Period statistics: means of SO2, NO2, PM10, PM2.5; CO 95th percentile of daily means; O3
   90th percentile of MDA8; SO2/NO2 98th and PM10/PM2.5 95th percentiles of daily means —
   percentiles by the HJ 663 Appendix A rank formula (:func:`percentile`, identical to NumPy's
   "linear" method).
4. Composite index (综合指数) ΣC_i/S_i over all six pollutants with per-pollutant parts and
   primary pollutant; daily AQI, good days (AQI ≤ 100) and good-day ratio over valid days;
   exceedance days against the GB 3095 daily limits in force on each date; data validity
   (≥ 324 days a year and every month ≥ 27, ≥ 25 in February); GB 3095 attainment (达标) per
   pollutant for a year.

Array layout: hourly data are arrays of shape (stations, days, 24), hour h holding the hour
that *starts* at h:00 (HJ 663 labels it h+1: "the 1-hour mean labelled X is the hour before X").
NaN marks a missing or invalid hour. Pollutant keys: so2, no2, pm10, pm2_5, co, o3.
"""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import functools
import gc
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Final

import numpy as np
import numpy.typing as npt

from zhizao.indicators import air
from zhizao.indicators.air import Indicator
from zhizao.indicators.editions import (
    AirEdition,
    LimitSet,
    air_edition_on,
    is_2026_edition,
    limit_set_for,
    parse_edition,
)
from zhizao.indicators.errors import InputFormatError, InvalidValueError, UnknownPollutantError
from zhizao.indicators.limits import (
    COMPOSITE_POLLUTANTS,
    Averaging,
    composite_denominators,
    daily_limits,
    limit,
)
from zhizao.indicators.rates import (
    COMPOSITE_DECIMALS,
    Change,
    RatioChange,
    change,
    exact,
    ratio_change,
    round_gbt8170,
)

FloatArray = npt.NDArray[np.float64]

HOURLY_POLLUTANTS: Final = ("so2", "no2", "pm10", "pm2_5", "co", "o3")

DAILY_INDICATORS: Final[Mapping[str, Indicator]] = {
    "so2": Indicator.SO2_24H,
    "no2": Indicator.NO2_24H,
    "pm10": Indicator.PM10_24H,
    "pm2_5": Indicator.PM2_5_24H,
    "co": Indicator.CO_24H,
    "o3_8h": Indicator.O3_8H,
    "o3_1h": Indicator.O3_1H,
}
"""Keys of a city daily series and the IAQI column each is evaluated against."""

DAILY_REPORT_KEYS: Final[Mapping[AirEdition, tuple[str, ...]]] = {
    edition: tuple(
        key
        for indicator in air.report_indicators(edition, air.Report.DAILY)
        for key, column in DAILY_INDICATORS.items()
        if column is indicator
    )
    for edition in AirEdition
}
"""Daily series keys of each edition's daily report, from :data:`air.REPORT_INDICATORS`
(2012: seven incl. O3 daily max 1 h; 2026: six, without it)."""

GOOD_DAY_MAX_AQI: Final = 100
"""A good day (优良天) has daily AQI ≤ 100 (levels 1–2)."""


@dataclass(frozen=True)
class ValidityRules:
    """Data-validity rules. Defaults are GB 3095 Table 4 / HJ 663; see the field notes."""

    min_hours_per_day: int = 20
    """24 h mean needs ≥ 20 valid hourly values (GB 3095 Table 4, VERIFIED-PRIMARY)."""
    min_hours_per_8h: int = 6
    """An 8-hour moving mean needs ≥ 6 valid hours (GB 3095 Table 4)."""
    min_8h_windows: int = 14
    """MDA8 needs ≥ 14 valid 8-hour means in the day (HJ 663 §6.1.2, SINGLE source)."""
    mda8_first_window_end: int = 8
    """MDA8 candidate windows end at this hour … 24:00. UNVERIFIED: 8 (17 windows within the
    day) is the usual reading; 1 takes windows reaching into the previous day (24 windows)."""
    mda8_valid_if_above: float | None = 160.0
    """With too few windows the MDA8 still counts if it exceeds this (the O3 8 h class-2
    limit); None disables the exception."""
    min_hours_for_daily_max_1h: int = 20
    """O3 daily maximum 1 h (HJ 633-2012 daily report). UNVERIFIED: 20 hours, as daily means."""
    min_days_per_year: int = 324
    """Annual statistics need ≥ 324 daily values (GB 3095 Table 4; for percentiles UNVERIFIED)."""
    min_days_per_month: int = 27
    min_days_february: int = 25
    min_stations: int = 1
    """City daily value needs this many stations with a valid daily value. UNVERIFIED: 1."""


DEFAULT_RULES: Final = ValidityRules()


# --- statistics -----------------------------------------------------------------------------


def percentile(values: npt.ArrayLike, p: float, axis: int = -1) -> FloatArray:
    """HJ 663 Appendix A percentile, ignoring NaN, along ``axis``.

    Sort ascending X(1) ≤ … ≤ X(n); k = 1 + (n − 1)·p/100; s = ⌊k⌋;
    m_p = X(s) + (X(s+1) − X(s))·(k − s), and X(n) when s = n. k is computed exactly (p as a
    decimal fraction), so the interpolation weight carries no rounding error. NaN where n = 0.
    """
    return _percentile(values, p, axis, per_row=False)


def _percentile(values: npt.ArrayLike, p: float, axis: int, *, per_row: bool) -> FloatArray:
    """:func:`percentile`; ``per_row`` decides the exact-decimal interpolation per element of
    the result's first axis (one station each) instead of over the whole result, so that a
    batch gives each station what :func:`percentile` gives it alone."""
    data = np.moveaxis(np.asarray(values, dtype=np.float64), axis, -1)
    ordered = np.sort(data, axis=-1)  # NaN sorts last
    n = np.sum(~np.isnan(ordered), axis=-1)
    weight = Fraction(str(p)) / 100
    if not 0 <= weight <= 1:
        raise InvalidValueError(f"percentile {p} is not in 0–100", f"百分位数 {p} 不在 0–100 之间")
    numerator = (np.maximum(n, 1) - 1) * weight.numerator
    lower_index = numerator // weight.denominator
    remainder = numerator % weight.denominator
    upper_index = np.minimum(lower_index + 1, np.maximum(n, 1) - 1)
    lower = np.take_along_axis(ordered, lower_index[..., None], axis=-1)[..., 0]
    upper = np.take_along_axis(ordered, upper_index[..., None], axis=-1)[..., 0]
    if per_row and lower.ndim:
        result = _interpolate_rows(lower, upper, remainder, weight.denominator)
    else:
        result = _interpolate_decimal(lower, upper, remainder, weight.denominator)
    return np.where(n > 0, result, np.nan)


_EXACT_DECIMALS: Final = 6
_EXACT_LIMIT: Final = 1e9
"""Means and percentile interpolation read values as decimals with 6 places and use integer
arithmetic, so that a mean of 42.85 is the float nearest 42.85 (not 42.849999…) and rounding
for publication never flips on float noise. Values at or above this bound fall back to floats."""


def _interpolate_decimal(
    lower: FloatArray, upper: FloatArray, remainder: npt.NDArray[np.int64], denominator: int
) -> FloatArray:
    """lower + (upper − lower)·remainder/denominator, exactly for 6-decimal values."""
    scale = 10**_EXACT_DECIMALS
    finite = np.nan_to_num(np.abs(np.concatenate([lower.ravel(), upper.ravel()])))
    if finite.size and float(finite.max()) * denominator >= _EXACT_LIMIT * 1000:
        interpolated = lower + (upper - lower) * (remainder / denominator)
        return np.where(remainder == 0, lower, interpolated)
    low = np.rint(np.nan_to_num(lower) * scale).astype(np.int64)
    high = np.rint(np.nan_to_num(upper) * scale).astype(np.int64)
    exact = (low * (denominator - remainder) + high * remainder) / float(denominator * scale)
    return np.where(remainder == 0, lower, exact)


def _interpolate_rows(
    lower: FloatArray, upper: FloatArray, remainder: npt.NDArray[np.int64], denominator: int
) -> FloatArray:
    """:func:`_interpolate_decimal` with the exact-or-float choice made per element of the
    first axis (each row as if alone)."""
    scale = 10**_EXACT_DECIMALS
    rows = lower.shape[0]
    magnitude = np.maximum(
        np.nan_to_num(np.abs(lower)).reshape(rows, -1),
        np.nan_to_num(np.abs(upper)).reshape(rows, -1),
    )
    peak = magnitude.max(axis=1) if magnitude.shape[1] else np.zeros(rows)
    as_float = (peak * denominator >= _EXACT_LIMIT * 1000).reshape(
        (rows,) + (1,) * (lower.ndim - 1)
    )
    with np.errstate(invalid="ignore", over="ignore"):
        interpolated = lower + (upper - lower) * (remainder / denominator)
        low = np.rint(np.where(as_float, 0.0, np.nan_to_num(lower)) * scale).astype(np.int64)
        high = np.rint(np.where(as_float, 0.0, np.nan_to_num(upper)) * scale).astype(np.int64)
    exact = (low * (denominator - remainder) + high * remainder) / float(denominator * scale)
    return np.where(remainder == 0, lower, np.where(as_float, interpolated, exact))


def _masked_mean(values: FloatArray, axis: int, minimum: int) -> FloatArray:
    """Mean over ``axis`` of the non-NaN values; NaN where fewer than ``minimum`` of them."""
    valid = ~np.isnan(values)
    count = valid.sum(axis=axis)
    finite_max = np.fmax.reduce(np.abs(values), axis=None) if values.size else 0.0
    with np.errstate(invalid="ignore", divide="ignore"):
        if not np.isnan(finite_max) and finite_max < _EXACT_LIMIT / 1000:
            scaled = np.rint(np.where(valid, values, 0.0) * 10**_EXACT_DECIMALS)
            total = scaled.astype(np.int64).sum(axis=axis)
            mean = total / (count * float(10**_EXACT_DECIMALS))
        else:
            mean = np.where(valid, values, 0.0).sum(axis=axis) / count
    return np.where(count >= max(minimum, 1), mean, np.nan)


def _masked_mean_rows(values: FloatArray, axis: int, minimum: int) -> FloatArray:
    """:func:`_masked_mean` over ``axis`` (not 0) of each row of the first axis as if alone: the
    exact-decimal or float sum is chosen per row (one station each)."""
    if axis % values.ndim == 0:
        raise InvalidValueError("rows are the first axis", "行必须是第一维")
    rows = values.shape[0]
    valid = ~np.isnan(values)
    count = valid.sum(axis=axis)
    flat = np.abs(values.reshape(rows, -1))
    peak = np.fmax.reduce(flat, axis=1) if flat.shape[1] else np.zeros(rows)
    with np.errstate(invalid="ignore"):
        exact_rows = ~np.isnan(peak) & (peak < _EXACT_LIMIT / 1000)
    shape = (rows,) + (1,) * (values.ndim - 1)
    filled = np.where(valid, values, 0.0)
    every_row_exact = bool(exact_rows.all())
    with np.errstate(invalid="ignore", divide="ignore"):
        to_scale = filled if every_row_exact else np.where(exact_rows.reshape(shape), filled, 0.0)
        scaled = np.rint(to_scale * 10**_EXACT_DECIMALS)
        total = scaled.astype(np.int64).sum(axis=axis)
        mean = total / (count * float(10**_EXACT_DECIMALS))
        if not every_row_exact:
            float_mean = filled.sum(axis=axis) / count
            row_shape = (rows,) + (1,) * (count.ndim - 1)
            mean = np.where(exact_rows.reshape(row_shape), mean, float_mean)
    return np.where(count >= max(minimum, 1), mean, np.nan)


def daily_means(hourly: npt.ArrayLike, rules: ValidityRules = DEFAULT_RULES) -> FloatArray:
    """24 h means of hourly data (..., days, 24); NaN where fewer than the minimum hours."""
    data = _hourly_array(hourly)
    return _masked_mean(data, axis=-1, minimum=rules.min_hours_per_day)


def daily_max_1h(hourly: npt.ArrayLike, rules: ValidityRules = DEFAULT_RULES) -> FloatArray:
    """Daily maximum 1 h value (..., days) where the day has enough valid hours."""
    data = _hourly_array(hourly)
    count = (~np.isnan(data)).sum(axis=-1)
    maximum = np.fmax.reduce(data, axis=-1)
    return np.where(count >= rules.min_hours_for_daily_max_1h, maximum, np.nan)


def moving_8h_means(hourly: npt.ArrayLike, rules: ValidityRules = DEFAULT_RULES) -> FloatArray:
    """8-hour moving means on the flattened hour axis, shape (..., days, 24).

    Element [d, h] is the mean of hours h−7 … h of day d (the 8-hour mean labelled h+1),
    NaN where fewer than ``min_hours_per_8h`` of them are valid or the window starts before the
    first day.
    """
    data = _hourly_array(hourly)
    lead = data.shape[:-2]
    flat = data.reshape(*lead, -1)
    valid = ~np.isnan(flat)
    filled = np.where(valid, flat, 0.0)
    hours = flat.shape[-1]
    sums = np.zeros((*lead, hours), dtype=np.float64)
    counts = np.zeros((*lead, hours), dtype=np.int16)
    if hours >= 8:
        for shift in range(8):
            stop = hours - 7 + shift
            sums[..., 7:] += filled[..., shift:stop]
            counts[..., 7:] += valid[..., shift:stop]
    with np.errstate(invalid="ignore", divide="ignore"):
        means = sums / counts
    means[counts < rules.min_hours_per_8h] = np.nan
    return means.reshape(data.shape)


def o3_mda8(hourly: npt.ArrayLike, rules: ValidityRules = DEFAULT_RULES) -> FloatArray:
    """O3 daily maximum 8-hour mean (日最大8小时滑动平均), shape (..., days)."""
    if not 1 <= rules.mda8_first_window_end <= 8:
        raise InvalidValueError(
            "mda8_first_window_end must be 1–8", "mda8_first_window_end 必须在 1–8 之间"
        )
    windows = moving_8h_means(hourly, rules)[..., rules.mda8_first_window_end - 1 :]
    count = (~np.isnan(windows)).sum(axis=-1)
    maximum = np.fmax.reduce(windows, axis=-1)
    enough = count >= rules.min_8h_windows
    if rules.mda8_valid_if_above is not None:
        with np.errstate(invalid="ignore"):
            enough |= maximum > rules.mda8_valid_if_above
    return np.where(enough, maximum, np.nan)


def city_daily(station_daily: npt.ArrayLike, rules: ValidityRules = DEFAULT_RULES) -> FloatArray:
    """City daily values: mean over stations (axis 0) with a valid daily value."""
    data = np.asarray(station_daily, dtype=np.float64)
    return _masked_mean(data, axis=0, minimum=rules.min_stations)


def _hourly_array(hourly: npt.ArrayLike) -> FloatArray:
    data = np.asarray(hourly, dtype=np.float64)
    if data.ndim < 2 or data.shape[-1] != 24:
        raise InputFormatError(
            f"hourly data must have shape (..., days, 24), got {data.shape}",
            f"小时数据的形状必须为 (..., 天数, 24), 实际为 {data.shape}",
        )
    return data


# --- composite index ------------------------------------------------------------------------


@dataclass(frozen=True)
class CompositeScheme:
    """Denominators and weights of the composite index for one edition/period."""

    name: str
    limit_set: LimitSet
    weights: Mapping[str, float]
    status: str

    @property
    def denominators(self) -> dict[str, float]:
        return composite_denominators(self.limit_set)


EQUAL_WEIGHTS: Final[Mapping[str, float]] = dict.fromkeys(COMPOSITE_POLLUTANTS, 1.0)

UNVERIFIED_WEIGHTS_2026: Final[Mapping[str, float]] = {
    "so2": 1.0,
    "no2": 2.0,
    "pm10": 1.0,
    "pm2_5": 3.0,
    "co": 1.0,
    "o3": 2.0,
}
"""Weights one unofficial codebase applies for "HJ 663-2026" (standards.md §2.5): SINGLE,
UNVERIFIED — available only when explicitly chosen, never the default."""

COMPOSITE_SCHEMES: Final[Mapping[str, CompositeScheme]] = {
    "2012": CompositeScheme(
        "2012", LimitSet.GB3095_2012, EQUAL_WEIGHTS, "VERIFIED-2 (Anhui bulletins 2017–2022)"
    ),
    "2026-transitional": CompositeScheme(
        "2026-transitional",
        LimitSet.GB3095_2026_TRANSITIONAL,
        EQUAL_WEIGHTS,
        "UNVERIFIED: which limits the national ranking uses from 2026-03-01",
    ),
    "2026-final": CompositeScheme(
        "2026-final",
        LimitSet.GB3095_2026_FINAL,
        EQUAL_WEIGHTS,
        "UNVERIFIED: GB 3095-2026 final limits from 2031-01-01",
    ),
    "2026-transitional-weighted-unverified": CompositeScheme(
        "2026-transitional-weighted-unverified",
        LimitSet.GB3095_2026_TRANSITIONAL,
        UNVERIFIED_WEIGHTS_2026,
        "SINGLE unofficial source; do not use as default",
    ),
}


def composite_scheme_for(edition: AirEdition | str, period_end: dt.date) -> CompositeScheme:
    """Default scheme: equal weights, the limit set going with ``edition`` at ``period_end``."""
    limit_set = limit_set_for(parse_edition(edition), period_end)
    for scheme in COMPOSITE_SCHEMES.values():
        if scheme.limit_set is limit_set and scheme.weights is EQUAL_WEIGHTS:
            return scheme
    raise AssertionError(limit_set)  # pragma: no cover - every limit set has a scheme


_COMPOSITE_ALIASES: Final[Mapping[str, str]] = {
    "co_p95": "co",
    "o3_8h_p90": "o3",
    "o3_8h": "o3",
    "pm25": "pm2_5",
}


def composite_parts(
    concentrations: Mapping[str, npt.ArrayLike],
    scheme: CompositeScheme = COMPOSITE_SCHEMES["2012"],
) -> dict[str, FloatArray]:
    """Single indices w_i · C_i / S_i per pollutant (vectorised over any array shape).

    Keys: so2, no2, pm10, pm2_5 (period means), co (95th percentile of daily means; co_p95
    accepted), o3 (90th percentile of MDA8; o3_8h_p90 accepted).
    """
    denominators = scheme.denominators
    parts: dict[str, FloatArray] = {}
    for key, value in concentrations.items():
        pollutant = _COMPOSITE_ALIASES.get(key.lower(), key.lower())
        if pollutant not in denominators:
            raise UnknownPollutantError(
                f"unknown composite-index pollutant {key!r}",
                f"综合指数中没有污染物 {key!r}",
                f"expected one of {', '.join(COMPOSITE_POLLUTANTS)}",
            )
        weight = scheme.weights.get(pollutant, 1.0)
        parts[pollutant] = weight * np.asarray(value, dtype=np.float64) / denominators[pollutant]
    return parts


@dataclass(frozen=True)
class CompositeIndex:
    """Composite index of one period: total, parts and the pollutant(s) with the largest part.

    The index is the sum over all six pollutants: with any of them missing (no value, or NaN)
    ``total`` is NaN, ``total_exact`` None and ``missing`` names them (:attr:`reason` says
    why); ``parts`` still holds the single indices that exist.
    """

    total: float
    parts: dict[str, float]
    primary: list[str]
    scheme: str
    total_exact: Fraction | None
    """The sum computed exactly from the decimal concentrations (for publication rounding)."""
    missing: list[str] = field(default_factory=list)

    @property
    def reason(self) -> str | None:
        """Why there is no total (en + zh), or None when there is one."""
        if not self.missing:
            return None
        names = ", ".join(self.missing)
        return (
            f"composite index not computed: no value for {names}; it sums all six pollutants"
            f" (综合指数未计算: 缺少 {names}, 综合指数须由六项污染物计算)"
        )

    def rounded(self, ndigits: int = COMPOSITE_DECIMALS) -> float:
        """Total rounded per GB/T 8170 from the exact sum (3.425 → 3.42); NaN without total."""
        if self.total_exact is None:
            return math.nan
        return round_gbt8170(self.total_exact, ndigits)


def composite_index(
    concentrations: Mapping[str, float],
    scheme: CompositeScheme | str = "2012",
) -> CompositeIndex:
    """Composite index I_sum = Σ w_i·C_i/S_i over the six pollutants.

    A pollutant absent or NaN leaves the total undefined (NaN, see :class:`CompositeIndex`):
    a sum over five pollutants is not the composite index.
    """
    chosen = COMPOSITE_SCHEMES[scheme] if isinstance(scheme, str) else scheme
    parts = {key: float(value) for key, value in composite_parts(concentrations, chosen).items()}
    present = {key: value for key, value in parts.items() if not math.isnan(value)}
    missing = [key for key in COMPOSITE_POLLUTANTS if key not in present]
    if missing:
        return CompositeIndex(math.nan, parts, [], chosen.name, None, missing)
    denominators = chosen.denominators
    exact_parts = {
        key: _weight_over_limit(chosen.weights.get(key, 1.0), denominators[key])
        * exact(_composite_value(concentrations, key))
        for key in present
    }
    total_exact = sum(exact_parts.values(), Fraction(0))
    top = max(exact_parts.values())
    primary = [key for key, value in exact_parts.items() if value == top]
    return CompositeIndex(float(total_exact), parts, primary, chosen.name, total_exact)


@functools.lru_cache(maxsize=64)
def _weight_over_limit(weight: float, denominator: float) -> Fraction:
    """w_i / S_i exactly (the same few pairs for every station and year)."""
    return exact(weight) / exact(denominator)


def _composite_value(concentrations: Mapping[str, float], pollutant: str) -> float:
    for key, value in concentrations.items():
        if _COMPOSITE_ALIASES.get(key.lower(), key.lower()) == pollutant:
            return float(value)
    raise KeyError(pollutant)  # pragma: no cover - parts come from the same mapping


# --- period evaluation ----------------------------------------------------------------------


@dataclass(frozen=True)
class DailySeries:
    """A city's (or one station's) daily values over consecutive days.

    ``values`` keys: so2, no2, pm10, pm2_5, co (24 h means), o3_8h (MDA8) and optionally o3_1h
    (daily max 1 h, used by the HJ 633-2012 daily AQI); each an array of len(dates), NaN = no
    valid value.
    """

    dates: npt.NDArray[np.datetime64]
    values: Mapping[str, FloatArray]

    def __post_init__(self) -> None:
        for key, series in self.values.items():
            if key not in DAILY_INDICATORS:
                raise UnknownPollutantError(
                    f"unknown daily series {key!r}",
                    f"未知日数据项 {key!r}",
                    f"expected one of {', '.join(DAILY_INDICATORS)}",
                )
            if np.shape(series) != np.shape(self.dates):
                raise InputFormatError(
                    f"daily series {key!r}: {np.size(series)} values, {np.size(self.dates)} days",
                    f"日数据 {key!r} 的长度与日期数不符",
                )

    @classmethod
    def from_lists(cls, start: dt.date, values: Mapping[str, npt.ArrayLike]) -> DailySeries:
        arrays = {key: np.asarray(series, dtype=np.float64) for key, series in values.items()}
        days = len(next(iter(arrays.values()))) if arrays else 0
        dates = np.datetime64(start.isoformat(), "D") + np.arange(days)
        return cls(dates, arrays)

    def select(self, mask: npt.NDArray[np.bool_]) -> DailySeries:
        return DailySeries(self.dates[mask], {k: v[mask] for k, v in self.values.items()})


@dataclass(frozen=True)
class PollutantValidity:
    """Valid daily values of one pollutant in a period, against the required minimum."""

    valid_days: int
    required_days: int
    short_months: list[int]
    """Months of the period with fewer valid days than the monthly minimum (27, February 25),
    months without any data included."""
    period_days: int = 0
    """Calendar days of the period (365 or 366 for a year, the month's days for a month)."""
    supplied_days: int = 0
    """Days present in the series (valid or not)."""

    @property
    def meets(self) -> bool:
        return self.valid_days >= self.required_days and not self.short_months


@dataclass(frozen=True)
class DailyAqi:
    """Daily AQI of a series: per-day value, level, validity and edition used."""

    aqi: FloatArray
    level: npt.NDArray[np.int8]
    valid: npt.NDArray[np.bool_]
    edition_2026: npt.NDArray[np.bool_]
    primary: list[list[str]]


PERCENTILE_STATISTICS: Final[Mapping[str, tuple[str, int]]] = {
    "so2_p98": ("so2", 98),
    "no2_p98": ("no2", 98),
    "pm10_p95": ("pm10", 95),
    "pm2_5_p95": ("pm2_5", 95),
}
"""Annual percentiles of daily means a compliance judgement needs (HJ 663 §5, SINGLE source):
statistic key → (daily series, percentile). CO's 95th and O3's 90th are in ``concentrations``."""

ATTAINMENT_STATISTICS: Final[Mapping[str, tuple[tuple[str, Averaging], ...]]] = {
    "so2": (("so2", Averaging.ANNUAL), ("so2_p98", Averaging.DAILY)),
    "no2": (("no2", Averaging.ANNUAL), ("no2_p98", Averaging.DAILY)),
    "pm10": (("pm10", Averaging.ANNUAL), ("pm10_p95", Averaging.DAILY)),
    "pm2_5": (("pm2_5", Averaging.ANNUAL), ("pm2_5_p95", Averaging.DAILY)),
    "co": (("co_p95", Averaging.DAILY),),
    "o3": (("o3_8h_p90", Averaging.MAX_8H),),
}
"""达标 (attainment) of a year: each statistic against the GB 3095 limit of its averaging time
— annual mean against the annual limit, the percentile of daily values against the daily
limit (O3: 90th percentile of MDA8 against the 8 h limit). All must meet."""

_VALIDITY_KEY: Final[Mapping[str, str]] = {
    "so2": "so2",
    "no2": "no2",
    "pm10": "pm10",
    "pm2_5": "pm2_5",
    "co": "co_p95",
    "o3": "o3_8h_p90",
}


@dataclass(frozen=True)
class AttainmentCheck:
    """One statistic of a pollutant against its GB 3095 limit (equality meets)."""

    statistic: str
    averaging: Averaging
    value: float
    limit: float
    meets: bool | None
    """None where the statistic has no value."""


@dataclass(frozen=True)
class PollutantAttainment:
    """Whether a pollutant attains GB 3095 in a year (达标), with the checks behind it.

    ``attains`` is None when it cannot be judged: a statistic without a value, or data that
    do not meet GB 3095 Table 4 validity; ``reason`` then says why (and, when it does not
    attain, which statistic exceeds), in English and Chinese.
    """

    pollutant: str
    limit_set: LimitSet
    checks: list[AttainmentCheck]
    attains: bool | None
    reason: str | None


@dataclass(frozen=True)
class PeriodEvaluation:
    """Evaluation of one period (year or month) of a city's daily values."""

    start: dt.date
    end: dt.date
    days: int
    concentrations: dict[str, float]
    composite: CompositeIndex
    scheme: CompositeScheme
    editions: list[str]
    good_days: int
    valid_days: int
    good_day_ratio: float
    polluted_days: int
    exceedance_days: dict[str, int]
    validity: dict[str, PollutantValidity]
    daily: DailyAqi
    notes: list[str] = field(default_factory=list)
    percentiles: dict[str, float] = field(default_factory=dict)
    """so2_p98, no2_p98, pm10_p95, pm2_5_p95 of the daily means (:data:`PERCENTILE_STATISTICS`)."""
    limit_set: LimitSet | None = None
    """The GB 3095 limits the period is judged against (those in force on its last day)."""
    attainment: dict[str, PollutantAttainment] = field(default_factory=dict)
    """Per pollutant (so2, no2, pm10, pm2_5, co, o3); years only (empty for a month)."""

    def good_day_ratio_rounded(self, ndigits: int = 1) -> float:
        """Good-day ratio in percent, rounded per GB/T 8170 from the exact fraction."""
        if not self.valid_days:
            return math.nan
        return round_gbt8170(Fraction(self.good_days * 100, self.valid_days), ndigits)


EVALUATION_KEYS: Final[Mapping[str, str]] = {
    "so2": "so2",
    "no2": "no2",
    "pm10": "pm10",
    "pm2_5": "pm2_5",
    "co": "co_p95",
    "o3_8h": "o3_8h_p90",
}
"""Daily series key → key of its evaluation concentration."""


def daily_aqi(
    series: DailySeries,
    *,
    edition: AirEdition | str | None = None,
    beyond_table: float | None = air.BEYOND_TABLE_IAQI,
) -> DailyAqi:
    """Daily AQI of a series, each day under the edition in force on its date (or ``edition``).

    A day with every supplied indicator valid has a valid AQI. With an indicator missing, the
    AQI from the rest is valid only if it exceeds 100 (HJ 633-2026 §5.3; applied to both
    editions — how national statistics count such days is UNVERIFIED).
    """
    days = series.dates.shape[0]
    if edition is None:
        is_new = is_2026_edition(series.dates)
    else:
        is_new = np.full(days, parse_edition(edition) is AirEdition.HJ_2026)
    aqi_values = np.full(days, np.nan)
    valid = np.zeros(days, dtype=bool)
    primary: list[list[str]] = [[] for _ in range(days)]
    for chosen, mask in ((AirEdition.HJ_2012, ~is_new), (AirEdition.HJ_2026, is_new)):
        if not mask.any():
            continue
        keys = [key for key in DAILY_REPORT_KEYS[chosen] if key in series.values]
        if not keys:
            continue
        columns: dict[Indicator, npt.ArrayLike] = {
            DAILY_INDICATORS[key]: series.values[key][mask] for key in keys
        }
        result = air.aqi(columns, edition=chosen, beyond_table=beyond_table)
        complete = np.all([~np.isnan(series.values[key][mask]) for key in keys], axis=0)
        with np.errstate(invalid="ignore"):
            ok = complete | (result.aqi > GOOD_DAY_MAX_AQI)
        aqi_values[mask] = np.where(ok, result.aqi, np.nan)
        valid[mask] = ok & ~np.isnan(result.aqi)
        names = [_series_key(indicator) for indicator in result.indicators]
        for position, day in enumerate(np.flatnonzero(mask)):
            if valid[day]:
                flags = result.primary[position]
                primary[day] = [name for name, flag in zip(names, flags, strict=True) if flag]
    return DailyAqi(aqi_values, air.aqi_level(aqi_values), valid, is_new, primary)


def _series_key(indicator: Indicator) -> str:
    for key, value in DAILY_INDICATORS.items():
        if value is indicator:
            return key
    raise AssertionError(indicator)  # pragma: no cover


def _required_for_month(month: int, rules: ValidityRules) -> int:
    """Valid days a calendar month needs (GB 3095 Table 4: 27, February 25)."""
    return rules.min_days_february if month == 2 else rules.min_days_per_month


def evaluate_period(
    series: DailySeries,
    *,
    period: str = "year",
    edition: AirEdition | str | None = None,
    scheme: CompositeScheme | str | None = None,
    rules: ValidityRules = DEFAULT_RULES,
    beyond_table: float | None = air.BEYOND_TABLE_IAQI,
    zone_class: int = 2,
) -> PeriodEvaluation:
    """Evaluate a period of daily values (a calendar year or month).

    ``edition`` None computes each day's AQI under the edition in force on its date; the
    composite-index scheme defaults to equal weights with the limit set that goes with the
    edition in force on the period's last day (or with ``edition``). Exceedance days count the
    days above the GB 3095 daily limit (class ``zone_class``) in force on each date; a year's
    attainment is judged against the limit set in force on its last day (or going with
    ``edition``).
    """
    if period not in ("year", "month"):
        raise InvalidValueError(f"period {period!r} is not year or month", "周期必须是年或月")
    if series.dates.size == 0:
        raise InputFormatError("no days to evaluate", "没有可评价的日期")
    start = _to_date(series.dates[0])
    end = _to_date(series.dates[-1])
    chosen = _chosen_scheme(series.dates, end, edition, scheme)

    daily = daily_aqi(series, edition=edition, beyond_table=beyond_table)
    notes: list[str] = []
    concentrations: dict[str, float] = {}
    validity: dict[str, PollutantValidity] = {}
    for key, out_key in EVALUATION_KEYS.items():
        if key not in series.values:
            continue
        values = series.values[key]
        if key == "co":
            statistic = float(percentile(values, 95))
        elif key == "o3_8h":
            statistic = float(percentile(values, 90))
        else:
            statistic = float(_masked_mean(values, axis=0, minimum=1))
        concentrations[out_key] = statistic
        validity[out_key] = _validity(values, series.dates, period, rules)
        check = validity[out_key]
        if not check.meets:
            notes.append(_validity_note(out_key, check, period))

    percentiles = {
        key: float(percentile(series.values[source], p))
        for key, (source, p) in PERCENTILE_STATISTICS.items()
        if source in series.values
    }
    limit_set = limit_set_for(
        parse_edition(edition) if edition is not None else air_edition_on(end), end
    )
    attainment: dict[str, PollutantAttainment] = {}
    if period == "year":
        attainment = _attainment(
            {**concentrations, **percentiles}, validity, limit_set, zone_class, rules
        )
    composite = composite_index(dict(concentrations), chosen)
    valid_days = int(daily.valid.sum())
    good_days = int((daily.valid & (daily.aqi <= GOOD_DAY_MAX_AQI)).sum())
    polluted_days = int((daily.valid & (daily.aqi > GOOD_DAY_MAX_AQI)).sum())
    ratio = good_days / valid_days * 100 if valid_days else math.nan
    exceedance = _exceedance_days(series, edition, zone_class)
    editions = sorted({"2026" if flag else "2012" for flag in daily.edition_2026})
    if composite.reason is not None:
        notes.append(composite.reason)
    if chosen.weights is not EQUAL_WEIGHTS:
        notes.append(f"composite index uses the {chosen.name} scheme: {chosen.status}")
    return PeriodEvaluation(
        start=start,
        end=end,
        days=int(series.dates.size),
        concentrations=concentrations,
        composite=composite,
        scheme=chosen,
        editions=editions,
        good_days=good_days,
        valid_days=valid_days,
        good_day_ratio=ratio,
        polluted_days=polluted_days,
        exceedance_days=exceedance,
        validity=validity,
        daily=daily,
        notes=notes,
        percentiles=percentiles,
        limit_set=limit_set,
        attainment=attainment,
    )


def _chosen_scheme(
    dates: npt.NDArray[np.datetime64],
    end: dt.date,
    edition: AirEdition | str | None,
    scheme: CompositeScheme | str | None,
) -> CompositeScheme:
    """The composite-index scheme asked for, or the default one for the period's last day."""
    if scheme is not None:
        return COMPOSITE_SCHEMES[scheme] if isinstance(scheme, str) else scheme
    scheme_edition = parse_edition(edition) if edition is not None else None
    return composite_scheme_for(
        scheme_edition
        or (AirEdition.HJ_2026 if is_2026_edition(dates[-1]) else AirEdition.HJ_2012),
        end,
    )


def _exceedance_days(
    series: DailySeries, edition: AirEdition | str | None, zone_class: int
) -> dict[str, int]:
    """Days on which each pollutant's daily value exceeds the GB 3095 daily limit in force on
    that date (24 h mean; O3 daily maximum 8 h mean). Equality meets the limit."""
    counts: dict[str, int] = {}
    for key in ("so2", "no2", "pm10", "pm2_5", "co", "o3_8h"):
        if key not in series.values:
            continue
        bound = daily_limits(key, series.dates, edition=edition, zone_class=zone_class)
        with np.errstate(invalid="ignore"):
            counts[key] = int((series.values[key] > bound).sum())
    return counts


def _attainment(
    statistics: Mapping[str, float],
    validity: Mapping[str, PollutantValidity],
    limit_set: LimitSet,
    zone_class: int,
    rules: ValidityRules,
) -> dict[str, PollutantAttainment]:
    result: dict[str, PollutantAttainment] = {}
    for pollutant, statistics_used in ATTAINMENT_STATISTICS.items():
        checks: list[AttainmentCheck] = []
        for key, averaging in statistics_used:
            value = statistics.get(key, math.nan)
            bound = limit(pollutant, averaging, limit_set=limit_set, zone_class=zone_class)
            meets = None if math.isnan(value) else value <= bound
            checks.append(AttainmentCheck(key, averaging, value, bound, meets))
        check = validity.get(_VALIDITY_KEY[pollutant])
        missing = [c.statistic for c in checks if c.meets is None]
        failing = [c for c in checks if c.meets is False]
        attains: bool | None
        if missing:
            attains = None
            names = ", ".join(missing)
            reason = f"no value for {names} (缺少 {names})"
        elif check is not None and not check.meets:
            attains = None
            month, february = rules.min_days_per_month, rules.min_days_february
            reason = (
                f"data validity not met: {check.valid_days} valid days, {check.required_days}"
                f" required, every month {month} (February {february})"
                f" (数据有效性不足: 有效天数 {check.valid_days}, 要求 {check.required_days},"
                f" 每月 {month} 天, 2 月 {february} 天)"
            )
        elif failing:
            attains = False
            text = "; ".join(
                f"{c.statistic} {c.value:g} > {c.limit:g} ({c.averaging.value})" for c in failing
            )
            reason = f"{text} (超过 {limit_set.value} 限值)"
        else:
            attains = True
            reason = None
        result[pollutant] = PollutantAttainment(pollutant, limit_set, checks, attains, reason)
    return result


def _validity(
    values: FloatArray,
    dates: npt.NDArray[np.datetime64],
    period: str,
    rules: ValidityRules,
) -> PollutantValidity:
    """Validity of a period against GB 3095 Table 4, whatever part of it the series covers.

    A year needs ≥ 324 valid days and every calendar month of it ≥ 27 (February ≥ 25); a month
    needs ≥ 27 (February ≥ 25). Months without data count as short; the minimum never shrinks
    to the days supplied.
    """
    frame = _validity_calendar(dates, period, rules)
    valid = ~np.isnan(values)
    per_month = np.bincount(frame.position[valid], minlength=frame.month_numbers.size)
    short = [int(m) for m in frame.month_numbers[per_month < frame.needed]]
    return PollutantValidity(
        int(valid.sum()), frame.required, short, frame.period_days, int(values.size)
    )


@dataclass(frozen=True)
class _ValidityCalendar:
    """The calendar side of :func:`_validity`: each day's month position, the period's months,
    the valid days each month and the period need, and the period's length."""

    position: npt.NDArray[np.int64]
    month_numbers: npt.NDArray[np.int64]
    needed: npt.NDArray[np.int64]
    required: int
    period_days: int


def _validity_calendar(
    dates: npt.NDArray[np.datetime64], period: str, rules: ValidityRules
) -> _ValidityCalendar:
    first = dates[0].astype("datetime64[M]")
    last = dates[-1].astype("datetime64[M]")
    if period == "year":
        start_year = first.astype("datetime64[Y]")
        if last.astype("datetime64[Y]") == start_year:
            first = start_year.astype("datetime64[M]")
            last = first + 11
            period_days = int(((start_year + 1).astype("datetime64[D]") - start_year).astype(int))
        else:
            period_days = int((dates[-1] - dates[0]).astype(int)) + 1
    else:
        period_days = int(((first + 1).astype("datetime64[D]") - first).astype(int))
    calendar_months = np.arange(first, last + 1)
    position = (dates.astype("datetime64[M]") - first).astype(np.int64)
    month_numbers = calendar_months.astype(np.int64) % 12 + 1
    needed = np.where(month_numbers == 2, rules.min_days_february, rules.min_days_per_month)
    if period == "year":
        required = rules.min_days_per_year
    else:
        required = _required_for_month(int(month_numbers[0]), rules)
    return _ValidityCalendar(position, month_numbers, needed, required, period_days)


def _validity_note(key: str, check: PollutantValidity, period: str) -> str:
    months = ", ".join(str(m) for m in check.short_months)
    supplied_en = supplied_zh = ""
    if check.supplied_days < check.period_days:
        supplied_en = f", data for {check.supplied_days} of the period's {check.period_days} days"
        supplied_zh = f"; 本期 {check.period_days} 天中仅有 {check.supplied_days} 天数据"
    text = (
        f"{key}: {check.valid_days} valid days, {check.required_days} required{supplied_en}"
        f" ({key}: 有效天数 {check.valid_days}, 要求 {check.required_days}{supplied_zh})"
    )
    if months and period == "year":
        text += f"; months below the monthly minimum: {months} (有效天数不足的月份: {months})"
    return text


def _to_date(value: np.datetime64) -> dt.date:
    return dt.date.fromisoformat(str(value.astype("datetime64[D]")))


def _hourly_inputs(
    hourly: Mapping[str, npt.ArrayLike], *, stations_axis: bool
) -> list[tuple[str, FloatArray]]:
    """(pollutant key, (stations, days, 24) array) of each input, checked: known pollutant,
    hourly shape, the same days for all. ``stations_axis`` requires the stations axis; without
    it a (days, 24) array is one station."""
    inputs: list[tuple[str, FloatArray]] = []
    for key, data in hourly.items():
        pollutant = key.lower().replace("pm25", "pm2_5")
        if pollutant not in HOURLY_POLLUTANTS:
            raise UnknownPollutantError(
                f"unknown pollutant {key!r}",
                f"未知污染物 {key!r}",
                f"expected one of {', '.join(HOURLY_POLLUTANTS)}",
            )
        array = _hourly_array(data)
        if array.ndim == 2 and not stations_axis:
            array = array[None]
        if array.ndim != 3:
            raise InputFormatError(
                f"{key}: hourly data must have shape (stations, days, 24), got {array.shape}",
                f"{key}: 小时数据的形状必须为 (点位数, 天数, 24), 实际为 {array.shape}",
            )
        if inputs and array.shape[-2] != inputs[0][1].shape[-2]:
            raise InputFormatError("pollutants cover different days", "各污染物的天数不一致")
        inputs.append((pollutant, array))
    if not inputs:
        raise InputFormatError("no hourly data", "没有小时数据")
    return inputs


def city_daily_series(
    hourly: Mapping[str, npt.ArrayLike],
    start: dt.date,
    rules: ValidityRules = DEFAULT_RULES,
) -> DailySeries:
    """City daily series from station hourly arrays (stations, days, 24) per pollutant."""
    values: dict[str, FloatArray] = {}
    inputs = _hourly_inputs(hourly, stations_axis=False)
    for pollutant, array in inputs:
        if pollutant == "o3":
            values["o3_8h"] = city_daily(o3_mda8(array, rules), rules)
            values["o3_1h"] = city_daily(daily_max_1h(array, rules), rules)
        else:
            values[pollutant] = city_daily(daily_means(array, rules), rules)
    days = inputs[0][1].shape[-2]
    dates = np.datetime64(start.isoformat(), "D") + np.arange(days)
    return DailySeries(dates, values)


def annual_evaluation(
    hourly: Mapping[str, npt.ArrayLike],
    year: int,
    *,
    edition: AirEdition | str | None = None,
    scheme: CompositeScheme | str | None = None,
    rules: ValidityRules = DEFAULT_RULES,
) -> PeriodEvaluation:
    """A city's annual evaluation from station hourly arrays covering 1 January – 31 December."""
    days = 366 if calendar.isleap(year) else 365
    for key, data in hourly.items():
        if np.shape(data)[-2:] != (days, 24):
            raise InputFormatError(
                f"{key}: hourly data for {year} must have shape (stations, {days}, 24)",
                f"{key}: {year} 年小时数据的形状必须为 (点位数, {days}, 24)",
            )
    series = city_daily_series(hourly, dt.date(year, 1, 1), rules)
    return evaluate_period(series, period="year", edition=edition, scheme=scheme, rules=rules)


def monthly_evaluations(
    series: DailySeries,
    *,
    edition: AirEdition | str | None = None,
    scheme: CompositeScheme | str | None = None,
    rules: ValidityRules = DEFAULT_RULES,
) -> dict[str, PeriodEvaluation]:
    """One evaluation per calendar month in ``series``, keyed "YYYY-MM"."""
    month_of_day = series.dates.astype("datetime64[M]")
    result: dict[str, PeriodEvaluation] = {}
    for month in np.unique(month_of_day):
        result[str(month)] = evaluate_period(
            series.select(month_of_day == month),
            period="month",
            edition=edition,
            scheme=scheme,
            rules=rules,
        )
    return result


@dataclass(frozen=True)
class PeriodChange:
    """Change of a period's evaluation against a base period."""

    concentrations: dict[str, Change]
    composite_index: Change
    good_day_ratio: RatioChange
    good_days: Change


def compare_periods(current: PeriodEvaluation, base: PeriodEvaluation) -> PeriodChange:
    """Change against a base period: absolute and % for concentrations and the composite index,
    percentage points (and %) for the good-day ratio. Composite change > 0 means worse."""
    shared = current.concentrations.keys() & base.concentrations.keys()
    return PeriodChange(
        concentrations={
            key: change(current.concentrations[key], base.concentrations[key])
            for key in sorted(shared)
        },
        composite_index=change(current.composite.total, base.composite.total),
        good_day_ratio=ratio_change(current.good_day_ratio, base.good_day_ratio),
        good_days=change(current.good_days, base.good_days),
    )


# --- many stations at once ------------------------------------------------------------------


@dataclass(frozen=True)
class StationDailySeries:
    """Daily series of many stations over the same consecutive days: each value array has
    shape (stations, days). Row ``i`` is station ``i``'s :class:`DailySeries`
    (:meth:`station`)."""

    dates: npt.NDArray[np.datetime64]
    values: Mapping[str, FloatArray]

    def __post_init__(self) -> None:
        for key, series in self.values.items():
            if key not in DAILY_INDICATORS:
                raise UnknownPollutantError(
                    f"unknown daily series {key!r}",
                    f"未知日数据项 {key!r}",
                    f"expected one of {', '.join(DAILY_INDICATORS)}",
                )
            if np.ndim(series) != 2 or np.shape(series)[1] != np.size(self.dates):
                raise InputFormatError(
                    f"daily series {key!r}: shape {np.shape(series)}, expected (stations,"
                    f" {np.size(self.dates)})",
                    f"日数据 {key!r} 的形状必须为 (点位数, {np.size(self.dates)})",
                )
        if len({np.shape(series)[0] for series in self.values.values()}) > 1:
            raise InputFormatError("pollutants cover different stations", "各污染物的点位数不一致")

    @property
    def stations(self) -> int:
        return int(np.shape(next(iter(self.values.values())))[0]) if self.values else 0

    def station(self, index: int) -> DailySeries:
        return DailySeries(self.dates, {key: values[index] for key, values in self.values.items()})


STATION_DAY_KEYS: Final = ("so2", "no2", "pm10", "pm2_5", "co", "o3_8h", "o3_1h")
"""Keys of a station's daily values (:func:`station_daily_values`)."""


def station_daily_values(
    hourly: Mapping[str, npt.ArrayLike], rules: ValidityRules = DEFAULT_RULES
) -> dict[str, FloatArray]:
    """Each station's daily values from hourly arrays (stations, days, 24), each station as if
    alone: 24 h means (≥ 20 valid hours), O3 MDA8 (``o3_8h``) and daily maximum 1 h
    (``o3_1h``), shape (stations, days). With the default rules a day's values depend on that
    day's 24 hours only, so they can be stored per station-day and updated day by day."""
    values: dict[str, FloatArray] = {}
    for pollutant, array in _hourly_inputs(hourly, stations_axis=True):
        if pollutant == "o3":
            values["o3_8h"] = o3_mda8(array, rules)
            values["o3_1h"] = daily_max_1h(array, rules)
        else:
            values[pollutant] = _masked_mean_rows(array, axis=-1, minimum=rules.min_hours_per_day)
    return values


def _station_days(station_days: Mapping[str, npt.ArrayLike]) -> dict[str, FloatArray]:
    values = {}
    for key, data in station_days.items():
        if key not in STATION_DAY_KEYS:
            raise UnknownPollutantError(
                f"unknown daily value {key!r}",
                f"未知日数据项 {key!r}",
                f"expected one of {', '.join(STATION_DAY_KEYS)}",
            )
        array = np.asarray(data, dtype=np.float64)
        if array.ndim != 2:
            raise InputFormatError(
                f"{key}: station daily values must have shape (stations, days)",
                f"{key}: 点位日数据的形状必须为 (点位数, 天数)",
            )
        values[key] = array
    if not values:
        raise InputFormatError("no daily values", "没有日数据")
    return values


def _dates_from(start: dt.date, days: int) -> npt.NDArray[np.datetime64]:
    return np.datetime64(start.isoformat(), "D") + np.arange(days)


def stations_daily_series(
    station_days: Mapping[str, npt.ArrayLike],
    start: dt.date,
    rules: ValidityRules = DEFAULT_RULES,
) -> StationDailySeries:
    """Each station's own daily series from its daily values (:func:`station_daily_values`,
    e.g. stored per station-day): row ``i`` is station ``i`` as a city of one station."""
    values = _station_days(station_days)
    days = next(iter(values.values())).shape[1]
    series = {key: _station_daily(array, rules) for key, array in values.items()}
    return StationDailySeries(_dates_from(start, days), series)


def city_series_from_station_days(
    station_days: Mapping[str, npt.ArrayLike],
    start: dt.date,
    rules: ValidityRules = DEFAULT_RULES,
) -> DailySeries:
    """The city daily series (HJ 663: mean over the stations with a valid daily value) from
    its stations' daily values; equal to :func:`city_daily_series` of their hours whenever
    every hourly value is below 10⁶ (the exact-decimal range of the means)."""
    values = _station_days(station_days)
    days = next(iter(values.values())).shape[1]
    series = {key: city_daily(array, rules) for key, array in values.items()}
    return DailySeries(_dates_from(start, days), series)


def station_daily_series(
    hourly: Mapping[str, npt.ArrayLike],
    start: dt.date,
    rules: ValidityRules = DEFAULT_RULES,
) -> StationDailySeries:
    """Each station's own daily series from hourly arrays (stations, days, 24): row ``i``
    equals :func:`city_daily_series` of station ``i`` alone (a city of one station)."""
    return stations_daily_series(station_daily_values(hourly, rules), start, rules)


def _station_daily(daily: FloatArray, rules: ValidityRules) -> FloatArray:
    """:func:`city_daily` of each station alone: (stations, days) → (stations, days)."""
    return _masked_mean_rows(daily[:, None, :], axis=1, minimum=rules.min_stations)


def _daily_aqi_rows(
    series: StationDailySeries,
    edition: AirEdition | str | None,
    beyond_table: float | None,
) -> list[DailyAqi]:
    """:func:`daily_aqi` of every station's series, one :func:`air.aqi` call per edition."""
    stations, days = series.stations, series.dates.shape[0]
    if edition is None:
        is_new = is_2026_edition(series.dates)
    else:
        is_new = np.full(days, parse_edition(edition) is AirEdition.HJ_2026)
    aqi_values = np.full((stations, days), np.nan)
    valid = np.zeros((stations, days), dtype=bool)
    # Each valid day's primary pollutants as a code: group · 2¹⁶ + bit mask of the indicators.
    codes = np.full((stations, days), -1, dtype=np.int64)
    names_of: dict[int, list[str]] = {}
    for group, (chosen, mask) in enumerate(
        ((AirEdition.HJ_2012, ~is_new), (AirEdition.HJ_2026, is_new))
    ):
        if not mask.any():
            continue
        keys = [key for key in DAILY_REPORT_KEYS[chosen] if key in series.values]
        if not keys:
            continue
        width = int(mask.sum())
        selected = {key: series.values[key][:, mask] for key in keys}
        columns: dict[Indicator, npt.ArrayLike] = {
            DAILY_INDICATORS[key]: selected[key].reshape(-1) for key in keys
        }
        result = air.aqi(columns, edition=chosen, beyond_table=beyond_table)
        found = result.aqi.reshape(stations, width)
        complete = np.all([~np.isnan(selected[key]) for key in keys], axis=0)
        with np.errstate(invalid="ignore"):
            ok = complete | (found > GOOD_DAY_MAX_AQI)
        aqi_values[:, mask] = np.where(ok, found, np.nan)
        day_valid = ok & ~np.isnan(found)
        valid[:, mask] = day_valid
        names = [_series_key(indicator) for indicator in result.indicators]
        bits = result.primary.reshape(stations, width, len(names)).astype(np.int64)
        mask_code = bits @ (np.int64(1) << np.arange(len(names), dtype=np.int64))
        codes[:, mask] = np.where(day_valid, group * 65536 + mask_code, -1)
        for code in np.unique(mask_code):
            names_of[group * 65536 + int(code)] = [
                name for bit, name in enumerate(names) if int(code) >> bit & 1
            ]
    levels = air.aqi_level(aqi_values)
    # Dense codes: 0 for a day without an AQI, then one per list of names (copied per day).
    found_codes, dense = np.unique(codes, return_inverse=True)
    templates = [names_of.get(int(code), []) for code in found_codes.tolist()]
    dense = dense.reshape(stations, days)
    result_rows = []
    with _collector_paused():  # hundreds of thousands of small lists, none in a cycle
        for row in range(stations):
            primary = [templates[index][:] for index in dense[row].tolist()]
            result_rows.append(DailyAqi(aqi_values[row], levels[row], valid[row], is_new, primary))
    return result_rows


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while many acyclic objects are made: otherwise its
    collections, each walking every object alive, cost more than making them."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def evaluate_periods(
    series: StationDailySeries,
    *,
    period: str = "year",
    edition: AirEdition | str | None = None,
    scheme: CompositeScheme | str | None = None,
    rules: ValidityRules = DEFAULT_RULES,
    beyond_table: float | None = air.BEYOND_TABLE_IAQI,
    zone_class: int = 2,
) -> list[PeriodEvaluation]:
    """:func:`evaluate_period` of every station's series at once (the arrays of all stations
    computed together): element ``i`` equals ``evaluate_period(series.station(i), …)`` with
    the same arguments, exactly."""
    if period not in ("year", "month"):
        raise InvalidValueError(f"period {period!r} is not year or month", "周期必须是年或月")
    if series.dates.size == 0:
        raise InputFormatError("no days to evaluate", "没有可评价的日期")
    stations = series.stations
    start = _to_date(series.dates[0])
    end = _to_date(series.dates[-1])
    chosen = _chosen_scheme(series.dates, end, edition, scheme)
    daily = _daily_aqi_rows(series, edition, beyond_table)
    calendar_frame = _validity_calendar(series.dates, period, rules)
    months = calendar_frame.month_numbers.size
    in_month = (calendar_frame.position[:, None] == np.arange(months)[None, :]).astype(np.int64)

    statistics: dict[str, FloatArray] = {}
    validity_rows: dict[str, tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]] = {}
    for key, out_key in EVALUATION_KEYS.items():
        if key not in series.values:
            continue
        values = series.values[key]
        if key == "co":
            statistics[out_key] = _percentile(values, 95, -1, per_row=True)
        elif key == "o3_8h":
            statistics[out_key] = _percentile(values, 90, -1, per_row=True)
        else:
            statistics[out_key] = _masked_mean_rows(values, axis=-1, minimum=1)
        valid = ~np.isnan(values)
        validity_rows[out_key] = (valid.sum(axis=1), valid.astype(np.int64) @ in_month)
    percentile_rows = {
        key: _percentile(series.values[source], p, -1, per_row=True)
        for key, (source, p) in PERCENTILE_STATISTICS.items()
        if source in series.values
    }
    limit_set = limit_set_for(
        parse_edition(edition) if edition is not None else air_edition_on(end), end
    )
    exceedance_rows: dict[str, npt.NDArray[np.int64]] = {}
    for key in ("so2", "no2", "pm10", "pm2_5", "co", "o3_8h"):
        if key in series.values:
            bound = daily_limits(key, series.dates, edition=edition, zone_class=zone_class)
            with np.errstate(invalid="ignore"):
                exceedance_rows[key] = (series.values[key] > bound).sum(axis=1)
    editions = (
        sorted({"2026" if flag else "2012" for flag in daily[0].edition_2026}) if daily else []
    )

    results: list[PeriodEvaluation] = []
    with _collector_paused():  # thousands of evaluations of small, acyclic parts
        for row in range(stations):
            notes: list[str] = []
            concentrations = {key: float(values[row]) for key, values in statistics.items()}
            validity: dict[str, PollutantValidity] = {}
            for out_key, (valid_days_of, per_month) in validity_rows.items():
                short = [
                    int(m)
                    for m in calendar_frame.month_numbers[per_month[row] < calendar_frame.needed]
                ]
                check = PollutantValidity(
                    int(valid_days_of[row]),
                    calendar_frame.required,
                    short,
                    calendar_frame.period_days,
                    int(series.dates.size),
                )
                validity[out_key] = check
                if not check.meets:
                    notes.append(_validity_note(out_key, check, period))
            percentiles = {key: float(values[row]) for key, values in percentile_rows.items()}
            attainment: dict[str, PollutantAttainment] = {}
            if period == "year":
                attainment = _attainment(
                    {**concentrations, **percentiles}, validity, limit_set, zone_class, rules
                )
            composite = composite_index(dict(concentrations), chosen)
            day = daily[row]
            valid_days = int(day.valid.sum())
            good_days = int((day.valid & (day.aqi <= GOOD_DAY_MAX_AQI)).sum())
            polluted_days = int((day.valid & (day.aqi > GOOD_DAY_MAX_AQI)).sum())
            ratio = good_days / valid_days * 100 if valid_days else math.nan
            if composite.reason is not None:
                notes.append(composite.reason)
            if chosen.weights is not EQUAL_WEIGHTS:
                notes.append(f"composite index uses the {chosen.name} scheme: {chosen.status}")
            results.append(
                PeriodEvaluation(
                    start=start,
                    end=end,
                    days=int(series.dates.size),
                    concentrations=concentrations,
                    composite=composite,
                    scheme=chosen,
                    editions=editions,
                    good_days=good_days,
                    valid_days=valid_days,
                    good_day_ratio=ratio,
                    polluted_days=polluted_days,
                    exceedance_days={
                        key: int(counts[row]) for key, counts in exceedance_rows.items()
                    },
                    validity=validity,
                    daily=day,
                    notes=notes,
                    percentiles=percentiles,
                    limit_set=limit_set,
                    attainment=attainment,
                )
            )
    return results
