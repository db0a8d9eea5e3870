"""Period identifiers as DHIS2 writes them: ``2021`` (year), ``2021Q3`` (quarter), ``202109``
(month); their first and last days, their year, the period before and the periods up to a day."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from zhizao.plans.choices import PeriodType

_PATTERNS = {
    PeriodType.YEARLY: re.compile(r"^(\d{4})$"),
    PeriodType.QUARTERLY: re.compile(r"^(\d{4})Q([1-4])$"),
    PeriodType.MONTHLY: re.compile(r"^(\d{4})(0[1-9]|1[0-2])$"),
}


@dataclass(frozen=True, order=True)
class Period:
    period_type: str
    year: int
    index: int  # 1 for a year, the quarter or the month otherwise

    @property
    def code(self) -> str:
        if self.period_type == PeriodType.YEARLY:
            return f"{self.year}"
        if self.period_type == PeriodType.QUARTERLY:
            return f"{self.year}Q{self.index}"
        return f"{self.year}{self.index:02d}"

    @property
    def first_day(self) -> date:
        if self.period_type == PeriodType.YEARLY:
            return date(self.year, 1, 1)
        if self.period_type == PeriodType.QUARTERLY:
            return date(self.year, 3 * self.index - 2, 1)
        return date(self.year, self.index, 1)

    @property
    def last_day(self) -> date:
        if self.period_type == PeriodType.YEARLY:
            return date(self.year, 12, 31)
        month = 3 * self.index if self.period_type == PeriodType.QUARTERLY else self.index
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def count(self) -> int:
        """Periods of this type in a year."""
        return {"yearly": 1, "quarterly": 4}.get(str(self.period_type), 12)

    def due(self, due_days: int) -> date:
        return self.last_day + timedelta(days=due_days)

    def previous(self) -> Period:
        if self.index > 1:
            return Period(self.period_type, self.year, self.index - 1)
        return Period(self.period_type, self.year - 1, self.count)

    def next(self) -> Period:
        if self.index < self.count:
            return Period(self.period_type, self.year, self.index + 1)
        return Period(self.period_type, self.year + 1, 1)

    def __str__(self) -> str:
        return self.code


def parse(period_type: str, code: str) -> Period:
    """The period ``code`` of ``period_type``, or a ValidationError saying what is expected."""
    pattern = _PATTERNS.get(PeriodType(period_type))
    match = pattern.match(code.strip()) if pattern else None
    if match is None:
        examples = {
            PeriodType.YEARLY: "2021",
            PeriodType.QUARTERLY: "2021Q3",
            PeriodType.MONTHLY: "202109",
        }
        raise ValidationError(
            {
                "period": _(
                    "%(code)s is not a period of this data set (write it like %(example)s)."
                )
                % {"code": code, "example": examples[PeriodType(period_type)]}
            }
        )
    year = int(match.group(1))
    index = int(match.group(2)) if period_type != PeriodType.YEARLY else 1
    return Period(period_type, year, index)


def ended_by(period_type: str, first: str, day: date) -> list[Period]:
    """Every period from ``first`` whose last day is before ``day``, oldest first."""
    current = parse(period_type, first)
    periods = []
    while current.last_day < day:
        periods.append(current)
        current = current.next()
    return periods
