"""Issue 19, done-when: the award committee member's daily job in the browser, at desktop (1280)
and phone (390) width, in zh-Hans and English: log in → land on the applications → open the one
awaiting the committee's decision (scores of both review stages beside it) → decide → the
application is in public notice, and the committee is offered no transition it may not take.

Screenshots go to test-artifacts/screenshots/; with ZHIZAO_TOUR_IMAGES=docs/img the README's
tour pictures (docs/img/tour-committee-*.png) are written there too."""

from __future__ import annotations

import pytest

from zhizao.awards.choices import Status
from zhizao.awards.models import Application
from zhizao.awards.tests.conftest import make_application, to_committee
from zhizao.awards.tests.test_browser_tour import VIEWPORTS, _check, _english_name, _page
from zhizao.core.testing import browser_login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WORDS = {
    "zh-hans": {"applications": "申报", "decide": "审定", "notice": "公示"},
    "en": {"applications": "Applications", "decide": "decision", "notice": "Public notice"},
}
TOUR = {
    ("committee-decision", "zh-hans", "desktop"): "tour-committee-decision-zh.png",
    ("committee-notice", "en", "phone"): "tour-committee-notice-en-phone.png",
}


@pytest.fixture
def tour_pictures(monkeypatch):
    from zhizao.awards.tests import test_browser_tour

    monkeypatch.setattr(test_browser_tour, "TOUR", {**test_browser_tour.TOUR, **TOUR})


@pytest.mark.parametrize("width", list(VIEWPORTS))
@pytest.mark.parametrize("language", list(WORDS))
def test_committee_daily_job(
    browser, live_server, personas, edition, assessors, tour_pictures, language, width
):
    _english_name(edition)
    application = to_committee(personas, make_application(personas.alice, edition), assessors)
    assert application.status == Status.COMMITTEE_DECISION
    base, words = live_server.url, WORDS[language]
    page = _page(browser, base, language, width)
    try:
        browser_login(page, base, "committee")
        assert page.url.endswith("/awards/applications/"), page.url  # the daily job
        _check(page, "committee-applications", language, width, words["applications"])
        page.click(f"#application-list a:text('{application.code}')")
        page.wait_for_url(f"**/applications/{application.pk}/")
        assert page.locator("#decision").count() == 1
        _check(page, "committee-decision", language, width, words["decide"])
        page.select_option("#id_outcome", "award")
        page.fill("#decision input[name=reason]", "评审委员会表决通过")
        page.click("#decision button[type=submit]")
        page.wait_for_load_state()
        assert words["notice"] in page.inner_text("#status")
        assert page.locator("#decision").count() == 0  # decided: no second decision
        _check(page, "committee-notice", language, width, words["notice"])
        assert Application.objects.get(pk=application.pk).status == Status.PUBLIC_NOTICE
    finally:
        page.context.close()
