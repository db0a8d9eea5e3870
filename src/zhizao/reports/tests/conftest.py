"""Indicators and records the report tests make: a count of organizations (in the awards
section by its code prefix, ``honours.``) and a share (in the environment section, ``air.``),
on organizations the tests create."""

from __future__ import annotations

import pytest

from zhizao.core import figures
from zhizao.core.figures import Direction, Indicator, Measure, Period
from zhizao.core.models import Organization
from zhizao.core.testing import make_organization

EXTRA_ORGANIZATIONS = 12  # with the personas' 5 the city has 17


def _organizations(region, year):
    return Organization.objects.filter(figures.in_region(region, "region"))


def _share(region, year):
    part, total = _organizations(region, year).count(), Organization.objects.count()
    if not part:
        return Measure.missing(total, "区域内没有组织", "no organizations in the region")
    return Measure(figures.percent(part, total, 2), total)


COUNT = Indicator(
    code="honours.zz_test_organizations",
    name=("测试组织数", "Test organizations"),
    definition=("区域内组织数。", "Organizations in the region."),
    unit="家",
    standard="测试规则 (test rule)",
    direction=Direction.HIGHER,
    period=Period.CUMULATIVE,
    measure=lambda region, year: figures.counted(_organizations(region, year)),
    records=_organizations,
    columns=(figures.Column("name", "name"),),
)
SHARE = Indicator(
    code="air.zz_test_share",
    name=("测试组织占比", "Test share of organizations"),
    definition=("区域内组织占全部组织的比例。", "The region's share of all organizations."),
    unit="%",
    standard="测试规则 (test rule)",
    direction=Direction.NEITHER,
    period=Period.CUMULATIVE,
    measure=_share,
    records=_organizations,
    columns=(figures.Column("name", "name"),),
)


@pytest.fixture
def report_indicators():
    figures.register(COUNT, SHARE)
    yield
    figures.unregister(COUNT.code)
    figures.unregister(SHARE.code)


@pytest.fixture
def report_records(personas, report_indicators):
    for number in range(EXTRA_ORGANIZATIONS):
        make_organization(f"报告测试企业{number:02d}有限公司", personas.tianyuan)
    return personas
