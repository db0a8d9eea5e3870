"""The fund ledger's figures (registered from ``FundsConfig.ready``), per programme kind
``funds.<kind>.…``: applicants, funded organizations, money granted and the city's rank in its
province by money granted, computed among the cities with records of that kind and year.

A programme counts in the year it is for (``FundProgramme.year``). The standardization reward is
counted up to the year's report date (the article's "截至目前…累计发放", written in September of
the next year; docs/decisions/0005-report-date.md): a grant from the day it was granted, an
application from the day it was filed. Its grants are the registry's reward grants
(``nqi.RewardGrant`` links each to its ledger grant), so ``nqi.reward_grants`` is computed from
the same rows (:func:`grants`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhizao.core.choices import RegionLevel
from zhizao.core.figures import (
    Column,
    Direction,
    Indicator,
    Measure,
    Period,
    in_region,
    report_date,
)
from zhizao.core.models import Region
from zhizao.funds.choices import ProgrammeKind
from zhizao.funds.models import FundApplication, FundGrant
from zhizao.indicators.performance import competition_rank

KIND_NAMES: dict[str, tuple[str, str]] = {
    ProgrammeKind.IP_STRATEGY: ("知识产权战略实施专项资金", "IP-strategy special fund"),
    ProgrammeKind.STANDARDIZATION_REWARD: ("标准化奖励资金", "standardization reward fund"),
    ProgrammeKind.QUALITY_AWARD_BONUS: ("质量奖奖励资金", "quality-award bonus"),
}
KIND_PERIODS: dict[str, str] = {
    ProgrammeKind.IP_STRATEGY: Period.YEAR,
    ProgrammeKind.STANDARDIZATION_REWARD: Period.TO_REPORT_DATE,
    ProgrammeKind.QUALITY_AWARD_BONUS: Period.YEAR,
}
RULE = "奖励资金台账 (the incentive-fund ledger)"


def _years(kind: str, year: int, dated: str) -> Q:
    """The records of ``kind`` counted in ``year``: by programme year, or (counted up to the
    report date) by their own date at ``dated`` (``granted_on``, ``submitted_at``)."""
    period = KIND_PERIODS[kind]
    if period == Period.TO_REPORT_DATE:
        end = report_date(year) + dt.timedelta(days=1)
        if dated.endswith("_at"):
            return Q(
                **{f"{dated}__lt": timezone.make_aware(dt.datetime(end.year, end.month, end.day))}
            )
        return Q(**{f"{dated}__lt": end})
    if period == Period.CUMULATIVE:
        return Q(programme__year__lte=year)
    return Q(programme__year=year)


def _application_years(kind: str, year: int) -> Q:
    return _years(kind, year, "submitted_at")


def _grant_years(kind: str, year: int) -> Q:
    return _years(kind, year, "granted_on")


def applications(kind: str) -> Callable[[Region, int], QuerySet[FundApplication]]:
    def records(region: Region, year: int) -> QuerySet[FundApplication]:
        return FundApplication.objects.filter(
            in_region(region, "organization__region"),
            _application_years(kind, year),
            programme__kind=kind,
        ).order_by("organization__name", "pk")

    return records


def grants(kind: str) -> Callable[[Region, int], QuerySet[FundGrant]]:
    """The grants of ``kind`` to organizations of ``region`` counted in ``year``."""

    def records(region: Region, year: int) -> QuerySet[FundGrant]:
        return FundGrant.objects.filter(
            in_region(region, "organization__region"),
            _grant_years(kind, year),
            programme__kind=kind,
        ).order_by("-amount", "pk")

    return records


def _synthetic(rows: QuerySet[Any]) -> bool:
    return rows.filter(is_synthetic=True).exists()


def organizations_of(
    records: Callable[[Region, int], QuerySet[Any]],
) -> Callable[[Region, int], Measure]:
    def measure(region: Region, year: int) -> Measure:
        rows = records(region, year)
        count = rows.count()
        organizations = rows.values("organization").distinct().count()
        return Measure(organizations, count, synthetic=count > 0 and _synthetic(rows))

    return measure


def applicants(kind: str) -> Callable[[Region, int], Measure]:
    """Organizations that applied; none is published for a fund granted by decision only
    (grants without applications, e.g. the registry's standardization rewards)."""
    counted = organizations_of(applications(kind))

    def measure(region: Region, year: int) -> Measure:
        figure = counted(region, year)
        if figure.records == 0 and grants(kind)(region, year).exists():
            return Measure.missing(
                0,
                "该资金按决定发放，没有申报记录。",
                "This fund is granted by decision; no applications are recorded.",
            )
        return figure

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
            _grant_years(kind, year),
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
            _application_years(kind, year),
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
    whens: dict[str, tuple[str, str]] = {
        Period.CUMULATIVE: ("截至当年", "up to the year"),
        Period.TO_REPORT_DATE: ("截至当年报告日", "up to the year's report date"),
    }
    when_zh, when_en = whens.get(period, ("当年", "in the year"))
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
            measure=applicants(kind),
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
            measure=organizations_of(grants(kind)),
            records=grants(kind),
            columns=GRANT_COLUMNS,
            select_related=("organization", "programme", "city"),
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
