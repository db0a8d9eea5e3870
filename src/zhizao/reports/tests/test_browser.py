"""The report page in a real browser: bureau staff open the city's report in both languages and
the ECharts charts render (a canvas in each); a figure's link leads to its drill-down."""

from __future__ import annotations

import pytest

from zhizao.core.testing import browser_login, make_organization, screenshot
from zhizao.reports import services
from zhizao.reports.tests.conftest import COUNT

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_staff_read_the_report_in_both_languages_with_its_charts(
    live_server, browser_page, personas, report_indicators
):
    for number in range(3):
        make_organization(f"浏览器测试企业{number}有限公司", personas.tianyuan)
    snapshot = services.report_snapshot(personas.officer, personas.city, 2021)
    report = services.build_report(snapshot, "zh-hans")
    assert report.charts
    page = browser_page
    browser_login(page, live_server.url, "officer")
    page.goto(f"{live_server.url}/reports/{snapshot.pk}/")
    assert page.locator("h1").inner_text() == "株洲市2021年质量发展报告"
    assert "质量奖项与荣誉" in page.locator("#section-awards h2").inner_text()
    for chart in report.charts:
        page.wait_for_selector(f"#chart-{chart.key} canvas")
    row = page.locator(f'tr[data-code="{COUNT.code}"]')
    assert row.locator("a.figure-link").inner_text() == "8"
    page.locator("#charts").scroll_into_view_if_needed()
    page.wait_for_timeout(800)  # the charts' entry animation
    screenshot(page, "reports-report-zh")

    page.goto(f"{live_server.url}/reports/{snapshot.pk}/?lang=en")
    page.wait_for_selector("html[lang=en]")
    assert page.locator("h1").inner_text() == "Zhuzhou quality report 2021"
    assert "Awards and honours" in page.locator("#section-awards h2").inner_text()
    page.wait_for_selector("#chart-air canvas, #chart-standards canvas")
    page.wait_for_timeout(800)
    screenshot(page, "reports-report-en")

    row = page.locator(f'tr[data-code="{COUNT.code}"]')
    row.locator("a.figure-link").click()
    page.wait_for_url(f"**/figures/{COUNT.code}/records/**")
    assert "浏览器测试企业0有限公司" in page.content()
