"""Pass rates, changes and their rounding.

Rounding rule (documented in docs/indicators.md): published figures are rounded with
:func:`round_gbt8170` — GB/T 8170 "round half to even" applied to the decimal value as written
(the shortest decimal that round-trips the float), so 2.675 → 2.68 and 2.665 → 2.66 whatever
the binary representation. Percentages (rates of change, good-day ratios) carry one decimal
(:data:`PERCENT_DECIMALS`), pass rates two (:data:`PASS_RATE_DECIMALS`), the composite index two.
Rounding happens only when a figure is published; computations always use unrounded values.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import Final

import numpy as np
import numpy.typing as npt

from zhizao.indicators.errors import InsufficientDataError, InvalidValueError

PERCENT_DECIMALS: Final = 1
PASS_RATE_DECIMALS: Final = 2
COMPOSITE_DECIMALS: Final = 2

Z_95: Final = 1.959963984540054
"""Two-sided 95% standard normal quantile used by the Wilson interval."""


def exact(value: float | int | Fraction) -> Fraction:
    """The decimal a float stands for, as an exact fraction: 0.1 → 1/10 (via its shortest repr)."""
    if isinstance(value, Fraction | int):
        return Fraction(value)
    return Fraction(Decimal(repr(float(value))))


def round_gbt8170(value: float | Fraction, ndigits: int) -> float:
    """Round ``value`` to ``ndigits`` decimals, half to even (GB/T 8170).

    A float is taken as the decimal it prints as (so 2.675 → 2.68); a :class:`Fraction` is
    rounded exactly (so a composite index of exactly 3.425 → 3.42).
    """
    if isinstance(value, Fraction):
        scaled = value * 10**ndigits
        floor = scaled.numerator // scaled.denominator
        rest = scaled - floor
        if rest > Fraction(1, 2) or (rest == Fraction(1, 2) and floor % 2 == 1):
            floor += 1
        return float(Decimal(floor).scaleb(-ndigits))
    if math.isnan(value) or math.isinf(value):
        return value
    quantum = Decimal(1).scaleb(-ndigits)
    return float(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_EVEN))


@dataclass(frozen=True)
class PassRate:
    """Pass rate (合格率) with its Wilson score 95% interval, all as fractions in [0, 1]."""

    passed: int
    total: int
    rate: float
    low: float
    high: float

    def percent(self, ndigits: int = PASS_RATE_DECIMALS) -> tuple[float, float, float]:
        """(rate, low, high) in percent, rounded per :func:`round_gbt8170`."""
        return (
            round_gbt8170(self.rate * 100, ndigits),
            round_gbt8170(self.low * 100, ndigits),
            round_gbt8170(self.high * 100, ndigits),
        )


def wilson_interval(
    passed: npt.ArrayLike, total: npt.ArrayLike, z: float = Z_95
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Vectorised Wilson score interval of ``passed`` successes in ``total`` trials (NaN if 0)."""
    k = np.asarray(passed, dtype=np.float64)
    n = np.asarray(total, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        z2 = z * z
        denominator = 1 + z2 / n
        centre = (p + z2 / (2 * n)) / denominator
        half = z * np.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
        low = np.where(n > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
        high = np.where(n > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    return low, high


def pass_rate(passed: int, total: int, *, z: float = Z_95) -> PassRate:
    """Pass rate passed/total with the Wilson score interval (95% by default)."""
    if total < 0 or passed < 0 or passed > total:
        raise InvalidValueError(
            f"pass count {passed} of {total} is impossible",
            f"合格数 {passed} / 总数 {total} 不成立",
        )
    if total == 0:
        raise InsufficientDataError("no samples: pass rate undefined", "样本数为 0, 合格率无意义")
    low, high = wilson_interval(passed, total, z)
    # At the bounds the exact interval ends are 0 and 1; avoid float dust like 1e-17.
    low_value = 0.0 if passed == 0 else float(low)
    high_value = 1.0 if passed == total else float(high)
    return PassRate(passed, total, passed / total, low_value, high_value)


@dataclass(frozen=True)
class Change:
    """Change of a quantity against a base: absolute difference and percent of the base.

    ``percent`` is None when the base is 0. For quantities that are themselves percentages
    (good-day ratio, pass rate) the absolute difference is in percentage points (个百分点) —
    use :func:`ratio_change`, which says so in its field name.
    """

    current: float
    base: float
    absolute: float
    percent: float | None

    def percent_rounded(self, ndigits: int = PERCENT_DECIMALS) -> float | None:
        """Percent rounded per GB/T 8170, computed exactly from the decimal inputs."""
        if self.percent is None:
            return None
        base = exact(self.base)
        return round_gbt8170((exact(self.current) - base) / base * 100, ndigits)


@dataclass(frozen=True)
class RatioChange:
    """Change of a percentage: in percentage points and in percent of the base."""

    current_pct: float
    base_pct: float
    points: float
    percent: float | None

    def points_rounded(self, ndigits: int = PERCENT_DECIMALS) -> float:
        return round_gbt8170(exact(self.current_pct) - exact(self.base_pct), ndigits)


def change(current: float, base: float) -> Change:
    """Change of ``current`` against ``base`` (year-on-year, against a base year, …).

    percent = (current − base) / base × 100; for the composite index > 0 means worse.
    """
    absolute = current - base
    percent = None if base == 0 else absolute / base * 100
    return Change(current, base, absolute, percent)


def ratio_change(current_pct: float, base_pct: float) -> RatioChange:
    """Change of a percentage, e.g. a good-day ratio 80.1% vs 75.3% = +4.8 points (+6.4%)."""
    points = current_pct - base_pct
    percent = None if base_pct == 0 else points / base_pct * 100
    return RatioChange(current_pct, base_pct, points, percent)


def year_on_year(series: Mapping[int, float], year: int) -> Change:
    """Year-on-year (同比) change of ``series[year]`` against ``series[year - 1]``."""
    return n_year_change(series, year, 1)


def n_year_change(series: Mapping[int, float], year: int, years: int) -> Change:
    """Change of ``series[year]`` against ``series[year - years]`` (e.g. 2021 vs 2015)."""
    if years <= 0:
        raise InvalidValueError(f"years={years} must be ≥ 1", f"年数 {years} 必须 ≥ 1")
    for needed in (year, year - years):
        if needed not in series:
            raise InsufficientDataError(f"no value for {needed}", f"缺少 {needed} 年的数据")
    return change(series[year], series[year - years])


def cagr(first: float, last: float, years: float) -> float:
    """Compound annual growth rate in percent: ((last / first)^(1/years) − 1) × 100."""
    if years <= 0:
        raise InvalidValueError(f"years={years} must be > 0", f"年数 {years} 必须 > 0")
    if first <= 0 or last < 0:
        raise InvalidValueError(
            "CAGR needs a positive start value and a non-negative end value",
            "复合年均增长率要求起始值为正、终值非负",
        )
    return (math.pow(last / first, 1 / years) - 1) * 100


def binomial_upper_tail(k: int, n: int, p: float) -> float:
    """P(X ≥ k) for X ~ Binomial(n, p): the p-value of a one-sided exact binomial test that a
    failure count of ``k`` in ``n`` tests is higher than the rate ``p`` explains.

    Summed in log space (log-sum-exp) so that large ``n`` neither overflows nor underflows."""
    if n < 0 or not k >= 0 or not 0.0 <= p <= 1.0:
        raise InvalidValueError(
            f"binomial tail needs 0 ≤ k, n ≥ 0 and 0 ≤ p ≤ 1, got k={k}, n={n}, p={p}",
            "二项分布尾概率参数无效",
        )
    if k == 0:
        return 1.0
    if k > n or p == 0.0:
        return 0.0
    if p == 1.0:
        return 1.0
    i = np.arange(k, n + 1, dtype=np.float64)
    lgamma = np.vectorize(math.lgamma, otypes=[np.float64])
    terms = (
        math.lgamma(n + 1)
        - lgamma(i + 1)
        - lgamma(n - i + 1)
        + i * math.log(p)
        + (n - i) * math.log1p(-p)
    )
    top = float(terms.max())
    return min(1.0, math.exp(top) * float(np.exp(terms - top).sum()))
