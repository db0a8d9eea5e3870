"""The public list of boards: districts in GB/T 2260 order, names in natural order, a search."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from zhizao.core.choices import OrganizationKind
from zhizao.core.models import Region
from zhizao.core.sorting import natural_key, region_key
from zhizao.core.testing import make_organization
from zhizao.rapidtest.models import MarketProfile


def test_natural_key_compares_numbers_as_numbers():
    names = ["第12农贸市场", "第4农贸市场", "第100农贸市场", "东门市场", "第4农贸市场二区"]
    assert sorted(names, key=natural_key) == [
        "东门市场",
        "第4农贸市场",
        "第4农贸市场二区",
        "第12农贸市场",
        "第100农贸市场",
    ]


@pytest.fixture
def markets(personas):
    made = {}
    for name, code in [
        ("第12农贸市场", "430211"),  # 天元区
        ("第4农贸市场", "430211"),
        ("荷塘第2市场", "430202"),  # 荷塘区
        ("芦淞第1市场", "430203"),  # 芦淞区
    ]:
        market = make_organization(
            name, Region.objects.get(code=code), OrganizationKind.FARMERS_MARKET
        )
        MarketProfile.objects.create(organization=market)
        made[name] = market
    no_room = make_organization("无快检室市场", personas.tianyuan, OrganizationKind.FARMERS_MARKET)
    MarketProfile.objects.create(organization=no_room, has_test_room=False)
    return made


@pytest.mark.django_db
def test_regions_sort_by_division_code(city):
    regions = list(Region.objects.filter(parent=city))
    ordered = sorted(regions, key=region_key)
    codes = [r.code for r in ordered if r.code]
    assert codes == sorted(codes)
    assert all(r.code for r in ordered[: len(codes)])  # zones without a code come last


@pytest.mark.django_db
def test_boards_grouped_by_district_in_code_order_names_natural(personas, markets):
    html = personas.client("anonymous").get(reverse("rapidtest:boards")).content.decode()
    headings = re.findall(r'<h2 id="district-\d+">([^<]+)</h2>', html)
    assert headings == ["荷塘区", "芦淞区", "天元区"]  # 430202 < 430203 < 430211
    assert html.index("第4农贸市场") < html.index("第12农贸市场")
    assert "无快检室市场" not in html  # only markets with a test room have a board


@pytest.mark.django_db
def test_boards_search(personas, markets):
    client = personas.client("anonymous")
    html = client.get(reverse("rapidtest:boards"), {"q": "第4"}).content.decode()
    assert "第4农贸市场" in html
    assert "第12农贸市场" not in html
    html = client.get(reverse("rapidtest:boards"), {"q": "没有这个市场"}).content.decode()
    assert "No market matches this search." in html
