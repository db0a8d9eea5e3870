"""The figures of the government quality awards (registered from ``AwardsConfig.ready``):
counted from standing results (published, not revoked) that the report on the year counts (those
announced by its report date, :func:`tallies.reported_by`), credited to the city or a district
below it; the ranking is :func:`tallies.city_ranking`."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zhizao.awards import tallies
from zhizao.awards.choices import AwardCategory, Outcome
from zhizao.awards.models import AwardProgramme, AwardResult
from zhizao.core.figures import (
    Column,
    Direction,
    Indicator,
    Measure,
    Period,
    counted,
    in_region,
    report_year,
)
from zhizao.core.models import Region

CHINA = "china-quality-award"
GOVERNOR = "hunan-governor-quality-award"
MAYOR = "zhuzhou-mayor-quality-award"
RULE = "截至当年报告日已揭晓且未撤销的结果 (standing results announced by the year's report date)"

LAST_YEAR = 9000  # a year after every result (its report date must still be a valid date)

Records = Callable[[Region, int], QuerySet[AwardResult]]


def results(programme: str, outcome: str | None = None, category: str | None = None) -> Records:
    def records(region: Region, year: int) -> QuerySet[AwardResult]:
        found = AwardResult.objects.standing().filter(
            tallies.reported_by(year), in_region(region, "city"), edition__programme__code=programme
        )
        if outcome is not None:
            found = found.filter(outcome=outcome)
        if category is not None:
            found = found.filter(category=category)
        return found.order_by("edition__number", "category", "name_as_awarded")

    return records


def programme_results(programme: str) -> Records:
    """Every city's standing results of the programme (what the ranking is computed from)."""

    def records(region: Region, year: int) -> QuerySet[AwardResult]:
        return (
            AwardResult.objects.standing()
            .filter(tallies.reported_by(year), edition__programme__code=programme)
            .order_by("city__code", "edition__number", "name_as_awarded")
        )

    return records


def latest_year(programme: str) -> Callable[[Region], int | None]:
    """The latest year whose report counts a result of the region (None: no results)."""

    def latest(region: Region) -> int | None:
        years = [
            report_year(announced) if announced is not None else year
            for year, announced in results(programme)(region, LAST_YEAR)
            .values_list("edition__year", "edition__announced_on")
            .distinct()
        ]
        return max(years, default=None)

    return latest


def _editions_won(region: Region, year: int) -> Measure:
    awards = results(GOVERNOR, Outcome.AWARD)(region, year)
    count = awards.count()
    editions = awards.values("edition_id").distinct().count()
    return Measure(editions, count, awards.filter(is_synthetic=True).exists())


def _rank_in_province(region: Region, year: int) -> Measure:
    programme = AwardProgramme.objects.filter(code=GOVERNOR).first()
    if programme is None:
        return Measure.missing(0, "没有省长质量奖的记录", "no Governor's Quality Award recorded")
    ranking = tallies.city_ranking(programme, year)
    records = programme_results(GOVERNOR)(region, year).count()
    synthetic = any(row.tally.synthetic for row in ranking)
    rank = tallies.rank_in(ranking, region)
    if rank is not None:
        return Measure(rank, records, synthetic)
    return Measure.missing(
        records,
        f"截至 {year} 年 {region.name} 没有获奖结果",
        f"no awards of {region.name_en or region.name} up to {year}",
        synthetic,
    )


def _count(records: Records) -> Callable[[Region, int], Measure]:
    return lambda region, year: counted(records(region, year))


RESULT_COLUMNS = (
    Column(_("programme"), "edition__programme__name"),
    Column(_("edition number"), "edition__number"),
    Column(_("year"), "edition__year"),
    Column(_("outcome"), "get_outcome_display"),
    Column(_("category"), "get_category_display"),
    Column(_("name as awarded"), "name_as_awarded"),
    Column(_("city credited"), "city__name"),
)
RELATED = ("edition__programme", "city")


