"""Published snapshots the open-data tests read: a test indicator counting organizations (and a
staff-only one), snapshots of the city for 2020 and 2021 and of 天元区 for 2021, published."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from zhizao.core import figures
from zhizao.core.figures import Direction, Indicator, Measure, Period
from zhizao.core.models import Organization
from zhizao.reports import services as reports


def _organizations(region, year):
    return Organization.objects.filter(figures.in_region(region, "region"))


def _share(region, year):
    total = Organization.objects.count()
    return Measure(figures.percent(_organizations(region, year).count(), total, 1), total)


COUNT = Indicator(
    code="zz_open.organizations",
    name=("开放数据测试组织数", "Open-data test organizations"),
    definition=("区域内组织数。", "Organizations in the region."),
    unit="家",
    standard="test",
    direction=Direction.HIGHER,
    period=Period.CUMULATIVE,
    measure=lambda region, year: figures.counted(_organizations(region, year)),
    records=_organizations,
    columns=(figures.Column("name", "name"),),
)
STAFF_ONLY = Indicator(
    code="zz_open.staff_share",
    name=("内部测试占比", "Staff-only test share"),
    definition=("区域内组织占比。", "The region's share of organizations."),
    unit="%",
    standard="test",
    direction=Direction.NEITHER,
    period=Period.CUMULATIVE,
    measure=_share,
    records=_organizations,
    columns=(),
    published=False,
)


@pytest.fixture
def test_indicators():
    figures.register(COUNT, STAFF_ONLY)
    yield SimpleNamespace(count=COUNT, staff_only=STAFF_ONLY)
    figures.unregister(COUNT.code)
    figures.unregister(STAFF_ONLY.code)


def publish(actor, region, year):
    snapshot = reports.take_snapshot(actor, region, year)
    reports.publish(actor, snapshot)
    return snapshot


@pytest.fixture
def published(personas, test_indicators):
    """The city's 2020 and 2021 figures and 天元区's 2021 figures, published."""
    officer = personas.officer
    return SimpleNamespace(
        p=personas,
        city_2020=publish(officer, personas.city, 2020),
        city_2021=publish(officer, personas.city, 2021),
        tianyuan_2021=publish(officer, personas.tianyuan, 2021),
    )
