"""Enterprise performance and ranking formulas (pure NumPy; docs/indicators.md, docs/enterprise.md).

- :func:`unit_quality_loss_cost`: (internal + external quality-loss cost) / output value, per
  year (单位产品质量损失成本, cost per yuan of output), vectorised over years.
- :func:`jump_ratios`: each value over the previous year's, the check that asks a reporter to
  confirm a year-on-year jump over 10×.
- :func:`competition_rank`: the rank of each value, largest first, ties sharing the best rank
  ("1224" ranking), e.g. a city's rank in its province by money granted.

Year-on-year and N-year changes are :func:`zhizao.indicators.rates.year_on_year` and
:func:`~zhizao.indicators.rates.n_year_change`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from zhizao.indicators.errors import InvalidValueError

FloatArray = npt.NDArray[np.float64]


def unit_quality_loss_cost(
    internal: Sequence[float] | FloatArray,
    external: Sequence[float] | FloatArray,
    output_value: Sequence[float] | FloatArray,
) -> FloatArray:
    """(internal + external) / output value for each position; NaN where the output value is
    zero or missing (NaN). Negative costs or output values are refused."""
    inner = np.asarray(internal, dtype=np.float64)
    outer = np.asarray(external, dtype=np.float64)
    value = np.asarray(output_value, dtype=np.float64)
    if not inner.shape == outer.shape == value.shape:
        raise InvalidValueError("the three series differ in length", "三个序列长度不一致")
    for series, en, zh in (
        (inner, "internal", "内部"),
        (outer, "external", "外部"),
        (value, "output value", "产值"),
    ):
        if np.any(series[~np.isnan(series)] < 0):
            raise InvalidValueError(f"a negative {en} value", f"{zh}数值为负")
    with np.errstate(divide="ignore", invalid="ignore"):
        cost = (inner + outer) / value
    cost[~np.isfinite(cost)] = np.nan
    return cost


def jump_ratios(values: Sequence[float] | FloatArray) -> FloatArray:
    """``values[i] / values[i - 1]`` (NaN for the first and after a zero or missing value)."""
    series = np.asarray(values, dtype=np.float64)
    ratios = np.full(series.shape, np.nan)
    if series.size > 1:
        with np.errstate(divide="ignore", invalid="ignore"):
            ratios[1:] = series[1:] / series[:-1]
    ratios[~np.isfinite(ratios)] = np.nan
    return ratios


def competition_rank(values: Sequence[float] | FloatArray) -> npt.NDArray[np.int64]:
    """Rank of each value, largest first; equal values share the best rank (1, 2, 2, 4)."""
    series = np.asarray(values, dtype=np.float64)
    if np.any(np.isnan(series)):
        raise InvalidValueError("a missing value cannot be ranked", "缺失值无法排名")
    # rank = 1 + how many values are strictly larger
    larger = (series[None, :] > series[:, None]).sum(axis=1)
    ranks: npt.NDArray[np.int64] = (larger + 1).astype(np.int64)
    return ranks
