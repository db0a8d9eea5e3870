"""The honours figures of the registry (``honours.<type>``), from honours these tests record:
one indicator per kind, standing honours of the city and its districts up to the end of the
year (an honour without a year is always counted)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from zhizao.core import figures
from zhizao.core.models import Region
from zhizao.registry import services
from zhizao.registry.choices import HolderKind, HonourKind
from zhizao.registry.indicators import KIND_CODES
from zhizao.registry.models import Honour

pytestmark = pytest.mark.django_db


def test_every_honour_kind_has_its_indicator():
    codes = {indicator.code for indicator in figures.indicators("honours.")}
    assert codes == {f"honours.{code}" for code in KIND_CODES.values()}
    assert set(KIND_CODES) == set(HonourKind.values)
    assert {"honours.luban", "honours.gi_cert", "honours.hunan_benchmark"} <= codes


def test_luban_awards_up_to_the_year(personas):
    def luban(name, city, year=None, actor=None, **extra):
        return services.create_honour(
            actor or personas.officer,
            {
                "kind": HonourKind.LUBAN_AWARD,
                "holder_kind": HolderKind.PROJECT,
                "holder_name": name,
                "city": city,
                "year": year,
                **extra,
            },
        )

    luban("工程甲", personas.city, 2015)
    luban("工程乙", personas.tianyuan, 2021, is_synthetic=True)  # a district counts in the city
    luban("工程丙", personas.city)  # no year: always counted
    luban("工程丁", personas.city, 2022)
    gone = luban("工程戊", personas.city, 2016)
    Honour.objects.filter(pk=gone.pk).update(revoked_at=timezone.now())
    # Recorded by the superuser: Zhuzhou's officer records only Zhuzhou's honours.
    luban("湘潭工程", Region.objects.get(code="430300"), 2015, actor=personas.admin)
    indicator = figures.get("honours.luban")
    assert indicator is not None
    for year, expected in ((2014, 1), (2015, 2), (2021, 3), (2022, 4)):
        computed = indicator.compute(personas.city, year)
        assert (computed.value, computed.records) == (expected, expected)
        assert indicator.records(personas.city, year).count() == expected
    assert indicator.compute(personas.city, 2021).synthetic
    assert not indicator.compute(personas.city, 2015).synthetic
    assert indicator.compute(personas.tianyuan, 2022).value == 1
