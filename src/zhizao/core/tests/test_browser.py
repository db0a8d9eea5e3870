"""The foundation in a real browser: language switch, login, a bad credit code refused, fixed,
saved and listed."""

import pytest
from playwright.sync_api import expect

from zhizao.core.demo import synthetic_credit_code
from zhizao.core.testing import browser_login, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_register_an_organization_after_fixing_its_credit_code(personas, live_server, browser_page):
    page = browser_page
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.locator("h2#headlines-title").inner_text() == "质量概览"
    screenshot(page, "core-front-page-zh")

    page.click("button[name=language][value=en]")
    page.wait_for_selector("html[lang=en]")
    assert page.locator("h2#headlines-title").inner_text() == "Quality headlines"

    browser_login(page, live_server.url, "officer")
    page.click("text=Organizations")
    page.click("text=Register an organization")

    good = synthetic_credit_code("浏览器测试", "430211")
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    page.fill("#id_name", "株洲浏览器测试有限公司")
    page.fill("#id_credit_code", bad)
    page.select_option("#id_kind", "enterprise")
    page.select_option("#id_region", label="Tianyuan District")  # English page: English name
    page.click("button[type=submit].primary")

    error = page.locator("#id_credit_code_errors")
    assert "Check the whole code" in error.inner_text()
    screenshot(page, "core-bad-credit-code")

    page.fill("#id_credit_code", good)
    page.click("button[type=submit].primary")
    page.wait_for_url(live_server.url + "/console/organizations/")
    assert "株洲浏览器测试有限公司" in page.locator("#organization-table").inner_text()
    assert "registered" in page.locator(".messages").inner_text()

    page.fill("#id_q", "浏览器")
    expect(page.locator("#organization-table tbody tr")).to_have_count(1)
    screenshot(page, "core-organization-listed")