def _indicator(
    code: str,
    name: tuple[str, str],
    definition: tuple[str, str],
    unit: str,
    programme: str,
    records: Records,
    measure: Callable[[Region, int], Measure] | None = None,
    direction: str = Direction.HIGHER,
) -> Indicator:
    return Indicator(
        code=code,
        name=name,
        definition=definition,
        unit=unit,
        standard=RULE,
        direction=direction,
        period=Period.TO_REPORT_DATE,
        measure=measure or _count(records),
        records=records,
        columns=RESULT_COLUMNS,
        select_related=RELATED,
        latest=latest_year(programme),
    )


INDICATORS = (
    _indicator(
        "awards.governor.winners",
        ("省长质量奖获奖数", "Governor's Quality Award winners"),
        (
            "截至当年报告日本市获湖南省省长质量奖的组织和个人数。",
            "Organizations and individuals of the city awarded the Hunan Governor's Quality "
            "Award up to the year's report date.",
        ),
        "个",
        GOVERNOR,
        results(GOVERNOR, Outcome.AWARD),
    ),
    _indicator(
        "awards.governor.editions_won",
        ("省长质量奖获奖届数", "Governor's Quality Award editions won"),
        (
            "截至当年报告日本市有获奖者的省长质量奖届数。",
            "Editions of the Hunan Governor's Quality Award up to the year's report date in which "
            "the city had a winner.",
        ),
        "届",
        GOVERNOR,
        results(GOVERNOR, Outcome.AWARD),
        _editions_won,
    ),
    _indicator(
        "awards.governor.organizations",
        ("省长质量奖获奖组织", "Governor's Quality Award: organizations"),
        (
            "截至当年报告日本市获省长质量奖的组织数。",
            "Organizations of the city awarded the Governor's Quality Award up to "
            "the year's report date.",
        ),
        "家",
        GOVERNOR,
        results(GOVERNOR, Outcome.AWARD, AwardCategory.ORGANIZATION),
    ),
    _indicator(
        "awards.governor.individuals",
        ("省长质量奖获奖个人", "Governor's Quality Award: individuals"),
        (
            "截至当年报告日本市获省长质量奖的个人数。",
            "Individuals of the city awarded the Governor's Quality Award up to the year's "
            "report date.",
        ),
        "名",
        GOVERNOR,
        results(GOVERNOR, Outcome.AWARD, AwardCategory.INDIVIDUAL),
    ),
    _indicator(
        "awards.governor.rank_in_province",
        ("省长质量奖累计获奖全省排名", "Rank in the province by Governor's Quality Awards"),
        (
            "截至当年报告日按累计获奖数在全省各市州中的名次（并列同名次）。",
            "The city's rank among the province's cities by cumulative Governor's Quality "
            "Awards up to the year's report date (ties share a rank).",
        ),
        "位",
        GOVERNOR,
        programme_results(GOVERNOR),
        _rank_in_province,
        Direction.LOWER,
    ),
    _indicator(
        "awards.china.winners",
        ("中国质量奖获奖数", "China Quality Award winners"),
        (
            "截至当年报告日本市获中国质量奖的组织和个人数。",
            "Organizations and individuals of the city awarded the China Quality Award up to "
            "the year's report date.",
        ),
        "个",
        CHINA,
        results(CHINA, Outcome.AWARD),
    ),
    _indicator(
        "awards.china.nominations",
        ("中国质量奖提名奖数", "China Quality Award nomination awards"),
        (
            "截至当年报告日本市获中国质量奖提名奖的组织和个人数。",
            "Organizations and individuals of the city given a China Quality Award nomination "
            "award up to the year's report date.",
        ),
        "个",
        CHINA,
        results(CHINA, Outcome.NOMINATION),
    ),
    _indicator(
        "awards.mayor.winners",
        ("市长质量奖获奖数", "Mayor's Quality Award winners"),
        (
            "截至当年报告日获株洲市市长质量奖的组织和个人数。",
            "Organizations and individuals awarded the Zhuzhou Mayor's Quality Award up to the "
            "year's report date.",
        ),
        "个",
        MAYOR,
        results(MAYOR, Outcome.AWARD),
    ),
)
