"""The article's enterprise and fund figures, computed from the demo records (never typed)."""

from decimal import Decimal

import pytest

from zhizao.awards import demo as awards_demo
from zhizao.core import demo as core_demo
from zhizao.core import figures
from zhizao.core.models import Organization
from zhizao.enterprise import demo as enterprise_demo
from zhizao.enterprise import services
from zhizao.enterprise.models import EnterprisePerformance
from zhizao.funds import demo as funds_demo
from zhizao.funds.models import FundGrant
from zhizao.nqi import demo as nqi_demo
from zhizao.nqi.models import RewardGrant
from zhizao.registry import demo as registry_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_city():
    city = core_demo.load_regions()
    core_demo.load()
    registry_demo.load()
    awards_demo.load()
    nqi_demo.load()
    funds_demo.load()
    enterprise_demo.load()
    return city


def value(code, city, year):
    return figures.get(code).compute(city, year)


def test_the_article_figures_come_out_of_the_records(demo_city):
    ip = {
        name: value(f"funds.ip_strategy.{name}", demo_city, 2022)
        for name in ("applicants", "funded", "granted", "rank_in_province")
    }
    assert ip["applicants"].value == 96
    assert ip["funded"].value == 30
    assert ip["granted"].value == Decimal("5880000.00")
    assert ip["rank_in_province"].value == 2
    assert ip["granted"].synthetic  # the applicants are generated
    # 天元区's reward: one set of grants (the registry's, in the ledger), counted up to the
    # report date, so the report on 2021 (written in September 2022) has the article's total.
    rewards = FundGrant.objects.filter(programme__kind="standardization_reward")
    assert rewards.count() == RewardGrant.objects.count() == 10
    for year in (2021, 2022):
        assert value("funds.standardization_reward.granted", demo_city, year).value == Decimal(
            "5270000.00"
        )
        assert value("nqi.reward_grants", demo_city, year).value == Decimal("5270000.00")
    assert value("funds.quality_award_bonus.granted", demo_city, 2022).records == 2
    assert value("enterprise.cqo_trained", demo_city, 2021).value > 100
    assert value("enterprise.events.study_visit", demo_city, 2022).value == 1
    share = value("enterprise.cqo_share.rail_transit", demo_city, 2021).value
    assert Decimal("80") < share < Decimal("100")
    # The officers appointed at the end of 2021 are not in office at the end of 2020.
    assert value("enterprise.cqo_share.rail_transit", demo_city, 2020).value < Decimal("5")


def test_zhuying_changes_are_the_articles(demo_city):
    zhuying = Organization.objects.get(name="株洲硬质合金集团有限公司")
    rows = list(EnterprisePerformance.objects.filter(organization=zhuying))
    changes = {
        (c.metric, c.year, c.base_year): c.percent for c in services.performance_changes(rows)
    }
    assert changes[("output", 2020, 2019)] == 10.55
    assert changes[("orders", 2020, 2019)] == 10.36
    assert changes[("shipments", 2020, 2019)] == 5.08
    cost = changes[("unit_quality_loss_cost", 2020, 2015)]
    assert cost is not None
    assert cost <= -80
    motor = EnterprisePerformance.objects.get(organization__name="中车株洲电机有限公司")
    assert (motor.patents_valid, motor.patents_invention, motor.patents_overseas) == (1272, 229, 9)
