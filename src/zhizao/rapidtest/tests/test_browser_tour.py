"""The daily jobs, walked in the browser at desktop (1280) and phone (390) width, in zh-Hans and
English: the tester logs in, lands on the entry form, enters a failing test and sees its case;
the officer opens the dashboard, goes to the failed records and closes the case.

Screenshots go to test-artifacts/screenshots/. With ``ZHIZAO_TOUR_IMG=docs/img`` the few the
README's tour shows are also written there (viewport-sized, to keep them small)."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from zhizao.core.testing import browser_login, screenshot
from zhizao.rapidtest import rollups
from zhizao.rapidtest.choices import CaseStatus
from zhizao.rapidtest.models import (
    FollowUpCase,
    MarketProfile,
    Product,
    Stall,
    TestItem,
    TestRecord,
)

WIDTHS = {"desktop": 1280, "phone": 390}
TOUR = {  # the screenshots committed under docs/img/ (at most 8)
    ("tester-entry", "phone", "zh"),
    ("tester-case", "phone", "zh"),
    ("tester-entry", "phone", "en"),
    ("officer-dashboard", "desktop", "zh"),
    ("officer-dashboard", "desktop", "en"),
    ("officer-records", "desktop", "zh"),
    ("officer-records", "phone", "zh"),
    ("officer-case-closed", "desktop", "zh"),
}


def shot(page, step, width, language):
    screenshot(page, f"tour-{step}-{width}-{language}")
    target = os.environ.get("ZHIZAO_TOUR_IMG")
    if target and (step, width, language) in TOUR:
        path = Path(target) / f"tour-{step}-{width}-{language}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        page.evaluate("() => window.scrollTo(0, 0)")
        page.screenshot(path=str(path), full_page=False)
        from PIL import Image  # 256 colours: a third of the size, the same to read

        Image.open(path).convert("RGB").quantize(256).save(path, optimize=True)


def history(personas):
    """A year of tests, up to three hours ago, in the personas' market: the dashboard's trend."""
    market = personas.market
    greens = Product.objects.get(name="青菜")
    enzyme = TestItem.objects.get(name="有机磷和氨基甲酸酯类农药残留")
    now = timezone.localtime()
    records = []
    for month in range(12):
        day = now - timedelta(hours=3) - timedelta(days=30 * month)
        for index in range(40):
            failed = index < 1 + month % 3
            records.append(
                TestRecord(
                    market=market,
                    product=greens,
                    item=enzyme,
                    value=70 if failed else 10 + index % 7,
                    passed=not failed,
                    tested_at=day + timedelta(minutes=index),
                    entered_at=day + timedelta(minutes=index + 1),
                    source="web",
                    client_record_id=f"tour-{month}-{index}",
                )
            )
    TestRecord.objects.bulk_create(records)
    rollups.rebuild()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_daily_jobs_of_tester_and_officer(browser_page, live_server, personas, width, language):
    MarketProfile.objects.create(organization=personas.market, test_room_since="2020-01-01")
    Stall.objects.create(market=personas.market, booth_number="A01", operator_name="张三")
    history(personas)
    page = browser_page
    page.set_viewport_size({"width": WIDTHS[width], "height": 900 if width == "desktop" else 844})
    cookie = {"name": "django_language", "value": "zh-hans" if language == "zh" else "en"}
    page.context.add_cookies([{**cookie, "url": live_server.url}])
    saved_fail = "保存：不合格" if language == "zh" else "FAIL"

    # The tester: lands on the entry form, enters a failing test, sees its case.
    browser_login(page, live_server.url, "tester")
    assert page.url.rstrip("/").endswith("/rapidtest/entry")
    page.fill("#product-search", "青")
    page.click("[data-product]:has-text('青菜')")
    page.wait_for_selector("#id_item option:has-text('有机磷')", state="attached")
    page.fill("#id_value", "72.5")
    page.fill("#id_stall", "A01")
    page.fill("#id_supplier", "某某蔬菜批发部")
    page.fill("#id_batch_kg", "40")
    shot(page, "tester-entry", width, language)
    page.click("button.rt-big")
    page.wait_for_selector(".message.error")
    assert saved_fail in page.inner_text(".messages")
    case = FollowUpCase.objects.get()
    page.click(".rt-nav a[href='/rapidtest/cases/']")
    page.click(f"a[href='/rapidtest/cases/{case.pk}/']")
    page.wait_for_selector(".rt-status")
    assert "72.5" in page.inner_text("main")
    shot(page, "tester-case", width, language)

    # The officer: dashboard → the failed records → the case, closed.
    page.context.clear_cookies()
    page.context.add_cookies([{**cookie, "url": live_server.url}])
    browser_login(page, live_server.url, "officer")
    page.goto(f"{live_server.url}/rapidtest/dashboard/")
    page.wait_for_selector("#trend canvas")
    shot(page, "officer-dashboard", width, language)
    page.click(".tile a[href$='?result=fail']")
    page.wait_for_selector("#record-table")
    assert "result=fail" in page.url
    shown = page.locator("#record-table tbody tr")
    failed_total = TestRecord.objects.filter(passed=False).count()
    assert shown.count() == min(50, failed_total)
    shot(page, "officer-records", width, language)
    page.click(".rt-nav a[href='/rapidtest/cases/']")
    page.click(f"a[href='/rapidtest/cases/{case.pk}/']")
    page.fill("#id_destroyed_kg", "40")
    page.fill("#id_lab_name", "株洲市食品检验所")
    page.select_option("#id_lab_result", "confirmed")
    page.check("#id_supplier_traced")
    page.click("button[value=update]")
    page.wait_for_selector(".message")
    page.fill("#id_note", "已销毁，供货商已追溯")
    page.click("button[value=close]")
    page.wait_for_selector(".rt-status")
    shot(page, "officer-case-closed", width, language)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    # No page of the tour overflows the phone's width.
    overflow = page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth + 1")
    assert not overflow
