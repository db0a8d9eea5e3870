"""Counts of drafted standards by level and role, per organization, district and city."""

from __future__ import annotations

from typing import Any

import pytest

from zhizao.standards import services
from zhizao.standards.counts import counts_by_level, figure_values

pytestmark = pytest.mark.django_db


def add(personas: Any, code: str, **roles: str) -> None:
    standard = services.create_standard(personas.officer, {"code": code, "title": "示例"})
    for name, role in roles.items():
        services.set_drafter(personas.officer, standard, getattr(personas, name), role)


def test_counts_by_level_and_role(personas: Any, django_assert_num_queries: Any) -> None:
    add(personas, "GB/T 19001-2016", org_a="led", org_b="participated")  # led, for the city
    add(personas, "GB/T 19001-2008", org_b="participated")
    add(personas, "ISO 9001:2015", org_b="led")
    add(personas, "T/CAS 123-2019", org_a="participated", org_b="participated")
    add(personas, "HJ 633-2012")  # no local drafter: not counted
    city = figure_values(region=personas.city)
    assert (city["standards.national"], city["standards.national.led"]) == (2, 1)
    assert city["standards.national.participated"] == 1
    assert (city["standards.international"], city["standards.international.led"]) == (1, 1)
    assert (city["standards.group"], city["standards.group.participated"]) == (1, 1)
    assert city["standards.industry"] == 0
    tianyuan = figure_values(region=personas.tianyuan)  # 甲 only
    assert (tianyuan["standards.national"], tianyuan["standards.national.led"]) == (1, 1)
    assert tianyuan["standards.international"] == 0
    shifeng = figure_values(region=personas.shifeng)  # 乙 only: participated in both GB/T 19001
    assert (shifeng["standards.national"], shifeng["standards.national.participated"]) == (2, 2)
    assert figure_values(organization=personas.org_b)["standards.international.led"] == 1
    assert figure_values() == city
    with django_assert_num_queries(1):
        counts = counts_by_level(region=personas.city)
    assert [count.level for count in counts] == [
        "international", "national", "industry", "local", "group", "enterprise"
    ]  # fmt: skip
    assert all(count.total == count.led + count.participated for count in counts)
