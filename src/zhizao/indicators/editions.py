"""Which edition of the air standards is in force on a date.

* HJ 633 (AQI) and HJ 633's companion HJ 663 (evaluation): the 2012/2013 editions apply to data
  dated before 2026-03-01, the 2026 editions from 2026-03-01 (standards.md §0, §1.1).
* GB 3095 (limits): 2012 edition before 2026-03-01; GB 3095-2026 transitional limits from
  2026-03-01 to 2030-12-31; final limits from 2031-01-01 (standards.md §3.2).

Dates before 2016-01-01 (when GB 3095-2012 and HJ 633-2012 took effect nationwide) are computed
with the 2012 editions: the engine implements no older edition, and trend series such as
2013 → 2021 are meant to be computed with one edition throughout.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from zhizao.indicators.errors import UnknownEditionError


class AirEdition(StrEnum):
    """Edition of HJ 633 / HJ 663 used for an air value."""

    HJ_2012 = "2012"
    HJ_2026 = "2026"


class LimitSet(StrEnum):
    """A set of GB 3095 concentration limits."""

    GB3095_2012 = "GB3095-2012"
    GB3095_2026_TRANSITIONAL = "GB3095-2026-transitional"
    GB3095_2026_FINAL = "GB3095-2026-final"


EDITION_2026_IN_FORCE = dt.date(2026, 3, 1)
"""First day on which HJ 633-2026, HJ 663-2026 and GB 3095-2026 apply."""

GB3095_2026_FINAL_FROM = dt.date(2031, 1, 1)
"""First day of the GB 3095-2026 final limits (transitional limits end 2030-12-31)."""

CHINA_STANDARD_TIME = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")
"""China uses UTC+8 without daylight saving; editions change at local midnight."""


def parse_edition(value: str | AirEdition) -> AirEdition:
    """Return the edition named by ``value`` ("2012", "2026", "HJ 633-2012", …)."""
    if isinstance(value, AirEdition):
        return value
    text = str(value).strip().upper().replace(" ", "")
    for edition in AirEdition:
        if text in (edition.value, f"HJ633-{edition.value}", f"HJ663-{edition.value}"):
            return edition
    if text == "2013" or text == "HJ663-2013":
        return AirEdition.HJ_2012
    raise UnknownEditionError(
        f"unknown edition {value!r}",
        f"未知版本 {value!r}",
        "expected 2012 or 2026",
    )


def today_in_china() -> dt.date:
    """Today's date in China Standard Time."""
    return dt.datetime.now(CHINA_STANDARD_TIME).date()


def air_edition_on(day: dt.date) -> AirEdition:
    """The HJ 633 / HJ 663 edition in force on ``day``."""
    if isinstance(day, dt.datetime):
        day = day.date()
    return AirEdition.HJ_2026 if day >= EDITION_2026_IN_FORCE else AirEdition.HJ_2012


def is_2026_edition(days: npt.ArrayLike | Sequence[dt.date]) -> npt.NDArray[np.bool_]:
    """Vectorised :func:`air_edition_on`: True where the 2026 edition applies."""
    values = np.asarray(days, dtype="datetime64[D]")
    return values >= np.datetime64(EDITION_2026_IN_FORCE.isoformat(), "D")


def limit_set_on(day: dt.date) -> LimitSet:
    """The GB 3095 limit set in force on ``day``."""
    if isinstance(day, dt.datetime):
        day = day.date()
    if day < EDITION_2026_IN_FORCE:
        return LimitSet.GB3095_2012
    if day < GB3095_2026_FINAL_FROM:
        return LimitSet.GB3095_2026_TRANSITIONAL
    return LimitSet.GB3095_2026_FINAL


def limit_set_for(edition: AirEdition, day: dt.date) -> LimitSet:
    """The limit set that goes with ``edition`` when a period ending on ``day`` is recomputed.

    Recomputing under the 2012 edition uses the 2012 limits whatever the date; under the 2026
    edition, the transitional limits up to 2030-12-31 and the final limits from 2031.
    """
    if edition is AirEdition.HJ_2012:
        return LimitSet.GB3095_2012
    if isinstance(day, dt.datetime):
        day = day.date()
    if day < GB3095_2026_FINAL_FROM:
        return LimitSet.GB3095_2026_TRANSITIONAL
    return LimitSet.GB3095_2026_FINAL


LIMIT_SET_ORDER: tuple[LimitSet, ...] = tuple(LimitSet)
"""Limit sets in date order; :func:`limit_sets_on` returns positions in this tuple."""


def limit_sets_on(
    days: npt.ArrayLike | Sequence[dt.date], edition: AirEdition | str | None = None
) -> npt.NDArray[np.int8]:
    """Vectorised :func:`limit_set_on` (``edition`` None) or :func:`limit_set_for`: for each
    date the position of its limit set in :data:`LIMIT_SET_ORDER`."""
    values = np.asarray(days, dtype="datetime64[D]")
    new = values >= np.datetime64(EDITION_2026_IN_FORCE.isoformat(), "D")
    final = values >= np.datetime64(GB3095_2026_FINAL_FROM.isoformat(), "D")
    chosen = None if edition is None else parse_edition(edition)
    if chosen is AirEdition.HJ_2012:
        new = np.zeros_like(new)
        final = np.zeros_like(final)
    elif chosen is AirEdition.HJ_2026:
        new = np.ones_like(new)
    position = np.where(final, 2, np.where(new, 1, 0)).astype(np.int8)
    return position
