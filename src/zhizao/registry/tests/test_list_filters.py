"""Issue 19, "Finding things": an honour's list of holders has a filter form (holder, holder
type, year, district) kept in the URL, with removable chips and an htmx answer of just the
results."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from zhizao.registry.choices import HolderKind, HonourKind, HonourLevel
from zhizao.registry.models import Honour

pytestmark = pytest.mark.django_db


def _holders(page: str) -> list[str]:
    table = page[page.index('id="holders"') :]
    return re.findall(r"<tr><td>(?:<a [^>]*>)?([^<]+)", table)


def test_holder_filters(personas):
    def honour(name, year, organization=None, holder_kind=HolderKind.ORGANIZATION):
        return Honour.objects.create(
            kind=HonourKind.LUBAN_AWARD,
            level=HonourLevel.NATIONAL,
            year=year,
            holder_kind=holder_kind,
            holder_name=name,
            organization=organization,
            city=personas.city,
        )

    honour("甲测试企业有限公司", 2019, personas.org_a)  # 天元区
    honour("乙测试企业有限公司", 2020, personas.org_b)  # 石峰区
    honour("株洲大桥工程", 2020, holder_kind=HolderKind.PROJECT)
    client = personas.client("anonymous")
    url = reverse("registry:kind", args=[HonourKind.LUBAN_AWARD])

    assert len(_holders(client.get(url).content.decode())) == 3
    assert _holders(client.get(url + "?year=2020&holder_kind=project").content.decode()) == [
        "株洲大桥工程"
    ]
    page = client.get(url + f"?district={personas.tianyuan.pk}").content.decode()
    assert _holders(page) == ["甲测试企业有限公司"]
    assert re.findall(r'data-filter="(\w+)"', page) == ["district"]
    assert _holders(client.get(url + "?q=乙测试").content.decode()) == ["乙测试企业有限公司"]
    partial = client.get(url + "?year=2019", headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial
    assert _holders(partial) == ["甲测试企业有限公司"]
