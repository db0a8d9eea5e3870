"""The tally logic (awards/tallies.py) on results the test records: what counts (standing
awards: published, not revoked), how awards, organizations, individuals, nominations and
editions add up per city, programme and level, how cities rank (ties share a rank), and the
order of an organization's award ladder. test_tallies checks the demo against the article."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from zhizao.awards import services, tallies
from zhizao.awards.choices import AwardCategory, AwardLevel, Outcome
from zhizao.awards.models import AwardEdition, AwardProgramme
from zhizao.core.figures import report_year
from zhizao.core.models import Region

pytestmark = pytest.mark.django_db

ORG, PERSON = AwardCategory.ORGANIZATION, AwardCategory.INDIVIDUAL
AWARD, NOMINATION = Outcome.AWARD, Outcome.NOMINATION


def _programme(code, level, region, rank):
    return AwardProgramme.objects.create(
        code=code, name=code, level=level, region=region, rank=rank
    )


def _edition(programme, number, year):
    return AwardEdition.objects.create(
        programme=programme,
        number=number,
        year=year,
        is_historic=True,
        award_quota=50,
        nomination_quota=50,
    )


@pytest.fixture
def awards(personas):
    province = Region.objects.get(code="430000")
    governor = _programme("governor", AwardLevel.PROVINCIAL, province, 2)
    mayor = _programme("mayor", AwardLevel.CITY, personas.city, 1)
    national = _programme("national", AwardLevel.NATIONAL, None, 3)
    data = SimpleNamespace(
        p=personas,
        governor=governor,
        mayor=mayor,
        national=national,
        changsha=Region.objects.get(code="430100"),
        xiangtan=Region.objects.get(code="430300"),
        g2=_edition(governor, 2, 2012),
        g5=_edition(governor, 5, 2018),
        g7=_edition(governor, 7, 2022),
        m1=_edition(mayor, 1, 2015),
        n3=_edition(national, 3, 2019),
    )

    def result(edition, name, category=ORG, outcome=AWARD, city=None, **extra):
        return services.record_historic_result(
            personas.admin,
            edition,
            category=category,
            outcome=outcome,
            name_as_awarded=name,
            city=city or personas.city,
            **extra,
        )

    data.result = result
    return data


def test_city_tally_counts_standing_awards_only(awards):
    a = awards
    a.result(a.g7, "甲公司", organization=a.p.org_a)
    a.result(a.g2, "乙公司")
    a.result(a.g7, "张三", category=PERSON)
    a.result(a.g7, "丙公司", outcome=NOMINATION)
    a.result(a.g5, "丁公司", outcome=NOMINATION, is_synthetic=True)
    a.result(a.g5, "未公布公司", publish=False)
    revoked = a.result(a.g5, "撤销公司")
    services.revoke_result(a.p.admin, revoked, "质量事故")
    a.result(a.g5, "长沙公司", city=a.changsha)
    a.result(a.m1, "市长奖公司")

    tally = tallies.city_tally(a.p.city, a.governor)
    assert (tally.awards, tally.organizations, tally.individuals) == (3, 2, 1)
    assert tally.nominations == 2
    # Edition 5 won nothing standing for the city (its award was revoked, the other unpublished).
    assert tally.editions_won == [2, 7]
    assert tally.editions_count == 2
    assert tally.synthetic == 1
    assert tallies.city_tally(a.changsha, a.governor).awards == 1
    assert tallies.city_tally(a.xiangtan, a.governor).awards == 0


def test_city_tallies_and_levels(awards):
    a = awards
    a.result(a.g2, "甲公司")
    a.result(a.g7, "乙公司")
    a.result(a.m1, "丙公司")
    a.result(a.m1, "丁公司", outcome=NOMINATION)

    by_code = {programme.code: tally for programme, tally in tallies.city_tallies(a.p.city)}
    assert set(by_code) == {"governor", "mayor", "national"}  # a programme with none reads 0
    assert by_code["governor"].awards == 2
    assert (by_code["mayor"].awards, by_code["mayor"].nominations) == (1, 1)
    assert by_code["national"].awards == 0
    levels = tallies.level_tallies(a.p.city)
    assert levels["provincial"].awards == 2
    assert levels["city"].awards == 1
    assert "national" not in levels
    # Edition numbers of different programmes do not add up: no editions at a level.
    assert levels["provincial"].editions_won == []


def test_city_ranking_shares_the_rank_of_a_tie(awards):
    a = awards
    for name in ("株洲一", "株洲二"):
        a.result(a.g2, name)
    for name in ("长沙一", "长沙二", "长沙三"):
        a.result(a.g2, name, city=a.changsha)
    for name in ("湘潭一", "湘潭二"):
        a.result(a.g2, name, city=a.xiangtan)
    a.result(a.g5, "湘潭提名", outcome=NOMINATION, city=a.xiangtan)

    ranking = tallies.city_ranking(a.governor)
    # Same awards share a rank; nominations then the code only order the tie.
    assert [(row.rank, row.city.code, row.tally.awards) for row in ranking] == [
        (1, "430100", 3),
        (2, "430300", 2),
        (2, "430200", 2),
    ]
    assert tallies.rank_of(a.p.city, a.governor) == 2
    assert tallies.rank_of(a.p.city, a.mayor) is None  # no results: not ranked
    assert tallies.city_rankings()[a.governor.pk] == ranking


def test_award_ladder_climbs_from_the_city_award(awards):
    a = awards
    org = a.p.org_a
    a.result(a.n3, "甲测试企业", organization=org)
    a.result(a.g7, "甲测试企业", organization=org)
    a.result(a.g2, "甲测试企业（曾用名）", organization=org)
    a.result(a.m1, "甲测试企业", organization=org)
    revoked = a.result(a.g5, "甲测试企业", organization=org)
    services.revoke_result(a.p.admin, revoked, "质量事故")
    a.result(a.g5, "别的企业", organization=a.p.org_b)

    ladder = tallies.award_ladder(org)
    assert [(r.edition.programme.code, r.edition.number) for r in ladder] == [
        ("mayor", 1),
        ("governor", 2),
        ("governor", 7),
        ("national", 3),
    ]
    assert ladder[1].name_as_awarded == "甲测试企业（曾用名）"  # the name as awarded, kept


def test_the_report_on_a_year_counts_results_announced_by_its_report_date(awards, settings):
    """The report on 2021 is written in 2022 and counts results announced by its report date
    (ZHIZAO_REPORT_DATE of 2022); an edition without an announcement date counts from its
    year's end."""
    a = awards
    a.g7.announced_on = date(2022, 9, 16)
    a.g7.save()
    a.result(a.g7, "甲公司")
    a.result(a.g5, "乙公司")  # 2018, no announcement date
    a.result(a.g2, "丙公司", city=a.changsha)

    def awards_in(year):
        return {row.city.code: row.tally.awards for row in tallies.city_ranking(a.governor, year)}

    assert awards_in(2021) == {"430200": 2, "430100": 1}  # report date 2022-09-30
    assert awards_in(2017) == {"430100": 1}
    settings.ZHIZAO_REPORT_DATE = (9, 15)  # a day before the 7th edition's announcement
    assert awards_in(2021) == {"430200": 1, "430100": 1}
    assert awards_in(2022) == {"430200": 2, "430100": 1}
    assert report_year(date(2022, 9, 16)) == 2022
    settings.ZHIZAO_REPORT_DATE = (9, 30)
    assert report_year(date(2022, 9, 16)) == 2021
    assert report_year(date(2022, 10, 1)) == 2022
