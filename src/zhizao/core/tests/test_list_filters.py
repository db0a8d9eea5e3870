"""Issue 19, "Finding things": the organization list has a filter form (name or code, type,
district, industry chain) kept in the URL, shows the active filters as removable chips, and
answers an htmx request with just the results."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs

import pytest
from django.urls import reverse

from zhizao.core.choices import IndustryChain, OrganizationKind
from zhizao.core.testing import make_organization

pytestmark = pytest.mark.django_db


def test_organization_filters_chips_and_htmx(personas):
    make_organization(
        "天元轨道交通配件厂", personas.tianyuan, industry_chain=IndustryChain.RAIL_TRANSIT
    )
    make_organization(
        "石峰轨道交通配件厂", personas.shifeng, industry_chain=IndustryChain.RAIL_TRANSIT
    )
    client = personas.client("officer")
    url = reverse("core:organization_list")
    query = f"?region={personas.tianyuan.pk}&industry_chain={IndustryChain.RAIL_TRANSIT}"

    page = client.get(url + query).content.decode()
    assert "天元轨道交通配件厂" in page
    assert "石峰轨道交通配件厂" not in page
    assert "甲测试企业有限公司" not in page  # in 天元区 but on no industry chain
    assert f'<option value="{personas.tianyuan.pk}" selected>' in page  # the form keeps it
    chips = re.findall(r'<li class="chip" data-filter="(\w+)">.*?href="\?([^"]*)"', page, re.S)
    assert [name for name, _ in chips] == ["region", "industry_chain"]
    without_region = parse_qs(html.unescape(dict(chips)["region"]))
    assert without_region == {"industry_chain": [IndustryChain.RAIL_TRANSIT]}
    assert "天元区" in page  # the chip names the district, not its key

    partial = client.get(url + query, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial
    assert 'class="chip"' in partial
    assert "天元轨道交通配件厂" in partial

    kind = client.get(url + f"?kind={OrganizationKind.FARMERS_MARKET}").content.decode()
    assert "测试农贸市场" in kind
    assert "甲测试企业有限公司" not in kind


def test_no_chips_without_filters_and_a_bad_value_is_an_error(personas):
    client = personas.client("officer")
    page = client.get(reverse("core:organization_list")).content.decode()
    assert 'class="chip"' not in page
    bad = client.get(reverse("core:organization_list") + "?region=999999").content.decode()
    assert 'role="alert"' in bad
    assert 'class="chip"' not in bad
