"""The engineering figures (registered from ``EngineeringConfig.ready``):
``engineering.first_pass_rate`` — construction projects whose first completion acceptance in
the year passed, in percent of those accepted for the first time that year;
``engineering.water_conservancy.pass_rate`` and ``engineering.transport.pass_rate`` — the
year's quality inspections of those projects that passed. Region: the project's (and below).
Rates from the engine (``zhizao.indicators.rates``), rounded per GB/T 8170."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from zhizao.core.figures import Column, Direction, Indicator, Measure, Period, in_region, percent
from zhizao.core.models import Region
from zhizao.engineering.choices import ProjectKind
from zhizao.engineering.models import Acceptance, Inspection
from zhizao.indicators.rates import PASS_RATE_DECIMALS

RULE = "合格率 = 合格数 / 总数 × 100%; GB/T 8170 修约 (rounding)"


def first_acceptances(region: Region, year: int) -> QuerySet[Acceptance]:
    return Acceptance.objects.filter(
        in_region(region, "project__region"),
        project__kind=ProjectKind.CONSTRUCTION,
        attempt=1,
        accepted_on__year=year,
    ).order_by("accepted_on", "project__name")


def inspections(kind: str) -> Callable[[Region, int], QuerySet[Inspection]]:
    def records(region: Region, year: int) -> QuerySet[Inspection]:
        return Inspection.objects.filter(
            in_region(region, "project__region"), project__kind=kind, inspected_on__year=year
        ).order_by("inspected_on", "project__name")

    return records


def _rate(records: Callable[[Region, int], QuerySet[Any]]) -> Callable[[Region, int], Measure]:
    def measure(region: Region, year: int) -> Measure:
        counts = records(region, year).aggregate(
            total=Count("pk"),
            ok=Count("pk", filter=Q(passed=True)),
            synthetic=Count("pk", filter=Q(is_synthetic=True)),
        )
        total = counts["total"] or 0
        if not total:
            return Measure.missing(0, f"{year} 年没有记录", f"no records in {year}")
        return Measure(
            percent(counts["ok"], total, PASS_RATE_DECIMALS), total, counts["synthetic"] > 0
        )

    return measure


def _latest(model: Any, field: str) -> Callable[[Region], int | None]:
    def latest(region: Region) -> int | None:
        last = model.objects.filter(in_region(region, "project__region")).aggregate(
            last=Max(field)
        )["last"]
        return last.year if last else None

    return latest


ACCEPTANCE_COLUMNS = (
    Column(_("project"), "project__name"),
    Column(_("region"), "project__region__name"),
    Column(_("date"), "accepted_on"),
    Column(_("passed"), "passed"),
    Column(_("reasons"), "reasons"),
)
INSPECTION_COLUMNS = (
    Column(_("project"), "project__name"),
    Column(_("region"), "project__region__name"),
    Column(_("inspected on"), "inspected_on"),
    Column(_("passed"), "passed"),
    Column(_("findings"), "findings"),
)


def _inspection_indicator(kind: str, code: str, zh: str, en: str) -> Indicator:
    return Indicator(
        code=code,
        name=(f"{zh}质量检查合格率", f"{en} quality-inspection pass rate"),
        definition=(
            f"当年本地区{zh}质量检查中合格的百分比。",
            f"Share of the year's quality inspections of {en.lower()} projects in the region "
            "that passed.",
        ),
        unit="%",
        standard=RULE,
        direction=Direction.HIGHER,
        period=Period.YEAR,
        measure=_rate(inspections(kind)),
        records=inspections(kind),
        columns=INSPECTION_COLUMNS,
        select_related=("project__region",),
        latest=_latest(Inspection, "inspected_on"),
    )


INDICATORS = (
    Indicator(
        code="engineering.first_pass_rate",
        name=("工程竣工验收一次合格率", "First-time completion acceptance pass rate"),
        definition=(
            "当年首次竣工验收的本地区房屋建筑和市政工程中一次验收合格的百分比。",
            "Share of the construction projects in the region first accepted in the year that "
            "passed at the first acceptance.",
        ),
        unit="%",
        standard=RULE,
        direction=Direction.HIGHER,
        period=Period.YEAR,
        measure=_rate(first_acceptances),
        records=first_acceptances,
        columns=ACCEPTANCE_COLUMNS,
        select_related=("project__region",),
        latest=_latest(Acceptance, "accepted_on"),
    ),
    _inspection_indicator(
        ProjectKind.WATER_CONSERVANCY,
        "engineering.water_conservancy.pass_rate",
        "新建水利工程",
        "Water-conservancy",
    ),
    _inspection_indicator(
        ProjectKind.TRANSPORT, "engineering.transport.pass_rate", "交通工程", "Transport"
    ),
)
