"""The registry's counts (registry/services.py) on honours the test records: standing honours
of the city per kind in the article's order, with zeros for the article's kinds, the synthetic
share, and award results flowing in (and out, when revoked). test_tallies checks the demo
against the article."""

from __future__ import annotations

import pytest

from zhizao.awards import services as award_services
from zhizao.awards.choices import AwardCategory, AwardLevel, Outcome
from zhizao.awards.models import AwardEdition, AwardProgramme
from zhizao.core.models import Region
from zhizao.registry import services
from zhizao.registry.choices import HonourKind
from zhizao.registry.models import Honour

pytestmark = pytest.mark.django_db


def _honour(personas, kind, name, city=None, **extra):
    return services.create_honour(
        personas.admin,
        {
            "kind": kind,
            "holder_kind": "organization",
            "holder_name": name,
            "city": city or personas.city,
            **extra,
        },
    )


def _counts(city):
    return {row.kind: (row.count, row.synthetic) for row in services.counts_by_kind(city)}


def test_counts_by_kind_of_the_city(personas):
    changsha = Region.objects.get(code="430100")
    for index in range(3):
        _honour(personas, HonourKind.LUBAN_AWARD, f"鲁班工程{index}", is_synthetic=index == 0)
    _honour(personas, HonourKind.MADRID_TRADEMARK, "马德里商标")
    _honour(personas, HonourKind.LUBAN_AWARD, "长沙工程", city=changsha)

    counts = _counts(personas.city)
    assert counts[HonourKind.LUBAN_AWARD] == (3, 1)
    assert counts[HonourKind.MADRID_TRADEMARK] == (1, 0)
    # The article's kinds read 0 when the city holds none; the Governor's nomination award
    # is not one of them and shows only when held.
    assert counts[HonourKind.FURONG_AWARD] == (0, 0)
    assert HonourKind.GOVERNOR_AWARD_NOMINATION not in counts
    assert list(counts) == [kind for kind in HonourKind if kind in counts]  # the article's order
    assert _counts(changsha)[HonourKind.LUBAN_AWARD] == (1, 0)


def test_award_results_flow_in_and_revocations_flow_out(personas):
    governor = AwardProgramme.objects.create(
        code="hunan-governor-quality-award",
        name="湖南省省长质量奖",
        level=AwardLevel.PROVINCIAL,
        region=Region.objects.get(code="430000"),
        rank=2,
    )
    edition = AwardEdition.objects.create(
        programme=governor,
        number=7,
        year=2022,
        is_historic=True,
        award_quota=50,
        nomination_quota=50,
    )

    def result(name, outcome=Outcome.AWARD, publish=True):
        return award_services.record_historic_result(
            personas.admin,
            edition,
            category=AwardCategory.ORGANIZATION,
            outcome=outcome,
            name_as_awarded=name,
            organization=personas.org_a,
            city=personas.city,
            publish=publish,
        )

    result("甲公司")
    revoked = result("乙公司")
    result("丙公司", outcome=Outcome.NOMINATION)
    result("未公布公司", publish=False)
    assert _counts(personas.city)[HonourKind.GOVERNOR_AWARD] == (2, 0)
    assert _counts(personas.city)[HonourKind.GOVERNOR_AWARD_NOMINATION] == (1, 0)

    award_services.revoke_result(personas.admin, revoked, "质量事故")
    assert _counts(personas.city)[HonourKind.GOVERNOR_AWARD] == (1, 0)
    assert Honour.objects.get(award_result=revoked).revoked_at is not None
    held = [honour.holder_name for honour in services.organization_honours(personas.org_a)]
    assert sorted(held) == ["丙公司", "甲公司"]
