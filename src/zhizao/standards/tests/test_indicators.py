"""The registered figures ``standards.<level>[.led|.participated]``, from standards these tests
record, and the demo city's counts, which equal the article's."""

from __future__ import annotations

from typing import Any

import pytest

from zhizao.core import figures
from zhizao.core.demo import load as load_core
from zhizao.core.frontpage import headlines
from zhizao.standards import demo, services
from zhizao.standards.indicators import INDICATORS, LEVELS
from zhizao.standards.models import Standard

pytestmark = pytest.mark.django_db


def add(personas: Any, code: str, synthetic: bool = False, **roles: str) -> Standard:
    standard = services.create_standard(
        personas.officer, {"code": code, "title": "示例", "is_synthetic": synthetic}
    )
    for name, role in roles.items():
        services.set_drafter(personas.officer, standard, getattr(personas, name), role)
    return standard


def value(code: str, region: Any, year: int) -> Any:
    indicator = figures.get(code)
    assert indicator is not None, code
    figure = indicator.compute(region, year)
    assert figure.records == indicator.records(region, year).count()  # the drill-down agrees
    return figure.value


def test_every_level_and_role_is_registered() -> None:
    codes = {indicator.code for indicator in figures.indicators("standards.")}
    expected = {
        f"standards.{level}{suffix}" for level in LEVELS for suffix in ("", ".led", ".participated")
    }
    assert codes == expected == {indicator.code for indicator in INDICATORS}


def test_counts_by_role_region_and_year(personas: Any) -> None:
    add(personas, "GB/T 19001-2016", org_a="led", org_b="participated")
    add(personas, "GB/T 19001-2008", org_b="participated")
    add(personas, "GB/T 24001-2022", synthetic=True, org_b="led")  # after 2021
    add(personas, "ISO 9001:2015", org_b="led")
    add(personas, "HJ 633-2012")  # no local drafter: not counted
    city, tianyuan, shifeng = personas.city, personas.tianyuan, personas.shifeng
    assert value("standards.national", city, 2021) == 2
    assert value("standards.national.led", city, 2021) == 1  # 甲 led GB/T 19001-2016
    assert value("standards.national.participated", city, 2021) == 1
    assert value("standards.national", city, 2022) == 3
    assert value("standards.national", city, 2015) == 1
    assert value("standards.national", tianyuan, 2021) == 1
    assert value("standards.national.participated", shifeng, 2021) == 2  # 乙 led neither
    assert value("standards.international.led", city, 2021) == 1
    assert value("standards.industry", city, 2021) == 0
    assert not figures.get("standards.national").compute(city, 2021).synthetic
    assert figures.get("standards.national").compute(city, 2022).synthetic


def test_the_demo_city_counts_equal_the_articles(personas: Any) -> None:
    load_core()
    demo.load()
    city = personas.city
    for level, count in demo.ARTICLE_COUNTS.items():
        total = value(f"standards.{level}", city, 2021)
        led = value(f"standards.{level}.led", city, 2021)
        participated = value(f"standards.{level}.participated", city, 2021)
        assert (total, led + participated) == (count, count), level
        assert figures.get(f"standards.{level}").compute(city, 2021).synthetic
    assert (value("standards.international", city, 2021), value("standards.group", city, 2021)) == (
        139,
        33,
    )
    assert not Standard.objects.filter(is_synthetic=False).exists()
    tile = next(
        headline for headline in headlines(city, 2021) if headline.key == "international_standards"
    )
    assert (tile.value, tile.synthetic) == ("139", True)
    assert "/figures/standards.international/records/" in tile.link
