"""The incident figures (registered from ``IncidentsConfig.ready``): ``incidents.major``, the
major and especially major incidents of the year in the region and its districts, and
``incidents.years_without_major``, the consecutive years up to that year without one, counted
back to the first year the records cover. The formula (years_without) is the engine's."""

from __future__ import annotations

from django.db.models import Max, QuerySet
from django.utils.translation import gettext_lazy as _

from zhizao.core.figures import Column, Direction, Indicator, Measure, Period, counted, in_region
from zhizao.core.models import Region
from zhizao.incidents import services
from zhizao.incidents.choices import RECORDS_FROM_YEAR
from zhizao.incidents.models import Incident

RULE = "《国家突发公共事件总体应急预案》及各领域专项预案的分级 (grades of the national plans)"


def major(region: Region, year: int) -> QuerySet[Incident]:
    return services.records_between(region, year, year).major().order_by("occurred_on")


def window(region: Region, year: int) -> QuerySet[Incident]:
    return services.records_between(region, RECORDS_FROM_YEAR, year).order_by("-occurred_on")


def _years(region: Region, year: int) -> Measure:
    if year < RECORDS_FROM_YEAR:
        return Measure.missing(
            0,
            f"事件记录自 {RECORDS_FROM_YEAR} 年起",
            f"the incident records begin in {RECORDS_FROM_YEAR}",
        )
    records = window(region, year)
    count = records.count()
    synthetic = count > 0 and records.filter(is_synthetic=True).exists()
    return Measure(services.years_without_major(region, year), count, synthetic)


def _latest(region: Region) -> int | None:
    last = Incident.objects.filter(in_region(region, "region")).aggregate(last=Max("occurred_on"))[
        "last"
    ]
    return last.year if last else None


COLUMNS = (
    Column(_("occurred on"), "occurred_on"),
    Column(_("domain"), "get_domain_display"),
    Column(_("title"), "title"),
    Column(_("region"), "region__name"),
    Column(
        _("grade"),
        lambda incident: incident.get_grade_display() or incident.get_suggested_grade_display(),
    ),
    Column(_("deaths"), "deaths"),
    Column(_("seriously injured or ill"), "injured"),
)

INDICATORS = (
    Indicator(
        code="incidents.major",
        name=("重大及以上质量安全事件", "Major quality-safety incidents"),
        definition=(
            "当年本地区发生的重大、特别重大质量安全事件数（食品、药品、特种设备、工业产品、工程、服务）。",
            "Major and especially major quality-safety incidents in the region in the year "
            "(food, drugs, special equipment, industrial products, engineering, services).",
        ),
        unit="起",
        standard=RULE,
        direction=Direction.LOWER,
        period=Period.YEAR,
        measure=lambda region, year: counted(major(region, year)),
        records=major,
        columns=COLUMNS,
        select_related=("region",),
        latest=_latest,
    ),
    Indicator(
        code="incidents.years_without_major",
        name=("连续未发生重大质量安全事件年数", "Years without a major quality-safety incident"),
        definition=(
            "截至当年，本地区连续未发生重大及以上质量安全事件的年数"
            f"（自 {RECORDS_FROM_YEAR} 年有记录起）。",
            "Consecutive years up to the year without a major or especially major incident in "
            f"the region, counted from {RECORDS_FROM_YEAR}, when the records begin.",
        ),
        unit="年",
        standard=RULE,
        direction=Direction.HIGHER,
        period=Period.CUMULATIVE,
        measure=_years,
        records=window,
        columns=COLUMNS,
        select_related=("region",),
        latest=_latest,
    ),
)
