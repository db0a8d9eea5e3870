import pytest

from zhizao.core.models import User
from zhizao.core.testing import browser_login, screenshot
from zhizao.rapidtest.choices import CaseStatus
from zhizao.rapidtest.models import FollowUpCase, MarketProfile


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_tester_enters_failed_test_and_staff_closes_case(browser_page, live_server, personas):
    MarketProfile.objects.create(organization=personas.market)
    page = browser_page
    page.set_viewport_size({"width": 400, "height": 900})  # the tester's phone
    browser_login(page, live_server.url, "tester")
    page.goto(f"{live_server.url}/rapidtest/entry/")
    page.fill("#product-search", "青")
    page.click("[data-product]:has-text('青菜')")
    page.wait_for_selector("#id_item option:has-text('有机磷')", state="attached")
    page.fill("#id_value", "72.5")
    page.fill("#id_supplier", "某某蔬菜批发部")
    page.fill("#id_batch_kg", "40")
    screenshot(page, "rapidtest-entry-phone")
    page.click("button.rt-big")
    page.wait_for_selector(".message.error")
    assert "FAIL" in page.inner_text(".messages")
    screenshot(page, "rapidtest-entry-saved-fail")
    case = FollowUpCase.objects.get()
    assert case.status == CaseStatus.OPEN

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    browser_login(page, live_server.url, "officer")
    page.goto(f"{live_server.url}/rapidtest/cases/")
    page.click(f"a[href='/rapidtest/cases/{case.pk}/']")
    page.fill("#id_destroyed_kg", "40")
    page.fill("#id_lab_name", "株洲市食品检验所")
    page.select_option("#id_lab_result", "confirmed")
    page.check("#id_supplier_traced")
    page.click("button[value=update]")
    page.wait_for_selector(".message")
    page.fill("#id_note", "已销毁, 供货商已追溯")
    page.click("button[value=close]")
    page.wait_for_selector(".rt-status")
    screenshot(page, "rapidtest-case-closed")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.closed_by == User.objects.get(username="officer")
    assert case.destroyed_kg == 40
