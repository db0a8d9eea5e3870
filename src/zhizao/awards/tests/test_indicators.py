"""The award figures of the registry, computed from results these tests record: cumulative up
to the end of the year by edition year, standing results only (unpublished and revoked ones are
left out), the ranking of cities and its synthetic flag, and the honours counted with them."""

from __future__ import annotations

import pytest

from zhizao.awards import services
from zhizao.awards.choices import AwardCategory, AwardLevel, Outcome
from zhizao.awards.models import AwardEdition, AwardProgramme
from zhizao.core import figures
from zhizao.core.models import Region

pytestmark = pytest.mark.django_db


def value(code, region, year):
    indicator = figures.get(code)
    assert indicator is not None
    computed = indicator.compute(region, year)
    assert indicator.records(region, year).count() == computed.records
    return computed


@pytest.fixture
def results(personas):
    """Governor's award editions of 2015 and 2020: 株洲市 wins 1 + 2 (one an individual), 湘潭市
    1 + 1 (synthetic), 长沙市 4 in 2020; one 株洲 2020 result is not published, one is revoked."""
    governor = AwardProgramme.objects.create(
        code="hunan-governor-quality-award",
        name="湖南省省长质量奖",
        level=AwardLevel.PROVINCIAL,
        rank=2,
    )
    first = AwardEdition.objects.create(
        programme=governor, number=1, year=2015, award_quota=50, nomination_quota=50
    )
    second = AwardEdition.objects.create(
        programme=governor, number=2, year=2020, award_quota=50, nomination_quota=50
    )
    xiangtan = Region.objects.get(code="430300")
    changsha = Region.objects.get(code="430100")
    officer = personas.admin

    def win(edition, city, name, *, category=AwardCategory.ORGANIZATION, **extra):
        return services.record_historic_result(
            officer,
            edition,
            category=category,
            outcome=extra.pop("outcome", Outcome.AWARD),
            name_as_awarded=name,
            city=city,
            **extra,
        )

    win(first, personas.city, "甲公司")
    win(second, personas.city, "乙公司")
    win(second, personas.city, "某某", category=AwardCategory.INDIVIDUAL)
    win(second, personas.city, "丙公司", publish=False)
    revoked = win(second, personas.city, "丁公司")
    services.revoke_result(officer, revoked, "质量事故")
    win(second, personas.city, "戊公司", outcome=Outcome.NOMINATION)
    win(first, xiangtan, "湘潭甲", is_synthetic=True)
    win(second, xiangtan, "湘潭乙", is_synthetic=True)
    for index in range(4):
        win(second, changsha, f"长沙{index}")
    return personas.city


def test_cumulative_by_edition_year(results):
    city = results
    assert value("awards.governor.winners", city, 2021).value == 3
    assert value("awards.governor.winners", city, 2019).value == 1
    assert value("awards.governor.winners", city, 2014).value == 0
    assert value("awards.governor.editions_won", city, 2021).value == 2
    assert value("awards.governor.editions_won", city, 2019).value == 1
    assert value("awards.governor.organizations", city, 2021).value == 2
    assert value("awards.governor.individuals", city, 2021).value == 1
    assert value("honours.governor_award", city, 2021).value == 3
    assert value("honours.governor_award", city, 2019).value == 1


def test_rank_in_province_and_its_synthetic_flag(results):
    city = results
    rank = value("awards.governor.rank_in_province", city, 2021)
    assert (rank.value, rank.records) == (2, 3 + 1 + 2 + 4)  # 长沙 4, 株洲 3, 湘潭 2
    assert rank.synthetic  # 湘潭's results are synthetic
    early = value("awards.governor.rank_in_province", city, 2019)
    assert (early.value, early.records) == (1, 2)  # 株洲 1 and 湘潭 1 share the first rank
    none = value("awards.governor.rank_in_province", city, 2014)
    assert (none.value, none.reason) == (None, "no awards of Zhuzhou up to 2014")


def test_programmes_not_recorded_count_zero(results):
    assert value("awards.china.winners", results, 2021).value == 0
    assert value("awards.mayor.winners", results, 2021).records == 0
