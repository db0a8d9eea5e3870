"""GB 3095 ambient air concentration limits (环境空气质量标准) as data, and exceedance multiples.

Three limit sets: GB 3095-2012 (in force to 2026-02-28), GB 3095-2026 transitional
(2026-03-01 … 2030-12-31) and GB 3095-2026 final (from 2031-01-01); class 1 and class 2 zones.
Units: µg/m³, CO mg/m³ (standards.md §3).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

import numpy as np
import numpy.typing as npt

from zhizao.indicators.editions import LIMIT_SET_ORDER, AirEdition, LimitSet, limit_sets_on
from zhizao.indicators.errors import InvalidValueError, UnknownPollutantError


class Averaging(StrEnum):
    """Averaging time of a limit (取值时间)."""

    ANNUAL = "annual"
    QUARTERLY = "quarterly"
    DAILY = "24h"
    MAX_8H = "max_8h"  # daily maximum 8-hour mean
    HOURLY = "1h"


@dataclass(frozen=True)
class Limit:
    """Class 1 and class 2 limit of one pollutant and averaging time."""

    pollutant: str
    averaging: Averaging
    class_1: float
    class_2: float
    unit: str = "µg/m³"

    def for_class(self, zone_class: int) -> float:
        if zone_class == 1:
            return self.class_1
        if zone_class == 2:
            return self.class_2
        raise InvalidValueError(
            f"zone class {zone_class} is not 1 or 2", f"功能区类别 {zone_class} 不是 1 或 2"
        )


_A, _Q, _D, _8, _H = (
    Averaging.ANNUAL,
    Averaging.QUARTERLY,
    Averaging.DAILY,
    Averaging.MAX_8H,
    Averaging.HOURLY,
)
_MG = "mg/m³"


def _table(rows: tuple[Limit, ...]) -> Mapping[tuple[str, Averaging], Limit]:
    return {(row.pollutant, row.averaging): row for row in rows}


_SHARED_OTHER: Final = (
    Limit("tsp", _A, 80, 200),
    Limit("tsp", _D, 120, 300),
    Limit("pb", _A, 0.5, 0.5),
    Limit("pb", _Q, 1, 1),
    Limit("bap", _A, 0.001, 0.001),
    Limit("bap", _D, 0.0025, 0.0025),
)

GB3095_LIMITS: Final[Mapping[LimitSet, Mapping[tuple[str, Averaging], Limit]]] = {
    # GB 3095-2012 Tables 1 and 2 (standards.md §3.1).
    LimitSet.GB3095_2012: _table(
        (
            Limit("so2", _A, 20, 60),
            Limit("so2", _D, 50, 150),
            Limit("so2", _H, 150, 500),
            Limit("no2", _A, 40, 40),
            Limit("no2", _D, 80, 80),
            Limit("no2", _H, 200, 200),
            Limit("co", _D, 4, 4, _MG),
            Limit("co", _H, 10, 10, _MG),
            Limit("o3", _8, 100, 160),
            Limit("o3", _H, 160, 200),
            Limit("pm10", _A, 40, 70),
            Limit("pm10", _D, 50, 150),
            Limit("pm2_5", _A, 15, 35),
            Limit("pm2_5", _D, 35, 75),
            Limit("nox", _A, 50, 50),
            Limit("nox", _D, 100, 100),
            Limit("nox", _H, 250, 250),
            *_SHARED_OTHER,
        )
    ),
    # GB 3095-2026 Table 1 "transitional" columns (standards.md §3.2).
    LimitSet.GB3095_2026_TRANSITIONAL: _table(
        (
            Limit("so2", _A, 20, 60),
            Limit("so2", _D, 50, 150),
            Limit("so2", _H, 150, 500),
            Limit("no2", _A, 40, 40),
            Limit("no2", _D, 80, 80),
            Limit("no2", _H, 200, 200),
            Limit("co", _D, 4, 4, _MG),
            Limit("co", _H, 10, 10, _MG),
            Limit("o3", _8, 100, 160),
            Limit("o3", _H, 160, 200),
            Limit("pm10", _A, 40, 60),
            Limit("pm10", _D, 50, 120),
            Limit("pm2_5", _A, 15, 30),
            Limit("pm2_5", _D, 35, 60),
            Limit("nox", _A, 50, 50),
            Limit("nox", _D, 100, 100),
            Limit("nox", _H, 250, 250),
            *_SHARED_OTHER,
        )
    ),
    # GB 3095-2026 Table 1 "final" columns, from 2031-01-01.
    LimitSet.GB3095_2026_FINAL: _table(
        (
            Limit("so2", _A, 20, 20),
            Limit("so2", _D, 50, 50),
            Limit("so2", _H, 150, 150),
            Limit("no2", _A, 30, 30),
            Limit("no2", _D, 50, 50),
            Limit("no2", _H, 200, 200),
            Limit("co", _D, 4, 4, _MG),
            Limit("co", _H, 10, 10, _MG),
            Limit("o3", _8, 100, 160),
            Limit("o3", _H, 160, 200),
            Limit("pm10", _A, 20, 50),
            Limit("pm10", _D, 50, 100),
            Limit("pm2_5", _A, 10, 25),
            Limit("pm2_5", _D, 25, 50),
            Limit("nox", _A, 40, 40),
            Limit("nox", _D, 70, 70),
            Limit("nox", _H, 250, 250),
            *_SHARED_OTHER,
        )
    ),
}

COMPOSITE_POLLUTANTS: Final = ("so2", "no2", "pm10", "pm2_5", "co", "o3")
"""The six pollutants of the composite index, in report order."""

COMPOSITE_AVERAGING: Final[Mapping[str, Averaging]] = {
    "so2": Averaging.ANNUAL,
    "no2": Averaging.ANNUAL,
    "pm10": Averaging.ANNUAL,
    "pm2_5": Averaging.ANNUAL,
    "co": Averaging.DAILY,
    "o3": Averaging.MAX_8H,
}
"""Which class-2 limit is the composite-index denominator S_i (standards.md §2.5)."""


def limit(
    pollutant: str,
    averaging: Averaging | str,
    *,
    limit_set: LimitSet | str = LimitSet.GB3095_2012,
    zone_class: int = 2,
) -> float:
    """The GB 3095 limit of ``pollutant`` for ``averaging`` in ``limit_set`` and zone class."""
    return _limit(pollutant, averaging, limit_set, zone_class)


@functools.lru_cache(maxsize=512)
def _limit(
    pollutant: str, averaging: Averaging | str, limit_set: LimitSet | str, zone_class: int
) -> float:
    """:func:`limit`, memoised (evaluating a thousand stations asks the same few limits)."""
    key = (pollutant.lower().replace("pm25", "pm2_5"), Averaging(averaging))
    table = GB3095_LIMITS[LimitSet(limit_set)]
    try:
        row = table[key]
    except KeyError:
        raise UnknownPollutantError(
            f"no GB 3095 limit for {pollutant} {averaging}",
            f"GB 3095 中没有 {pollutant} {averaging} 的限值",
        ) from None
    return row.for_class(zone_class)


def composite_denominators(limit_set: LimitSet | str) -> dict[str, float]:
    """Composite-index denominators S_i (class-2 limits) for ``limit_set``."""
    return dict(_composite_denominators(limit_set))


@functools.lru_cache(maxsize=16)
def _composite_denominators(limit_set: LimitSet | str) -> tuple[tuple[str, float], ...]:
    return tuple(
        (pollutant, limit(pollutant, COMPOSITE_AVERAGING[pollutant], limit_set=limit_set))
        for pollutant in COMPOSITE_POLLUTANTS
    )


DAILY_AVERAGING: Final[Mapping[str, Averaging]] = {
    "so2": Averaging.DAILY,
    "no2": Averaging.DAILY,
    "pm10": Averaging.DAILY,
    "pm2_5": Averaging.DAILY,
    "co": Averaging.DAILY,
    "o3": Averaging.MAX_8H,
    "o3_8h": Averaging.MAX_8H,
}
"""The daily limit of each pollutant: 24 h mean, for O3 the daily maximum 8 h mean."""


def daily_limits(
    pollutant: str,
    days: npt.ArrayLike,
    *,
    edition: AirEdition | str | None = None,
    zone_class: int = 2,
) -> npt.NDArray[np.float64]:
    """The daily limit of ``pollutant`` in force on each of ``days`` (vectorised).

    ``edition`` None takes the limit set in force on each date (GB 3095-2012 before
    2026-03-01, 2026 transitional to 2030-12-31, final from 2031); an edition chosen for
    recomputation takes the limits that go with it (:func:`editions.limit_set_for`).
    """
    key = pollutant.lower().replace("pm25", "pm2_5")
    if key not in DAILY_AVERAGING:
        raise UnknownPollutantError(
            f"no GB 3095 daily limit for {pollutant}", f"GB 3095 中没有 {pollutant} 的日限值"
        )
    averaging = DAILY_AVERAGING[key]
    name = "o3" if key == "o3_8h" else key
    table = np.array(
        [limit(name, averaging, limit_set=s, zone_class=zone_class) for s in LIMIT_SET_ORDER]
    )
    values: npt.NDArray[np.float64] = table[limit_sets_on(days, edition)]
    return values


def exceedance_multiple(values: npt.ArrayLike, limit_value: float) -> npt.NDArray[np.float64]:
    """Exceedance multiple (超标倍数) (C − S) / S where C > S, 0 where C ≤ S, NaN if missing."""
    concentrations = np.asarray(values, dtype=np.float64)
    if limit_value <= 0:
        raise InvalidValueError(
            f"limit {limit_value} must be > 0", f"限值 {limit_value} 必须大于 0"
        )
    multiple = (concentrations - limit_value) / limit_value
    return np.where(np.isnan(multiple), np.nan, np.maximum(multiple, 0.0))
