"""The fund ledger's figures (registered from ``FundsConfig.ready``), per programme kind
``funds.<kind>.…``: applicants, funded organizations, money granted and the city's rank in its
province by money granted, computed among the cities with records of that kind and year.

A programme counts in the year it is for (``FundProgramme.year``); the standardization reward is
cumulative (the article's 累计发放), counting every programme up to that year."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from zhizao.core.choices import RegionLevel
from zhizao.core.figures import Column, Direction, Indicator, Measure, Period, in_region
from zhizao.core.models import Region
from zhizao.funds.choices import ApplicationStatus, ProgrammeKind
from zhizao.funds.models import FundApplication, FundGrant
from zhizao.indicators.performance import competition_rank

KIND_NAMES: dict[str, tuple[str, str]] = {
    ProgrammeKind.IP_STRATEGY: ("知识产权战略实施专项资金", "IP-strategy special fund"),
    ProgrammeKind.STANDARDIZATION_REWARD: ("标准化奖励资金", "standardization reward fund"),
    ProgrammeKind.QUALITY_AWARD_BONUS: ("质量奖奖励资金", "quality-award bonus"),
}
KIND_PERIODS: dict[str, str] = {
    ProgrammeKind.IP_STRATEGY: Period.YEAR,
    ProgrammeKind.STANDARDIZATION_REWARD: Period.CUMULATIVE,
    ProgrammeKind.QUALITY_AWARD_BONUS: Period.YEAR,
}
RULE = "奖励资金台账 (the incentive-fund ledger)"


def _years(kind: str, year: int, path: str = "programme__year") -> Q:
    if KIND_PERIODS[kind] == Period.CUMULATIVE:
        return Q(**{f"{path}__lte": year})
    return Q(**{path: year})


def applications(
    kind: str, funded: bool = False
) -> Callable[[Region, int], QuerySet[FundApplication]]:
    def records(region: Region, year: int) -> QuerySet[FundApplication]:
        rows = FundApplication.objects.filter(
            in_region(region, "organization__region"), _years(kind, year), programme__kind=kind
        )
        if funded:
            rows = rows.filter(status=ApplicationStatus.GRANTED)
        return rows.order_by("organization__name", "pk")

    return records


def grants(kind: str) -> Callable[[Region, int], QuerySet[FundGrant]]:
    def records(region: Region, year: int) -> QuerySet[FundGrant]:
        return FundGrant.objects.filter(
            in_region(region, "organization__region"), _years(kind, year), programme__kind=kind
        ).order_by("-amount", "pk")

    return records


def _synthetic(rows: QuerySet[Any]) -> bool:
    return rows.filter(is_synthetic=True).exists()


def organizations_of(
    records: Callable[[Region, int], QuerySet[FundApplication]],
) -> Callable[[Region, int], Measure]:
    def measure(region: Region, year: int) -> Measure:
        rows = records(region, year)
        count = rows.count()
        organizations = rows.values("organization").distinct().count()
        return Measure(organizations, count, synthetic=count > 0 and _synthetic(rows))

    return measure


def granted(kind: str) -> Callable[[Region, int], Measure]:
    def measure(region: Region, year: int) -> Measure:
        rows = grants(kind)(region, year)
        total = rows.aggregate(total=Sum("amount"))["total"]
        count = rows.count()
        return Measure(
            total if total is not None else Decimal("0.00"),
            count,
            synthetic=count > 0 and _synthetic(rows),
        )

    return measure


def province_grants(kind: str) -> Callable[[Region, int], QuerySet[FundGrant]]:
    """The grants of every city in ``region``'s province (what the rank is computed from)."""

    def records(region: Region, year: int) -> QuerySet[FundGrant]:
        if region.level != RegionLevel.CITY or region.parent_id is None:
            return FundGrant.objects.none()
        return FundGrant.objects.filter(
            _years(kind, year),
            programme__kind=kind,
            city__parent_id=region.parent_id,
            city__level=RegionLevel.CITY,
        ).order_by("city__code", "-amount", "pk")

    return records


