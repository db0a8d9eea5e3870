"""The article's figures, computed from the demo results (never typed). These prove the demo
loads as the article reports; the tally logic itself is tested on records the tests make
(test_tally_logic, registry/tests/test_counts_logic)."""

from __future__ import annotations

import pytest

from zhizao.awards import demo as awards_demo
from zhizao.awards import tallies
from zhizao.awards.models import AwardProgramme
from zhizao.core import demo as core_demo
from zhizao.core.models import Organization, Region
from zhizao.registry import demo as registry_demo
from zhizao.registry import services as registry_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_city():
    core_demo.load()
    registry_demo.load()
    awards_demo.load()
    return Region.objects.get(code="430200")


def test_governor_award_tally_matches_the_article(demo_city, django_assert_max_num_queries):
    governor = AwardProgramme.objects.get(code="hunan-governor-quality-award")
    with django_assert_max_num_queries(2):
        tally = tallies.city_tally(demo_city, governor)
    assert tally.editions_won == [1, 4, 5, 6, 7]
    assert (tally.editions_count, tally.organizations, tally.individuals) == (5, 6, 1)
    assert tally.awards == 7
    assert tallies.rank_of(demo_city, governor) == 2
    seventh = governor.editions.get(number=7)
    standing = seventh.results.filter(revoked_at__isnull=True)
    assert standing.filter(outcome="award", category="organization").count() == 7
    assert standing.filter(outcome="award", category="individual").count() == 1
    assert standing.filter(outcome="nomination").count() == 9


def test_honours_counts_match_the_article(demo_city, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        counts = {row.kind: row.count for row in registry_services.counts_by_kind(demo_city)}
    assert counts == {
        "china_quality_award": 1,
        "china_quality_award_nomination": 1,
        "governor_award": 7,
        "mayor_award": 18,
        "national_benchmark": 2,
        "provincial_industrial_benchmark": 5,
        "luban_award": 4,
        "furong_award": 49,
        "madrid_trademark": 43,
        "well_known_trademark": 41,
        "gi_protected_product": 1,
        "gi_certification_mark": 19,
    }


def test_award_ladder_of_times_electric(demo_city):
    times_electric = Organization.objects.get(name="株洲中车时代电气股份有限公司")
    ladder = tallies.award_ladder(times_electric)
    steps = [(r.edition.programme.code, r.edition.number, r.name_as_awarded) for r in ladder]
    assert ("hunan-governor-quality-award", 1, "株洲南车时代电气股份有限公司") in steps
    assert steps[-1][:2] == ("china-quality-award", 2)
    assert any(r.name_as_awarded == "刘可安" for r in ladder)
