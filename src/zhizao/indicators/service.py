"""Service-level figures of the one-stop service (一站式服务): on-time share, median turnaround
and mean satisfaction, computed from plain arrays (no Django)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from zhizao.indicators.errors import InvalidValueError
from zhizao.indicators.rates import round_gbt8170


def on_time_share(turnaround_days: Sequence[float], promised_days: Sequence[float]) -> float | None:
    """Percent of deliveries within their promised turnaround (one decimal, GB/T 8170);
    ``None`` when nothing was delivered."""
    taken = np.asarray(turnaround_days, dtype=float)
    promised = np.asarray(promised_days, dtype=float)
    if taken.shape != promised.shape:
        raise InvalidValueError("turnaround and promise differ in length", "交付与承诺数量不一致")
    if taken.size == 0:
        return None
    if (taken < 0).any() or (promised <= 0).any():
        raise InvalidValueError("turnaround < 0 or promise <= 0", "时长不能为负，承诺须为正")
    return round_gbt8170(float(np.mean(taken <= promised)) * 100, 1)


def median_turnaround(turnaround_days: Sequence[float]) -> float | None:
    """Median days from acceptance to delivery (one decimal); ``None`` for none."""
    taken = np.asarray(turnaround_days, dtype=float)
    if taken.size == 0:
        return None
    return round_gbt8170(float(np.median(taken)), 1)


def mean_rating(ratings: Sequence[int]) -> float | None:
    """Mean satisfaction on the 1–5 scale (two decimals); ``None`` for no ratings."""
    values = np.asarray(ratings, dtype=float)
    if values.size == 0:
        return None
    if ((values < 1) | (values > 5)).any():
        raise InvalidValueError("a rating is outside 1–5", "评分须在 1–5 之间")
    return round_gbt8170(float(values.mean()), 2)
