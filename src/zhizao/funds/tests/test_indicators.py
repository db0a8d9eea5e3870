"""The fund figures on records the test makes: applicants and funded organizations counted once
each, money granted as Decimal yuan, the rank among the province's cities with records."""

from decimal import Decimal

import pytest
from django.urls import reverse

from zhizao.core import figures
from zhizao.core.models import Region
from zhizao.core.testing import assert_list_queries, make_organization
from zhizao.funds import services
from zhizao.funds.choices import Decision, ProgrammeKind
from zhizao.funds.tests.factories import DAY, programme

pytestmark = pytest.mark.django_db


def fund_one(personas, fund, organization, amount, project="项目"):
    application = services.submit_fund_application(
        personas.admin, fund, organization, project, amount
    )
    services.review_fund_application(personas.admin, application, decision=Decision.APPROVE)
    return services.grant_fund(personas.admin, application, amount, DAY)


@pytest.fixture
def province_fund(personas):
    province = Region.objects.get(code="430000")
    fund = programme(
        province, code="ip-2022", budget="100000000.00", kind=ProgrammeKind.IP_STRATEGY
    )
    changsha = Region.objects.get(code="430100")
    xiangtan = Region.objects.get(code="430300")
    fund_one(personas, fund, make_organization("长沙测试", changsha), "900.00")
    fund_one(personas, fund, make_organization("湘潭测试", xiangtan), "100.00")
    fund_one(personas, fund, personas.org_a, "300.00")
    fund_one(personas, fund, personas.org_a, "200.00", "第二个项目")
    services.submit_fund_application(personas.alice, fund, personas.org_a, "第三个项目", "5.00")
    services.submit_fund_application(personas.bob, fund, personas.org_b, "未获资助", "5.00")
    return fund


def compute(code, region, year=2022):
    return figures.get(code).compute(region, year)


def test_fund_figures_from_records(personas, province_fund):
    city = personas.city
    applicants = compute("funds.ip_strategy.applicants", city)
    assert (applicants.value, applicants.records) == (2, 4)  # two organizations, four applications
    funded = compute("funds.ip_strategy.funded", city)
    assert (funded.value, funded.records) == (1, 2)
    granted = compute("funds.ip_strategy.granted", city)
    assert granted.value == Decimal("500.00")
    assert compute("funds.ip_strategy.rank_in_province", city).value == 2
    assert compute("funds.ip_strategy.granted", personas.tianyuan).value == Decimal("500.00")
    assert compute("funds.ip_strategy.granted", personas.shifeng).value == Decimal("0.00")
    district_rank = compute("funds.ip_strategy.rank_in_province", personas.tianyuan)
    assert district_rank.value is None
    assert "cities only" in district_rank.reason or "地级市" in district_rank.reason
    assert compute("funds.ip_strategy.granted", city, 2021).value == Decimal("0.00")


def test_a_city_with_applications_only_ranks_last(personas, province_fund):
    hengyang = Region.objects.get(code="430400")
    services.submit_fund_application(
        personas.admin, province_fund, make_organization("衡阳测试", hengyang), "项目", "5.00"
    )
    assert compute("funds.ip_strategy.rank_in_province", hengyang).value == 4
    assert compute("funds.ip_strategy.rank_in_province", personas.city).value == 2
    loudi = Region.objects.get(code="431300")
    assert compute("funds.ip_strategy.rank_in_province", loudi).value is None


def test_the_drill_down_lists_the_records_counted(personas, province_fund):
    indicator = figures.get("funds.ip_strategy.granted")
    rows = list(indicator.records(personas.city, 2022))
    assert sum(row.amount for row in rows) == Decimal("500.00")
    assert len(rows) == compute("funds.ip_strategy.granted", personas.city).records


def test_programme_pages_do_not_query_per_row(personas):
    for index in range(12):
        programme(personas.tianyuan, code=f"count-{index:02d}")
    assert_list_queries(
        personas.client("anonymous"),
        reverse("funds:programmes"),
        rows=12,
        max_queries=5,
        shows=[f"测试资金 count-{index:02d}" for index in range(12)],
    )
    assert_list_queries(
        personas.client("anonymous"),
        "/api/v1/funds/programmes",
        rows=12,
        max_queries=4,
        shows=[f"count-{index:02d}" for index in range(12)],
    )