def rank_in_province(kind: str) -> Callable[[Region, int], Measure]:
    def measure(region: Region, year: int) -> Measure:
        if region.level != RegionLevel.CITY:
            return Measure.missing(
                0, "排名只对地级市计算。", "The rank is computed for cities only."
            )
        rows = province_grants(kind)(region, year)
        # Cities with records of this kind and year: those granted and those only applying.
        applied = FundApplication.objects.filter(
            _years(kind, year),
            programme__kind=kind,
            city__parent_id=region.parent_id,
            city__level=RegionLevel.CITY,
        ).values_list("city_id", flat=True)
        totals = {
            row["city_id"]: float(row["total"])
            for row in rows.values("city_id").annotate(total=Sum("amount")).order_by()
        }
        cities = sorted(set(totals) | set(applied))
        count = rows.count()
        if region.pk not in cities:
            return Measure.missing(
                count,
                "本市在该年没有此类资金的记录。",
                "The city has no records of this fund that year.",
            )
        ranks = competition_rank([totals.get(city, 0.0) for city in cities])
        return Measure(
            int(ranks[cities.index(region.pk)]), count, synthetic=count > 0 and _synthetic(rows)
        )

    return measure


APPLICATION_COLUMNS = (
    Column(_("organization"), "organization__name"),
    Column(_("fund programme"), "programme__name"),
    Column(_("project"), "project"),
    Column(_("amount asked (yuan)"), "amount_requested"),
    Column(_("status"), "get_status_display"),
)
GRANT_COLUMNS = (
    Column(_("organization"), "organization__name"),
    Column(_("city"), "city__name"),
    Column(_("fund programme"), "programme__name"),
    Column(_("amount (yuan)"), "amount"),
    Column(_("granted on"), "granted_on"),
)


def _indicators(kind: str) -> tuple[Indicator, ...]:
    zh, en = KIND_NAMES[kind]
    period = KIND_PERIODS[kind]
    when_zh, when_en = (
        ("截至当年", "up to the year") if period == Period.CUMULATIVE else ("当年", "in the year")
    )
    return (
        Indicator(
            code=f"funds.{kind}.applicants",
            name=(f"{zh}申报单位数", f"Applicants to the {en}"),
            definition=(
                f"{when_zh}申报{zh}的本地单位数（按单位去重）。",
                f"Local organizations that applied to the {en} {when_en} (each counted once).",
            ),
            unit="家",
            standard=RULE,
            direction=Direction.HIGHER,
            period=period,
            measure=organizations_of(applications(kind)),
            records=applications(kind),
            columns=APPLICATION_COLUMNS,
            select_related=("organization", "programme"),
        ),
        Indicator(
            code=f"funds.{kind}.funded",
            name=(f"{zh}获资助单位数", f"Organizations funded by the {en}"),
            definition=(
                f"{when_zh}获得{zh}资助的本地单位数（按单位去重）。",
                f"Local organizations granted money by the {en} {when_en} (each counted once).",
            ),
            unit="家",
            standard=RULE,
            direction=Direction.HIGHER,
            period=period,
            measure=organizations_of(applications(kind, funded=True)),
            records=applications(kind, funded=True),
            columns=APPLICATION_COLUMNS,
            select_related=("organization", "programme"),
        ),
        Indicator(
            code=f"funds.{kind}.granted",
            name=(f"{zh}资助金额", f"Money granted by the {en}"),
            definition=(
                f"{when_zh}本地单位获得的{zh}金额合计（元）。",
                f"The {en} granted to local organizations {when_en}, in yuan.",
            ),
            unit="元",
            standard=RULE,
            direction=Direction.HIGHER,
            period=period,
            measure=granted(kind),
            records=grants(kind),
            columns=GRANT_COLUMNS,
            select_related=("organization", "programme", "city"),
        ),
        Indicator(
            code=f"funds.{kind}.rank_in_province",
            name=(f"{zh}金额全省排名", f"Rank in the province by the {en} granted"),
            definition=(
                f"本市{when_zh}获得的{zh}金额在全省有记录的地级市中的名次（并列取高）。",
                f"The city's rank by the {en} granted {when_en} among the province's cities with "
                "records (ties share the better rank).",
            ),
            unit="名",
            standard=RULE,
            direction=Direction.LOWER,
            period=period,
            measure=rank_in_province(kind),
            records=province_grants(kind),
            columns=GRANT_COLUMNS,
            select_related=("organization", "programme", "city"),
        ),
    )


INDICATORS = tuple(indicator for kind in KIND_NAMES for indicator in _indicators(kind))
