"""Supervision-sampling decisions (监督抽检判定): pure Python, no Django.

An item's verdict follows from its measured value and its limit when both are numbers: the
limit is written as the standard writes it — ``≤0.5``, ``<10``, ``≥90``, ``>0``, ``0.5~1.5``
(a closed range; ``-``, ``–``, ``～`` alike) or a bare number (a maximum). Values are compared
exactly as decimals. A qualitative item (labelling, 标签) has no numeric limit: its verdict is
what the lab reported. A batch conforms only if every item conforms (单项不合格即判该批次不合格).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from zhizao.indicators.errors import InvalidValueError

_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"
_BOUND = re.compile(rf"^(≤|<=|<|≥|>=|>)?\s*({_NUMBER})$")
_RANGE = re.compile(rf"^({_NUMBER})\s*[~～\-–—]\s*({_NUMBER})$")


@dataclass(frozen=True)
class Limit:
    """A numeric limit: ``low``/``high`` bounds (None: open), each inclusive or not."""

    low: Decimal | None
    high: Decimal | None
    low_inclusive: bool = True
    high_inclusive: bool = True

    def admits(self, value: Decimal) -> bool:
        if self.low is not None and (
            value < self.low or (value == self.low and not self.low_inclusive)
        ):
            return False
        return not (
            self.high is not None
            and (value > self.high or (value == self.high and not self.high_inclusive))
        )


def decimal_or_none(text: str) -> Decimal | None:
    """``text`` as a Decimal if it is a plain number, else None (``未检出``, ``ND``…)."""
    text = text.strip()
    if not re.fullmatch(_NUMBER, text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None


def parse_limit(text: str) -> Limit | None:
    """The numeric limit written in ``text``, or None when it is not numeric (e.g. ``符合``)."""
    text = text.strip().replace(" ", "")
    if not text:
        return None
    ranged = _RANGE.match(text)
    if ranged:
        low, high = Decimal(ranged.group(1)), Decimal(ranged.group(2))
        if low > high:
            raise InvalidValueError(
                f"limit range {text} runs backwards", f"限量范围 {text} 下限大于上限"
            )
        return Limit(low, high)
    bound = _BOUND.match(text)
    if not bound:
        return None
    sign, number = bound.group(1) or "≤", Decimal(bound.group(2))
    if sign in ("≤", "<="):
        return Limit(None, number)
    if sign == "<":
        return Limit(None, number, high_inclusive=False)
    if sign in ("≥", ">="):
        return Limit(number, None)
    return Limit(number, None, low_inclusive=False)


def item_conforms(value: str, limit: str) -> bool | None:
    """Whether a measured ``value`` meets ``limit``; None when either is not numeric (the
    lab's reported verdict then stands). A value below detection (``未检出``, ``ND``) against a
    maximum conforms."""
    parsed = parse_limit(limit)
    if parsed is None:
        return None
    number = decimal_or_none(value)
    if number is None:
        if value.strip().upper() in ("未检出", "ND", "N.D.", "<LOD") and parsed.low is None:
            return True
        return None
    return parsed.admits(number)


def batch_conforms(item_verdicts: Iterable[bool]) -> bool:
    """A batch conforms only if it has items and every one conforms."""
    verdicts = list(item_verdicts)
    if not verdicts:
        raise InvalidValueError("a batch needs at least one test item", "批次至少需要一个检验项目")
    return all(verdicts)
