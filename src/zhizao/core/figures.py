"""The indicator registry: every figure the city publishes, declared once by the app that owns
its records (``<app>/indicators.py``, registered from the app's ``AppConfig.ready``).

An :class:`Indicator` names a figure (a stable code, names and a one-sentence definition in
both languages, unit, the standard or rule it follows, direction, period) and routes it: its
``measure`` function counts the records of a region and year and calls the engine
(``zhizao.indicators``) for the formula; its ``records`` function gives exactly those records,
which the drill-down page ``/figures/<code>/records/`` lists. :meth:`Indicator.compute` wraps
the measure into a :class:`Figure` with its unit, the time it was computed and the drill-down
URL. Formulas never live here.

Region semantics are the same for every indicator: a city's figure counts the city and every
district and zone below it (:func:`in_region`, the materialised path of ``core.Region``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Model, Q, QuerySet, TextChoices
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhizao.core.display import is_chinese
from zhizao.core.models import Region

Value = Decimal | int | None


class Direction(TextChoices):
    HIGHER = "higher", _("higher is better")
    LOWER = "lower", _("lower is better")
    NEITHER = "neither", _("neither")


class Period(TextChoices):
    YEAR = "year", _("the year")
    FIVE_YEARS = "five_years", _("the five years ending that year")
    CUMULATIVE = "cumulative", _("cumulative up to the end of that year")
    TO_REPORT_DATE = "to_report_date", _("cumulative up to that year's report date")


def report_date(year: int) -> date:
    """The day up to which the report on ``year`` counts what the city holds (award results,
    honours): ``ZHIZAO_REPORT_DATE`` (month and day, default 30 September) of the following
    year. A report on a year is written in the next one and counts honours "up to now", as the
    article does (docs/decisions/0005-report-date.md)."""
    month, day = settings.ZHIZAO_REPORT_DATE
    return date(year + 1, month, day)


def report_year(day: date) -> int:
    """The first year whose report counts something dated ``day`` (announced, awarded)."""
    return day.year - 1 if day <= report_date(day.year - 1) else day.year


def period_years(period: str, year: int) -> tuple[int | None, int]:
    """The first and last calendar year a period covers (``None``: from the beginning)."""
    if period == Period.YEAR:
        return year, year
    if period == Period.FIVE_YEARS:
        return year - 4, year
    return None, year


@dataclass(frozen=True)
class Measure:
    """What an indicator's ``measure`` function returns: the value (already in the indicator's
    unit and rounded for publication), how many records it was computed from, why it is
    ``None`` (both languages), and whether any of those records is synthetic."""

    value: Value
    records: int
    synthetic: bool = False
    reason_zh: str = ""
    reason_en: str = ""

    @classmethod
    def missing(
        cls, records: int, reason_zh: str, reason_en: str, synthetic: bool = False
    ) -> Measure:
        return cls(None, records, synthetic, reason_zh, reason_en)


def counted(records: QuerySet[Any]) -> Measure:
    """The figure that is the number of ``records`` (synthetic when any of them is)."""
    count = records.count()
    return Measure(count, count, synthetic=count > 0 and records.filter(is_synthetic=True).exists())


@dataclass(frozen=True)
class Figure:
    """One published figure of one region and year."""

    code: str
    value: Value
    unit: str
    records: int
    reason: str
    synthetic: bool
    computed_at: datetime
    url: str

    def as_json(self) -> dict[str, Any]:
        value: float | int | None
        value = float(self.value) if isinstance(self.value, Decimal) else self.value
        return {
            "value": value,
            "unit": self.unit,
            "records": self.records,
            "reason": self.reason or None,
            "synthetic": self.synthetic,
            "computed_at": self.computed_at.isoformat(),
            "url": self.url,
        }


@dataclass(frozen=True)
class Column:
    """A column of the drill-down list: its heading and the record's attribute path
    (``market__name``), or a function of the record."""

    heading: Any
    path: str | Callable[[Any], Any]

    def of(self, record: Any) -> Any:
        if callable(self.path):
            return self.path(record)
        value = record
        for part in self.path.split("__"):
            value = getattr(value, part, None)
            if value is None:
                return ""
            if callable(value) and not isinstance(value, Model):
                value = value()
        if isinstance(value, datetime):
            return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
        return value


@dataclass(frozen=True)
class Indicator:
    """One indicator, declared once (see ``docs/figures.md`` for an example)."""

    code: str
    name: tuple[str, str]  # (zh, en)
    definition: tuple[str, str]  # (zh, en), one sentence each
    unit: str
    standard: str
    direction: str
    period: str
    measure: Callable[[Region, int], Measure]
    records: Callable[[Region, int], QuerySet[Any]]
    columns: tuple[Column, ...]
    select_related: tuple[str, ...] = ()
    published: bool = True  # False: staff only (the API and the catalogue hide it from others)
    # The latest year with records in the region (None: no records at all); without it the
    # figure is taken to be current (e.g. a count of honours held).
    latest: Callable[[Region], int | None] | None = None

    @property
    def app(self) -> str:
        return self.code.split(".", 1)[0]

    def text(self, pair: tuple[str, str]) -> str:
        return pair[0] if is_chinese() else pair[1]

    @property
    def title(self) -> str:
        return self.text(self.name)

    @property
    def meaning(self) -> str:
        return self.text(self.definition)

    @property
    def period_label(self) -> str:
        return str(Period(self.period).label)

    def url(self, region: Region, year: int) -> str:
        """The drill-down, ``core:figure_records`` (spelled out rather than reversed, so that
        ``zhizao figures`` need not import every view: a test checks the two agree)."""
        query = urlencode({"city": region.code or region.pk, "year": year})
        return f"{get_script_prefix()}figures/{self.code}/records/?{query}"

    def compute(self, region: Region, year: int) -> Figure:
        measure = self.measure(region, year)
        return Figure(
            code=self.code,
            value=measure.value,
            unit=self.unit,
            records=measure.records,
            reason=self.text((measure.reason_zh, measure.reason_en))
            if measure.value is None
            else "",
            synthetic=measure.synthetic,
            computed_at=timezone.now(),
            url=self.url(region, year),
        )


_registry: dict[str, Indicator] = {}


def register(*indicators: Indicator) -> None:
    """Register indicators (from an app's ``AppConfig.ready``). A code is registered once."""
    for indicator in indicators:
        known = _registry.get(indicator.code)
        if known is not None and known != indicator:
            raise ValueError(f"indicator {indicator.code} is registered twice (指标代码重复)")
        _registry[indicator.code] = indicator


def unregister(code: str) -> None:
    _registry.pop(code, None)


def get(code: str) -> Indicator | None:
    return _registry.get(code)


def indicators(prefix: str = "", *, published_only: bool = False) -> list[Indicator]:
    """Registered indicators in code order, those whose code starts with ``prefix``."""
    return [
        indicator
        for code, indicator in sorted(_registry.items())
        if code.startswith(prefix) and (indicator.published or not published_only)
    ]


def compute_all(
    region: Region, year: int, prefix: str = "", *, published_only: bool = False
) -> dict[str, Figure]:
    return {
        indicator.code: indicator.compute(region, year)
        for indicator in indicators(prefix, published_only=published_only)
    }


def latest_year(region: Region, codes: list[str] | tuple[str, ...]) -> int:
    """The latest year in which every one of these figures has records (the current year when
    none of them knows a latest year): what the front page shows."""
    years = []
    for code in codes:
        indicator = _registry.get(code)
        if indicator is not None and indicator.latest is not None:
            year = indicator.latest(region)
            if year is not None:
                years.append(year)
    return min(years) if years else timezone.localdate().year


def find_region(text: str) -> Region | None:
    """A region by GB/T 2260 code or by name (a city before a district of the same name)."""
    text = text.strip()
    if not text:
        return None
    found = Region.objects.filter(Q(code=text) | Q(name=text) | Q(name_en__iexact=text))
    return found.order_by("path").first()


def in_region(region: Region, path: str) -> Q:
    """Records whose region (at ``path``, e.g. ``market__region``) is ``region`` or below it."""
    return Q(**{f"{path}__path__startswith": region.path})


def year_bounds(period: str, year: int) -> tuple[datetime | None, datetime]:
    """The period's local-time bounds ``[start, end)`` (start ``None``: from the beginning)."""
    first, last = period_years(period, year)
    start = timezone.make_aware(datetime(first, 1, 1)) if first is not None else None
    return start, timezone.make_aware(datetime(last + 1, 1, 1))


def month_bounds(period: str, year: int) -> tuple[date | None, date]:
    """The period's first and last month (rollups store a month as its first day)."""
    first, last = period_years(period, year)
    return (date(first, 1, 1) if first is not None else None), date(last, 12, 1)


def percent(part: float | int, whole: float | int, ndigits: int) -> Decimal:
    """``part / whole`` in percent, rounded per GB/T 8170 by the engine, as a Decimal."""
    from zhizao.indicators.rates import round_gbt8170

    return Decimal(str(round_gbt8170(part / whole * 100, ndigits)))


def iter_documentation() -> Iterator[str]:
    """``docs/figures.md``: every registered indicator (``zhizao figures --doc`` prints it)."""
    from django.utils import translation

    yield from DOC_HEAD.splitlines()
    for app in sorted({indicator.app for indicator in _registry.values()}):
        yield ""
        yield f"## `{app}`"
        yield ""
        yield "| code | name | definition | unit | standard / rule | direction | period |"
        yield "|---|---|---|---|---|---|---|"
        for indicator in indicators():
            if indicator.app != app:
                continue
            with translation.override("en"):
                direction = str(Direction(indicator.direction).label)
                period = str(Period(indicator.period).label)
            yield (
                f"| `{indicator.code}` | {indicator.name[0]}<br>{indicator.name[1]} | "
                f"{indicator.definition[0]}<br>{indicator.definition[1]} | "
                f"{indicator.unit or '–'} | {indicator.standard} | {direction} | {period} |"
            )


DOC_HEAD = """# Figures (`zhizao.core.figures`)

<!-- Generated from the indicator registry by `zhizao figures --doc > docs/figures.md`;
do not edit by hand (a test checks that this file is current). -->

Every figure the city publishes is an indicator registered here: a stable code, its name and
definition in both languages, unit, the standard or rule it follows, direction and period. Each
app declares its indicators in `<app>/indicators.py` and registers them from `AppConfig.ready`.
An indicator's `compute(region, year)` returns a `Figure`: `value` (Decimal or int, or `None`
with a `reason`), `unit`, `records` (how many records it was computed from), `synthetic`
(computed from generated demo records), `computed_at` and `url`, the drill-down page
(`/figures/<code>/records/?city=…&year=…`) that lists exactly those records, with the same count.
Formulas come from the engine (`zhizao.indicators`); the registry only names and routes them.
Percentages are in percent (98.75, not 0.9875) with the unit `%`.

A city's figure counts the city and every district and zone below it (the materialised path of
`core.Region`). Periods: *the year* (1 January to 31 December, local time), *the five years
ending that year* (e.g. 2017–2021 for 2021), *cumulative up to the end of that year*, and
*cumulative up to that year's report date*: what the city holds (award results, honours) up to
the day its report on the year is written, `ZHIZAO_REPORT_DATE` of the following year (default
30 September; docs/decisions/0005-report-date.md). An award result counts from the day its
edition was announced (an edition without that date: from the end of its year); an honour from
its year's end, or from its award's announcement; an honour without a year always counts.

Where figures are read:

- `zhizao figures --city 株洲市 --year 2021 [--code PREFIX] [--json]` (the city by name or
  GB/T 2260 code; an unknown one exits with status 2);
- `GET /api/v1/figures?city=430200&year=2021[&code=PREFIX]` (published indicators only for
  anonymous users);
- the front page's tiles (the latest year in which each tile's figure has records) and the
  catalogue `/figures/?year=2021`, each value linking to its drill-down.

The demo city lives in the article's time: its rapid tests run from 2017-01-01 to 2021-12-31, so
`--year 2021` gives the article's rapid-test figures. The article is the report on 2021, written
in September 2022, and counts honours "up to now" (截至目前): its Governor's award tally (7 awards
in 5 editions) includes the 7th edition, announced on 16 September 2022, before the 2021 report's
date (30 September 2022), so `--year 2021` gives 7.

## Adding an indicator

One declaration in the app's `indicators.py`, added to the tuple its `AppConfig.ready`
registers; `zhizao figures --doc > docs/figures.md` then documents it:

```python
Indicator(
    code="rapidtest.failed",
    name=("快检不合格批次", "Failed rapid-test batches"),
    definition=("当年快检结果不合格的批次数。", "Batches whose rapid test failed in the year."),
    unit="批次",
    standard="GB 2763 / GB 31650 (limits of the test items)",
    direction=Direction.LOWER,
    period=Period.YEAR,
    measure=lambda region, year: counted(failed_records(region, year)),
    records=failed_records,  # (region, year) -> exactly the records the figure counts
    columns=RECORD_COLUMNS,
)
```

# Registered indicators"""
