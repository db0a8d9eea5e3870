"""Issue 19, done-when: the district officer's daily job in the browser, at desktop (1280) and
phone (390) width, in zh-Hans and English: log in, open the rapid-test dashboard (their
district's markets only), narrow it with the filter form (chips, htmx), go to the records,
filter and un-filter them by chip, and export more records than a request answers — the export
runs as a background job whose page (polled by htmx) shows its progress and then the download.

Screenshots go to test-artifacts/screenshots/; with ZHIZAO_TOUR_IMAGES=docs/img the README's
tour pictures (docs/img/tour-district-*.png, viewport-sized, 256 colours) are written there."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from zhizao.core.choices import OrganizationKind
from zhizao.core.models import Job
from zhizao.core.testing import browser_login, make_organization, screenshot
from zhizao.rapidtest import jobs as rapidtest_jobs
from zhizao.rapidtest import rollups
from zhizao.rapidtest.models import MarketProfile, Product, TestItem, TestRecord

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
WORDS = {
    "zh-hans": {"result": "结果", "fail": "不合格", "waiting": "等待后台处理", "done": "已完成"},
    "en": {"result": "Result", "fail": "Fail", "waiting": "Waiting for the worker", "done": "Done"},
}
TOUR = {  # the pictures kept for the README's tour
    (
        "district-dashboard-filtered",
        "zh-hans",
        "desktop",
    ): "tour-district-dashboard-filtered-zh.png",
    (
        "district-records-filtered",
        "zh-hans",
        "phone",
    ): "tour-district-records-filtered-phone-zh.png",
    ("district-export-progress", "en", "desktop"): "tour-district-export-progress-en.png",
    ("district-export-done", "zh-hans", "desktop"): "tour-district-export-done-zh.png",
}
RECORDS, FAILED_EVERY = 60, 7


def _records(personas: Any) -> Any:
    """Two months of tests in a 天元区 market (the district officer's) and a few in the 芦淞区
    market (not theirs)."""
    market = make_organization(
        "天元区泰山路菜市场", personas.tianyuan, OrganizationKind.FARMERS_MARKET
    )
    MarketProfile.objects.create(organization=market, test_room_since="2017-01-01")
    greens = Product.objects.get(name="青菜")
    enzyme = TestItem.objects.get(name="有机磷和氨基甲酸酯类农药残留")
    now = timezone.now() - timedelta(hours=2)
    rows = []
    for index in range(RECORDS + 5):
        failed = index % FAILED_EVERY == 0
        tested = now - timedelta(hours=20 * index)
        rows.append(
            TestRecord(
                market=market if index < RECORDS else personas.market,
                product=greens,
                item=enzyme,
                value=70 if failed else 12,
                passed=not failed,
                tested_at=tested,
                entered_at=tested + timedelta(minutes=3),
                source="web",
                client_record_id=f"district-{index}",
            )
        )
    TestRecord.objects.bulk_create(rows)
    rollups.rebuild()
    return market


def _page(browser: Any, base: str, language: str, width: str) -> Any:
    context = browser.new_context(
        viewport=VIEWPORTS[width],
        locale="zh-CN" if language == "zh-hans" else "en-US",
        accept_downloads=True,
    )
    context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def _check(page: Any, step: str, language: str, width: str) -> None:
    screenshot(page, f"tour-{step}-{language}-{width}")
    assert page.locator("html").get_attribute("lang").lower() == language, step
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= VIEWPORTS[width]["width"], f"{step}: {scroll_width}px wide"
    name = TOUR.get((step, language, width))
    target = os.environ.get("ZHIZAO_TOUR_IMAGES")
    if name and target:
        path = Path(target) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path), full_page=False)
        from PIL import Image  # 256 colours: a third of the size, the same to read

        Image.open(path).convert("RGB").quantize(256).save(path, optimize=True)


@pytest.mark.parametrize("width", list(VIEWPORTS))
@pytest.mark.parametrize("language", list(WORDS))
def test_district_officer_daily_job(browser, live_server, personas, monkeypatch, language, width):
    market = _records(personas)
    monkeypatch.setattr(rapidtest_jobs, "EXPORT_SYNC_MAX_ROWS", 10)  # 60 records are "large"
    failed = RECORDS // FAILED_EVERY + 1
    base, words = live_server.url, WORDS[language]
    page = _page(browser, base, language, width)
    try:
        browser_login(page, base, "district_officer")
        page.goto(f"{base}/rapidtest/dashboard/")
        assert market.name in page.inner_text("#table-market")
        assert personas.market.name not in page.inner_text("main")  # another district's
        _check(page, "district-dashboard", language, width)

        # The filter form narrows the dashboard through htmx; the filter becomes a chip.
        page.select_option("#id_result", "fail")
        chip = page.locator('#dashboard-figures .chip[data-filter="result"]')
        chip.wait_for()
        assert words["result"] in chip.inner_text()
        assert words["fail"] in chip.inner_text()
        assert "result=fail" in page.url
        batches = page.locator(".tile").nth(1).locator(".tile-value").inner_text()
        assert batches.strip() == str(failed)
        _check(page, "district-dashboard-filtered", language, width)

        # The records: a second filter, both chips; removing one keeps the other.
        page.goto(f"{base}/rapidtest/records/?result=fail")
        page.select_option("#id_market", str(market.pk))
        page.locator('#record-table .chip[data-filter="market"]').wait_for()
        assert page.locator("#record-table .chip").count() == 2
        assert f"{failed}" in page.inner_text("#record-count")
        _check(page, "district-records-filtered", language, width)
        page.click('#record-table .chip[data-filter="result"] a')
        page.wait_for_url(lambda url: "result=" not in url)
        assert page.locator("#record-table .chip").count() == 1
        assert str(RECORDS) in page.inner_text("#record-count")

        # 60 records: more than a request exports, so a background job with a progress page.
        page.click("#record-export button[value=csv]")
        page.wait_for_url("**/console/jobs/*/")
        job = Job.objects.get()
        assert job.params["filters"] == {"market": str(market.pk)}
        assert words["waiting"] in page.inner_text("#job-progress")
        assert page.locator("#job-progress progress").count() == 1
        _check(page, "district-export-progress", language, width)
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
        page.locator("#job-download").wait_for()  # the page polled itself
        assert words["done"] in page.inner_text("#job-progress")
        assert f"{RECORDS}" in page.inner_text(".job-summary")
        _check(page, "district-export-done", language, width)
        with page.expect_download() as download:
            page.click("#job-download")
        body = Path(download.value.path()).read_bytes()
        assert body.startswith(b"\xef\xbb\xbf")
        assert body.decode("utf-8-sig").count("\n") == RECORDS + 1  # header + every record
    finally:
        page.context.close()
