"""The public dashboard in a real browser (Chromium through Playwright), on the demo city with
published snapshots: both languages, desktop and a 390 px phone, the charts drawn under the
Content-Security-Policy with no script error, the year selector, a tile's click to its
drill-down, and a district without a publication.

Screenshots go to test-artifacts/screenshots/; with ``ZHIZAO_DASHBOARD_IMG=docs/img`` the
dashboard's pictures in the docs are rewritten too."""

from __future__ import annotations

import io
import os
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.core.management import call_command

from zhizao.core.actors import system_actor
from zhizao.core.models import Region
from zhizao.core.testing import screenshot
from zhizao.reports import services as reports

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def shot(page, name):
    screenshot(page, f"dashboard-{name}")
    target = os.environ.get("ZHIZAO_DASHBOARD_IMG")
    if target:
        path = Path(target) / f"dashboard-{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        page.evaluate("() => window.scrollTo(0, 0)")
        page.screenshot(path=str(path), full_page=True)
        from PIL import Image  # 256 colours: a third of the size, the same to read

        Image.open(path).convert("RGB").quantize(256).save(path, optimize=True)


def _open(browser, live_server, size, language):
    context = browser.new_context(viewport=SIZES[size], is_mobile=size == "phone")
    cookie = {"name": "django_language", "value": "zh-hans" if language == "zh" else "en"}
    context.add_cookies([{**cookie, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(20_000)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    host = urlparse(live_server.url).hostname
    page.on(
        "request",
        lambda r: problems.append(r.url) if urlparse(r.url).hostname not in (host, None) else None,
    )
    return context, page, problems


def test_the_dashboard_in_both_languages_on_desktop_and_phone(settings, live_server, browser):
    settings.ZHIZAO_RAPIDTEST_DEMO_RECORDS = 1500
    call_command("demo", stdout=io.StringIO())
    city = Region.objects.get(code="430200")
    tianyuan = Region.objects.get(code="430211")
    actor = system_actor()
    for region, year in ((city, 2019), (city, 2020), (city, 2021), (tianyuan, 2021)):
        reports.publish(actor, reports.take_snapshot(actor, region, year))
    published = reports.published_figures(city, 2021)

    for size in ("desktop", "phone"):
        for language in ("zh", "en"):
            context, page, problems = _open(browser, live_server, size, language)
            try:
                page.goto(f"{live_server.url}/dashboard/")
                page.wait_for_selector("#chart-pass_rates canvas")
                page.wait_for_load_state("networkidle")
                assert page.locator("#year-form select option:checked").inner_text() == "2021"
                tile = page.locator('li.tile[data-key="rapidtest"]')
                value = published["rapidtest.pass_rate"].typed_value
                assert f"{value:f}%" in tile.locator(".tile-value").inner_text()
                assert page.locator("#synthetic-note").is_visible()
                heading = page.locator("h1").inner_text()
                assert ("株洲市" in heading) if language == "zh" else ("Zhuzhou" in heading)
                assert ("年度快检合格率" if language == "zh" else "Rapid-test pass rate") in (
                    tile.inner_text()
                )
                overflow = page.evaluate(
                    "() => document.scrollingElement.scrollWidth - window.innerWidth"
                )
                assert overflow <= 1, (size, language, overflow)  # never scrolls sideways
                if size == "phone":
                    boxes = page.locator("li.tile").evaluate_all(
                        "tiles => tiles.map(t => t.getBoundingClientRect().width)"
                    )
                    assert min(boxes) > 300  # one tile per row, the full width
                shot(page, f"{size}-{language}")
                assert problems == [], problems
            finally:
                context.close()

    # The year selector, then a tile's click to its drill-down.
    context, page, problems = _open(browser, live_server, "desktop", "en")
    try:
        page.goto(f"{live_server.url}/dashboard/")
        page.select_option("#id_year", "2020")
        page.click("#year-form button[type=submit]")
        page.wait_for_url("**/dashboard/?year=2020")
        assert page.locator("#year-form select option:checked").inner_text() == "2020"
        page.locator('li.tile[data-key="rapidtest"] a.tile-link').click()
        page.wait_for_url("**/figures/rapidtest.pass_rate/records/**")
        assert "city=430200" in page.url
        assert "year=2020" in page.url
        count = page.locator("#record-count").get_attribute("data-count")
        assert count == str(reports.published_figures(city, 2020)["rapidtest.pass_rate"].records)
        shot(page, "drill-down-en")

        page.goto(f"{live_server.url}/dashboard/430202/")  # 荷塘区: nothing published
        assert page.locator("#no-publication").is_visible()
        assert page.locator("li.tile").count() == 0
        page.goto(f"{live_server.url}/dashboard/430211/")
        assert page.locator("li.tile").count() > 0
        page.wait_for_load_state("networkidle")
        shot(page, "district-en")
        assert problems == [], problems
    finally:
        context.close()
