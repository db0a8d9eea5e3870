"""Rapid test decisions: GB/T 5009.199-2003 enzyme inhibition and catalogue threshold rules.

Enzyme inhibition (酶抑制率法): rate % = (ΔA0 − ΔAt) / ΔA0 × 100, ΔA0 the control's and ΔAt the
sample's absorbance change at 412 nm over the 3-minute reaction; rate ≥ 50% → positive
(organophosphate/carbamate present; retest ≥ 2 times, confirm by a laboratory method).

The ≥ 50% decision is made exactly: absorbances are read as decimals (to 10⁻⁶) and compared in
integers, so 0.300/0.150 is exactly 50% and positive. A negative rate (sample changes more than
the control) is not covered by the standard: by default it is kept as computed (and negative);
``negative_rate="zero"`` clamps it to 0, ``"invalid"`` returns NaN.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from fractions import Fraction
from typing import Final

import numpy as np
import numpy.typing as npt

from zhizao.indicators.errors import InvalidValueError
from zhizao.indicators.rates import round_gbt8170

ENZYME_POSITIVE_PCT: Final = 50.0
"""Inhibition rate at or above which a sample is positive (GB/T 5009.199-2003)."""

RATE_DECIMALS: Final = 2
"""Inhibition rates are reported with two decimals."""

_SCALE: Final = 10**6


class Decision(StrEnum):
    PASS = "pass"  # 合格 / 阴性
    FAIL = "fail"  # 不合格 / 阳性


class Direction(StrEnum):
    """How a catalogue threshold is read: pass if value ≤ / < / ≥ / > threshold, or qualitative."""

    LE = "le"
    LT = "lt"
    GE = "ge"
    GT = "gt"
    NEGATIVE = "negative"  # qualitative: pass if the result is negative
    POSITIVE = "positive"  # qualitative: pass if the result is positive


NEGATIVE_WORDS: Final = frozenset({"negative", "neg", "-", "阴性", "n", "0", "false"})
POSITIVE_WORDS: Final = frozenset({"positive", "pos", "+", "阳性", "p", "1", "true"})


@dataclass(frozen=True)
class EnzymeScreen:
    """Result of one enzyme inhibition measurement."""

    rate_pct: float
    positive: bool

    @property
    def rate_rounded(self) -> float:
        return round_gbt8170(self.rate_pct, RATE_DECIMALS)


def _scaled(values: npt.ArrayLike, name: str) -> npt.NDArray[np.int64]:
    data = np.asarray(values, dtype=np.float64)
    if np.isnan(data).any() or np.isinf(data).any():
        raise InvalidValueError(f"{name} must be a finite number", f"{name} 必须是有限数值")
    return np.rint(data * _SCALE).astype(np.int64)


def inhibition_rate(
    delta_a0: npt.ArrayLike,
    delta_at: npt.ArrayLike,
    *,
    negative_rate: str = "keep",
) -> npt.NDArray[np.float64]:
    """Vectorised inhibition rate in percent (unrounded)."""
    control = _scaled(delta_a0, "ΔA0")
    sample = _scaled(delta_at, "ΔAt")
    if np.any(control <= 0):
        raise InvalidValueError(
            "control absorbance change ΔA0 must be > 0", "对照吸光度变化值 ΔA0 必须大于 0"
        )
    rate = (control - sample) * 100 / control.astype(np.float64)
    if negative_rate == "zero":
        rate = np.maximum(rate, 0.0)
    elif negative_rate == "invalid":
        rate = np.where(rate < 0, np.nan, rate)
    elif negative_rate != "keep":
        raise InvalidValueError(
            f"negative_rate={negative_rate!r} is not keep, zero or invalid",
            f"negative_rate={negative_rate!r} 无效",
        )
    return rate


def enzyme_positive(
    delta_a0: npt.ArrayLike,
    delta_at: npt.ArrayLike,
    *,
    threshold_pct: float = ENZYME_POSITIVE_PCT,
) -> npt.NDArray[np.bool_]:
    """Vectorised exact decision rate ≥ threshold: 100·(ΔA0 − ΔAt) ≥ threshold·ΔA0."""
    control = _scaled(delta_a0, "ΔA0")
    sample = _scaled(delta_at, "ΔAt")
    limit = Fraction(str(threshold_pct))
    return (control - sample) * 100 * limit.denominator >= control * limit.numerator


def enzyme_screen(
    delta_a0: float,
    delta_at: float,
    *,
    threshold_pct: float = ENZYME_POSITIVE_PCT,
    negative_rate: str = "keep",
) -> EnzymeScreen:
    """One measurement: the rate and whether it is positive (rate ≥ threshold)."""
    rate = float(inhibition_rate([delta_a0], [delta_at], negative_rate=negative_rate)[0])
    positive = bool(enzyme_positive([delta_a0], [delta_at], threshold_pct=threshold_pct)[0])
    return EnzymeScreen(rate, positive)


def parse_direction(value: Direction | str) -> Direction:
    if isinstance(value, Direction):
        return value
    aliases = {"<=": "le", "≤": "le", "<": "lt", ">=": "ge", "≥": "ge", ">": "gt"}
    text = value.strip().lower()
    try:
        return Direction(aliases.get(text, text))
    except ValueError:
        raise InvalidValueError(
            f"unknown direction {value!r}",
            f"未知判定方向 {value!r}",
            "expected le, lt, ge, gt, negative or positive",
        ) from None


def _qualitative(value: object) -> bool:
    """True for a positive result, False for a negative one."""
    text = str(value).strip().lower()
    if text in POSITIVE_WORDS:
        return True
    if text in NEGATIVE_WORDS:
        return False
    raise InvalidValueError(
        f"qualitative result {value!r} is neither positive nor negative",
        f"定性结果 {value!r} 既非阳性也非阴性",
    )


def _exact(value: float | str | Decimal, name: str) -> Decimal:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidValueError(
            f"{name} {value!r} is not a number", f"{name} {value!r} 不是数字"
        ) from None
    if not number.is_finite():
        raise InvalidValueError(f"{name} {value!r} is not finite", f"{name} {value!r} 无效")
    return number


def decide(
    value: float | str | Decimal,
    direction: Direction | str,
    threshold: float | str | Decimal | None = None,
) -> Decision:
    """Pass/fail of one result under a catalogue rule, compared exactly as decimals.

    Numeric directions need ``threshold``: "le" passes if value ≤ threshold, "lt" if <, "ge"
    if ≥, "gt" if >. Qualitative directions read ``value`` as a result ("negative"/"阴性",
    "positive"/"阳性"): "negative" passes a negative result, "positive" a positive one.
    """
    rule = parse_direction(direction)
    if rule in (Direction.NEGATIVE, Direction.POSITIVE):
        is_positive = _qualitative(value)
        ok = is_positive if rule is Direction.POSITIVE else not is_positive
        return Decision.PASS if ok else Decision.FAIL
    if threshold is None:
        raise InvalidValueError(
            f"direction {rule.value} needs a threshold", f"判定方向 {rule.value} 需要阈值"
        )
    number, bound = _exact(value, "value"), _exact(threshold, "threshold")
    ok = {
        Direction.LE: number <= bound,
        Direction.LT: number < bound,
        Direction.GE: number >= bound,
        Direction.GT: number > bound,
    }[rule]
    return Decision.PASS if ok else Decision.FAIL


def decide_array(
    values: npt.ArrayLike,
    direction: Direction | str,
    threshold: float | None = None,
) -> npt.NDArray[np.bool_]:
    """Vectorised :func:`decide`: True where the result passes.

    Numeric values are floats (NaN never passes); qualitative values are strings or booleans
    (True = positive).
    """
    rule = parse_direction(direction)
    if rule in (Direction.NEGATIVE, Direction.POSITIVE):
        raw = np.asarray(values)
        if raw.dtype == np.bool_:
            positive = raw
        else:
            positive = np.array([_qualitative(item) for item in raw.ravel()], dtype=bool)
            positive = positive.reshape(raw.shape)
        return positive if rule is Direction.POSITIVE else ~positive
    if threshold is None or math.isnan(threshold):
        raise InvalidValueError(
            f"direction {rule.value} needs a threshold", f"判定方向 {rule.value} 需要阈值"
        )
    data = np.asarray(values, dtype=np.float64)
    compare = {
        Direction.LE: np.less_equal,
        Direction.LT: np.less,
        Direction.GE: np.greater_equal,
        Direction.GT: np.greater,
    }[rule]
    result: npt.NDArray[np.bool_] = compare(data, threshold)
    return result
