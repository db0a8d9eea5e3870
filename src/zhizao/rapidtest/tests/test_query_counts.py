"""Query counts of rapid testing's list pages and API lists, on more rows than the bound: one
query per row (market, record or case) cannot pass (see assert_list_queries in core/testing.py).
Twenty markets across the city's districts, each with a passed test and two failed ones (so two
cases) at one stall (so an early warning)."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse

from zhizao.core.choices import OrganizationKind
from zhizao.core.models import Region
from zhizao.core.testing import assert_list_queries, make_organization
from zhizao.rapidtest import services
from zhizao.rapidtest.models import MarketProfile, Product, Stall

from .conftest import record_data

pytestmark = pytest.mark.django_db

MARKETS = 20
API = "/api/v1/rapidtest"


@pytest.fixture
def many(rt):
    districts = list(Region.objects.filter(parent=rt.p.city))
    markets = []
    for index in range(MARKETS):
        market = make_organization(
            f"计数农贸市场{index:02d}",
            districts[index % len(districts)],
            OrganizationKind.FARMERS_MARKET,
        )
        MarketProfile.objects.create(organization=market)
        Stall.objects.create(market=market, booth_number="S01")
        markets.append(market)
    records = []
    for index, market in enumerate(markets):
        for value, hours in (("12.5", 1), ("63.2", 2), ("70.1", 3)):
            record, _created = services.record_test_result(
                rt.p.admin,
                record_data(
                    rt,
                    market=market,
                    value=value,
                    supplier=f"供货商{index:02d}",
                    stall="S01",
                    tested_at=rt.now - timedelta(hours=hours + index),
                ),
            )
            records.append(record)
    return SimpleNamespace(markets=markets, records=records, officer=rt.p.client("officer"))


def test_records_page(many):
    assert_list_queries(
        many.officer,
        reverse("rapidtest:records"),
        rows=50,  # a page: the newest 50
        max_queries=15,  # +3: the filter form's markets (with districts), products, items
        shows=[f"供货商{index:02d}" for index in range(15)],
    )


def test_cases_page(many):
    assert_list_queries(
        many.officer,
        reverse("rapidtest:cases"),
        rows=2 * MARKETS,
        max_queries=12,
        shows=[market.name for market in many.markets],
    )


def test_boards_page(many):
    assert_list_queries(
        many.officer,
        reverse("rapidtest:boards"),
        rows=MARKETS,
        max_queries=8,
        shows=[market.name for market in many.markets],
    )


def test_dashboard_page(many):
    assert_list_queries(
        many.officer,
        reverse("rapidtest:dashboard"),
        rows=MARKETS,
        max_queries=19,  # +3: the filter form's markets (with districts), products, items
        shows=[market.name for market in many.markets],
    )


@pytest.mark.parametrize(
    # warnings: whole months from the rollups and the rest from the records, per product and
    # per supplier (figures/integrity.py _warning_counts)
    ("name", "bound"),
    [("rapidtest:integrity", 16), ("rapidtest:warnings", 15)],
)
def test_integrity_and_warnings_pages(many, name, bound):
    assert_list_queries(
        many.officer,
        reverse(name),
        rows=MARKETS,
        max_queries=bound,
        shows=[market.name for market in many.markets],
    )


def test_api_records(many):
    assert_list_queries(
        many.officer,
        f"{API}/records?limit=500",
        rows=len(many.records),
        max_queries=12,
        shows=[f'"id": {record.pk},' for record in many.records],
    )


def test_api_dashboard(many):
    assert_list_queries(
        many.officer,
        f"{API}/dashboard/market-month",
        rows=MARKETS,
        max_queries=10,
        shows=[f'"market_id": {market.pk},' for market in many.markets],
    )
    assert_list_queries(
        many.officer,
        f"{API}/dashboard/market",
        rows=MARKETS,
        max_queries=12,
        shows=[market.name for market in many.markets],
    )


def test_catalogue_search(rt):
    # The entry form's product search shows at most 12 products.
    products = [
        Product.objects.create(name=f"计数菜{index:02d}", category=rt.greens.category)
        for index in range(12)
    ]
    assert_list_queries(
        rt.p.client("tester"),
        reverse("rapidtest:catalogue_search") + "?q=计数菜",
        rows=len(products),
        max_queries=6,
        shows=[product.name for product in products],
    )
