"""Plan targets and submitted figures: where a target's trajectory stands in a year, whether a
figure is on track, and how much a submitted value changed against the last period.

Pure Python (no Django): ``zhizao.plans`` calls these for its plan page and its validation
rules (docs/plans.md).
"""

from __future__ import annotations

from typing import Final

from zhizao.indicators.errors import InvalidValueError

HIGHER: Final = "higher"
LOWER: Final = "lower"


def trajectory_value(
    baseline_year: int, baseline: float, target_year: int, target: float, year: int
) -> float:
    """The value the straight line from the baseline to the target reaches in ``year``
    (the baseline before it starts, the target after it ends)."""
    if target_year < baseline_year:
        raise InvalidValueError(
            "the target year is before the baseline year", "目标年份早于基期年份"
        )
    if year <= baseline_year or target_year == baseline_year:
        return baseline if year < target_year else target
    if year >= target_year:
        return target
    share = (year - baseline_year) / (target_year - baseline_year)
    return baseline + (target - baseline) * share


def on_track(value: float, expected: float, direction: str) -> bool:
    """Whether ``value`` has reached ``expected``: at least it where higher is better, at most
    it where lower is; any other direction is judged only by equality."""
    if direction == HIGHER:
        return value >= expected
    if direction == LOWER:
        return value <= expected
    return value == expected


def change_percent(previous: float, current: float) -> float | None:
    """The change from ``previous`` to ``current`` in percent of ``previous`` (``None`` when
    ``previous`` is zero: no relative change exists)."""
    if previous == 0:
        return None
    return (current - previous) / abs(previous) * 100


def needs_explanation(previous: float | None, current: float, threshold_percent: float) -> bool:
    """A change above ``threshold_percent`` against the last period asks for an explanation
    (DHIS2's "outlier" rule in its simplest form); from zero, any change does."""
    if previous is None:
        return False
    change = change_percent(previous, current)
    if change is None:
        return current != 0
    return abs(change) > threshold_percent
