"""Every main page works with no internet and under the Content-Security-Policy: the browser
requests nothing from another host and reports no policy violation or script error."""

from urllib.parse import urlparse

import pytest

from zhizao.core.testing import browser_login, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PUBLIC = ["/", "/rapidtest/board/", "/awards/", "/honours/", "/api/v1/docs", "/accounts/login/"]
STAFF = ["/console/organizations/", "/rapidtest/dashboard/", "/rapidtest/entry/", "/admin/"]


def test_pages_load_only_from_this_site_and_respect_the_csp(personas, live_server, browser_page):
    from zhizao.rapidtest.models import MarketProfile

    MarketProfile.objects.create(organization=personas.market)
    page = browser_page
    problems: list[str] = []
    foreign: list[str] = []
    host = urlparse(live_server.url).hostname
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "request",
        lambda request: (
            foreign.append(request.url)
            if urlparse(request.url).hostname not in (host, None) and request.url.startswith("http")
            else None
        ),
    )
    response = page.goto(live_server.url + "/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    for path in PUBLIC:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
    browser_login(page, live_server.url, "admin")
    for path in STAFF:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
    screenshot(page, "core-admin-under-csp")
    problems = [text for text in problems if "favicon" not in text]
    assert foreign == []
    assert problems == []
