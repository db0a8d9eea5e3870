"""Quality-safety incident grades and incident-free years: pure Python, no Django.

Grades of the national emergency plans (国家突发公共事件应急预案): IV 一般, III 较大,
II 重大, I 特别重大. Each domain's thresholds are documented in docs/incidents.md; the
suggestion is the highest grade any of deaths, injuries, people affected or direct loss
(10,000 yuan) reaches. Staff confirm or change it.

"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from zhizao.indicators.errors import InvalidValueError

GRADES = ("general", "large", "major", "especially_major")
Bounds = tuple[float | None, float | None, float | None] | None


@dataclass(frozen=True)
class GradeThresholds:
    """The lowest deaths / seriously injured or ill / people affected / direct loss (万元) at
    which each of the grades above 一般 begins: (较大, 重大, 特别重大); None for the whole
    field or one grade: not a numeric criterion (the plan's qualitative criteria are staff's)."""

    deaths: Bounds = None
    injured: Bounds = None
    affected: Bounds = None
    loss_10k_yuan: Bounds = None


def suggest_grade(
    thresholds: GradeThresholds,
    *,
    deaths: int = 0,
    injured: int = 0,
    affected: int = 0,
    loss_10k_yuan: float = 0.0,
) -> str:
    """The grade (one of :data:`GRADES`) the figures reach under ``thresholds``."""
    for name, number in (
        ("deaths", deaths),
        ("injured", injured),
        ("affected", affected),
        ("loss", loss_10k_yuan),
    ):
        if number < 0:
            raise InvalidValueError(f"{name} cannot be negative", f"{name} 不能为负数")
    reached = 0
    for bounds, number in (
        (thresholds.deaths, deaths),
        (thresholds.injured, injured),
        (thresholds.affected, affected),
        (thresholds.loss_10k_yuan, loss_10k_yuan),
    ):
        if bounds is None:
            continue
        for level, start in enumerate(bounds, start=1):
            if start is not None and number >= start:
                reached = max(reached, level)
    return GRADES[reached]


def years_without(event_years: Iterable[int], year: int, first_year: int) -> int:
    """Consecutive years up to and including ``year`` without an event, counting back no
    further than ``first_year`` (the first year the records cover)."""
    years = {y for y in event_years if y <= year}
    count = 0
    current = year
    while current >= first_year and current not in years:
        count += 1
        current -= 1
    return count
