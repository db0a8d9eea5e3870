"""Issue 19, done-when: a browser walks the award assessor's daily job (log in → lands on the
applications → opens one → its scoring page) and the enterprise user's (console → my
organization → an award edition → the apply page), at desktop (1280) and phone (390) width, in
zh-Hans and English. The page must be in the asked language and no wider than the screen.

Screenshots go to test-artifacts/screenshots/; with ZHIZAO_TOUR_IMAGES=docs/img the README's
tour pictures (docs/img/tour-*.png) are written there too."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from zhizao.awards import services
from zhizao.awards.choices import ReviewStage
from zhizao.awards.tests.conftest import make_application, to_material
from zhizao.core.testing import browser_login, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
# What each page says in each language (a heading or a button), so a page in the wrong
# language fails.
WORDS = {
    "zh-hans": {"applications": "申报", "scoring": "评分", "console": "工作台", "apply": "申报"},
    "en": {
        "applications": "Applications",
        "scoring": "Scoring",
        "console": "Console",
        "apply": "Apply",
    },
}
# The pictures kept for the README's tour (at most six).
TOUR = {
    ("assessor-scoring", "zh-hans", "desktop"): "tour-assessor-scoring-zh.png",
    ("assessor-applications", "en", "phone"): "tour-assessor-applications-en-phone.png",
    ("enterprise-console", "zh-hans", "phone"): "tour-enterprise-console-zh-phone.png",
    ("enterprise-apply", "en", "desktop"): "tour-enterprise-apply-en.png",
}


def _english_name(edition: Any) -> None:
    edition.programme.name_en = "Zhuzhou Mayor's Quality Award"
    edition.programme.save()


def _page(browser: Any, base: str, language: str, width: str) -> Any:
    context = browser.new_context(
        viewport=VIEWPORTS[width], locale="zh-CN" if language == "zh-hans" else "en-US"
    )
    context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def _check(page: Any, step: str, language: str, width: str, words: str) -> None:
    shot = screenshot(page, f"tour-{step}-{language}-{width}")
    assert page.locator("html").get_attribute("lang").lower() == language, step
    assert words in page.locator("main, body").first.inner_text(), (step, words)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    widest = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
        " > document.documentElement.clientWidth).map(e => e.tagName + '#' + e.id + '.'"
        " + e.className).slice(0, 5)"
    )
    assert scroll_width <= VIEWPORTS[width]["width"], f"{step}: {scroll_width}px wide: {widest}"
    name = TOUR.get((step, language, width))
    target = os.environ.get("ZHIZAO_TOUR_IMAGES")
    if name and target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(target) / name)


@pytest.mark.parametrize("width", list(VIEWPORTS))
@pytest.mark.parametrize("language", list(WORDS))
def test_assessor_daily_job(browser, live_server, personas, edition, language, width):
    _english_name(edition)
    application = make_application(personas.alice, edition)
    to_material(personas, application)
    services.assign_assessor(personas.officer, application, personas.assessor, ReviewStage.MATERIAL)
    base, words = live_server.url, WORDS[language]
    page = _page(browser, base, language, width)
    try:
        browser_login(page, base, "assessor")
        assert page.url.endswith("/awards/applications/"), page.url  # the daily job
        _check(page, "assessor-applications", language, width, words["applications"])
        page.click(f"#application-list a:text('{application.code}')")
        page.wait_for_url(f"**/applications/{application.pk}/")
        page.click(f"a[href$='/score/{ReviewStage.MATERIAL}/']")
        page.wait_for_url(f"**/score/{ReviewStage.MATERIAL}/")
        assert page.locator("#scoring-form select").count() > 10
        _check(page, "assessor-scoring", language, width, words["scoring"])
    finally:
        page.context.close()


@pytest.mark.parametrize("width", list(VIEWPORTS))
@pytest.mark.parametrize("language", list(WORDS))
def test_enterprise_daily_job(browser, live_server, personas, edition, language, width):
    _english_name(edition)
    base, words = live_server.url, WORDS[language]
    page = _page(browser, base, language, width)
    try:
        browser_login(page, base, "alice")
        page.goto(f"{base}/console/")
        _check(page, "enterprise-console", language, width, words["console"])
        page.click("a[href$='/console/organizations/']")
        page.click(f"a:text('{personas.org_a.name}')")
        page.wait_for_url(f"**/organizations/{personas.org_a.pk}/")
        _check(page, "enterprise-organization", language, width, personas.org_a.name)
        page.goto(f"{base}/console/")
        page.click("main a[href$='/awards/editions/']")
        page.click(f"a[href$='/awards/editions/{edition.pk}/']")
        page.wait_for_url(f"**/awards/editions/{edition.pk}/")
        page.click(f"a[href$='/awards/editions/{edition.pk}/apply/']")
        page.wait_for_url(f"**/awards/editions/{edition.pk}/apply/")
        assert page.locator("#application-form").count() == 1
        _check(page, "enterprise-apply", language, width, words["apply"])
    finally:
        page.context.close()
