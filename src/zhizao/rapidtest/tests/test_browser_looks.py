"""What the browser shows (issue 19): a legend for every chart series, the active tab marked and
styled, the gate screen in the site's fonts and showing the latest day with tests when today
has none."""

from datetime import timedelta

import pytest
from django.utils import timezone

from zhizao.core.testing import browser_login, screenshot
from zhizao.rapidtest import services
from zhizao.rapidtest.models import MarketProfile
from zhizao.rapidtest.tests.conftest import record_data
from zhizao.rapidtest.tests.test_figures import make


def _rt(personas):
    from types import SimpleNamespace

    from zhizao.rapidtest.models import Product, Stall, TestItem

    MarketProfile.objects.create(organization=personas.market)
    return SimpleNamespace(
        p=personas,
        market=personas.market,
        stall=Stall.objects.create(market=personas.market, booth_number="A01"),
        greens=Product.objects.get(name="青菜"),
        enzyme=TestItem.objects.get(name="有机磷和氨基甲酸酯类农药残留"),
        now=timezone.now() - timedelta(minutes=5),
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_trend_chart_has_a_legend_for_every_series(browser_page, live_server, personas):
    rt = _rt(personas)
    services.record_test_result(rt.p.tester, record_data(rt, value="12.5"))
    services.record_test_result(rt.p.tester, record_data(rt, value="70"))
    page = browser_page
    browser_login(page, live_server.url, "officer")
    page.goto(f"{live_server.url}/rapidtest/dashboard/")
    page.wait_for_selector("#trend canvas")
    legend, series = page.evaluate(
        """() => {
        const option = echarts.getInstanceByDom(document.getElementById('trend')).getOption();
        return [option.legend[0].data.map(String), option.series.map(s => s.name)];
    }"""
    )
    assert len(series) == 3
    assert legend == series


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_active_case_tab_is_marked_and_looks_active(browser_page, live_server, personas):
    _rt(personas)
    page = browser_page
    browser_login(page, live_server.url, "officer")
    page.goto(f"{live_server.url}/rapidtest/cases/?status=closed")
    current = page.locator(".rt-segments a[aria-current='page']")
    assert current.count() == 1
    assert "status=closed" in current.get_attribute("href")
    style = "a => getComputedStyle(a).backgroundColor"
    other = page.locator(".rt-segments a:not([aria-current])").first
    assert current.evaluate(style) != other.evaluate(style)
    page.goto(f"{live_server.url}/rapidtest/cases/?status=open&overdue=1")
    assert "overdue=1" in page.locator(".rt-segments a[aria-current]").get_attribute("href")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_gate_screen_uses_the_site_fonts_and_the_latest_day(browser_page, live_server, personas):
    rt = _rt(personas)
    three_days_ago = timezone.localtime() - timedelta(days=3)
    make(rt, 2, value=10, tested_at=three_days_ago.replace(hour=9, minute=0))
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{live_server.url}/rapidtest/board/{rt.market.pk}/?gate=1")
    font = page.evaluate("() => getComputedStyle(document.body).fontFamily")
    assert "Noto Sans CJK SC" in font, font
    text = page.inner_text("body")
    assert three_days_ago.strftime("%Y-%m-%d") in text
    assert "青菜" in text
    assert "No tests yet." not in text
    screenshot(page, "rapidtest-gate-latest-day")
