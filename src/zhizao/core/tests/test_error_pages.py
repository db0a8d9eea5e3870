"""403 and 404 pages: inside the site's layout, in the user's language, with a way back; a refusal
leaves one log line and no traceback."""

from __future__ import annotations

import logging

import pytest
from django.urls import reverse

from zhizao.core.testing import screenshot


@pytest.mark.django_db
def test_404_is_a_page_of_the_site_in_chinese_by_default(personas):
    response = personas.client("anonymous").get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "找不到页面" in html
    assert 'class="site-header"' in html  # the site's layout and navigation
    assert reverse("core:home") in html
    assert "/no-such-page/" in html


@pytest.mark.django_db
def test_404_in_english(personas):
    client = personas.client("alice")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get("/no-such-page/").content.decode()
    assert "Page not found" in html
    assert "找不到页面" not in html
    assert reverse("core:console") in html  # a signed-in user also gets the console


@pytest.mark.django_db
def test_403_is_a_page_of_the_site_and_logs_no_traceback(personas, caplog):
    url = reverse("core:organization_detail", args=[personas.org_a.pk])
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = personas.client("bob").get(url)
    assert response.status_code == 403
    html = response.content.decode()
    assert "您无权打开此页面" in html
    assert "bob" in html
    assert 'class="site-header"' in html
    refusals = [r for r in caplog.records if r.name == "django.request"]
    assert len(refusals) == 1
    assert refusals[0].exc_info is None
    assert "Traceback" not in caplog.text


@pytest.mark.django_db
def test_server_errors_still_log_their_traceback(caplog):
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "boom", (), None)
    record.status_code = 500
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        import sys

        record.exc_info = sys.exc_info()
    logging.getLogger("django.request").handle(record)
    assert any(r.exc_info for r in caplog.records if r.name == "django.request")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_error_pages_in_the_browser(personas, live_server, browser_page):
    page = browser_page
    response = page.goto(f"{live_server.url}/rapidtest/no-such-page/")
    assert response is not None
    assert response.status == 404
    page.wait_for_selector(".error-page h1")
    assert page.inner_text(".error-page h1") == "找不到页面"
    shot = screenshot(page, "error-404-zh")
    assert shot.stat().st_size > 5_000
    page.click("text=返回首页")
    page.wait_for_url(f"{live_server.url}/")
