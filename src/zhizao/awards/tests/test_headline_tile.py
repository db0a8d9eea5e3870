"""The front page's Governor's award tile on results the test records (the empty case is in
test_web): the count of standing awards, its breakdown and the city's rank in the province."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from zhizao.awards import services
from zhizao.awards.choices import AwardCategory, AwardLevel, Outcome
from zhizao.awards.models import AwardEdition, AwardProgramme
from zhizao.core.models import Region

pytestmark = pytest.mark.django_db


def test_governor_award_tile_counts_the_standing_awards(personas):
    governor = AwardProgramme.objects.create(
        code="hunan-governor-quality-award",
        name="湖南省省长质量奖",
        level=AwardLevel.PROVINCIAL,
        region=Region.objects.get(code="430000"),
        rank=2,
    )
    first, third = (
        AwardEdition.objects.create(
            programme=governor,
            number=n,
            year=2010 + n,
            is_historic=True,
            award_quota=50,
            nomination_quota=50,
        )
        for n in (1, 3)
    )
    changsha = Region.objects.get(code="430100")

    def result(edition, city, name, *, category=AwardCategory.ORGANIZATION, outcome=Outcome.AWARD):
        return services.record_historic_result(
            personas.admin,
            edition,
            category=category,
            outcome=outcome,
            name_as_awarded=name,
            city=city,
        )

    result(first, personas.city, "株洲甲公司")
    result(third, personas.city, "株洲乙公司")
    result(third, personas.city, "张三", category=AwardCategory.INDIVIDUAL)
    result(third, personas.city, "株洲丙公司", outcome=Outcome.NOMINATION)  # not an award
    revoked = result(third, personas.city, "株洲丁公司")
    services.revoke_result(personas.admin, revoked, "质量事故")  # no longer standing
    for index in range(4):
        result(first, changsha, f"长沙公司{index}")

    page = personas.client("anonymous").get(reverse("core:home")).content.decode()
    tile = re.search(r'<li class="tile" data-key="governor_award_tally">(.*?)</li>', page, re.S)
    assert tile is not None
    value = re.search(r'class="tile-value">(?:<a [^>]*>)?([^<]*)<', tile.group(1))
    assert value is not None
    assert value.group(1).strip() == "3"
    text = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", tile.group(1))))
    assert "2 editions · 2 organizations · 1 individual ·" in text  # ngettext, no "(s)"
    assert "rank 2 in the province" in text  # Changsha has 4 awards, Zhuzhou 3
    assert "Synthetic demo data" not in text  # every result here is real
