"""Counts on the rapid-test pages are grouped by three in both languages (issue 19: zh-Hans
showed 1100000, Django's zh_Hans formats having no thousands separator)."""

import re
from datetime import date

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import timezone, translation

from zhizao.rapidtest import rollups
from zhizao.rapidtest.models import MarketMonthRollup, MonthlyRollup
from zhizao.rapidtest.tests.test_figures import make

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_intcomma_groups_by_three(language):
    template = Template('{% load humanize %}{{ n|intcomma }} {{ x|floatformat:"2g" }}')
    with translation.override(language):
        assert template.render(Context({"n": 1100000, "x": 12345.678})) == "1,100,000 12,345.68"


@pytest.fixture
def million(rt):
    """A month of 1,100,000 batches (1,234 failed), each a test of its own, in the rollups the
    pages count from."""
    month = date(2026, 5, 1)
    counts = {"total": 1100000, "failed": 1234, "batches": 1100000, "batches_failed": 1234}
    MonthlyRollup.objects.create(
        market=rt.market, month=month, product=rt.greens, item=rt.enzyme, **counts
    )
    MarketMonthRollup.objects.create(market=rt.market, month=month, **counts)
    rollups.touch()


@pytest.mark.parametrize(
    ("language", "failed"), [("zh-hans", "不合格 1,234 批次"), ("en", "1,234 failed")]
)
def test_dashboard_and_records_count_are_grouped(rt, million, settings, language, failed):
    settings.LANGUAGE_CODE = language
    client = rt.p.client("officer")
    dashboard = client.get("/rapidtest/dashboard/").content.decode()
    dashboard = re.sub(r"<script.*?</script>", "", dashboard, flags=re.S)  # the chart's data
    assert "1,100,000" in dashboard
    assert "1100000" not in dashboard
    assert failed in dashboard
    records = client.get("/rapidtest/records/?month=2026-05").content.decode()
    assert "1,100,000" in records, records[:3000]


def test_gate_screen_counts_are_grouped(rt, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    make(rt, 1000, value=10, tested_at=timezone.localtime().replace(hour=0, minute=1))
    body = Client().get(f"/rapidtest/board/{rt.market.pk}/?gate=1").content.decode()
    assert "1,000" in body
