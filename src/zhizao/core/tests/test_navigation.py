"""Each role's console and sub-navigation offer only pages it may open; each role lands on its
daily job after logging in."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from zhizao.core.testing import PASSWORD

LINK = re.compile(r'<a href="(/[^"#?]*)"')


def _console_links(client: Client) -> list[str]:
    html = client.get(reverse("core:console")).content.decode()
    main = html[html.index('<main id="main">') : html.index("</main>")]
    return sorted(set(LINK.findall(main)))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        "officer",
        "district_officer",
        "alice",
        "bob",
        "tester",
        "provider",
        "assessor",
        "committee",
        "clerk",
        "admin",
    ],
)
def test_every_console_link_opens_for_its_user(personas, name):
    client = personas.client(name)
    links = _console_links(client)
    assert links, "the console offers something to every role"
    refused = {url: client.get(url).status_code for url in links}
    refused = {url: status for url, status in refused.items() if status != 200}
    assert refused == {}


@pytest.mark.django_db
def test_tester_console_offers_entry_and_no_staff_pages(personas):
    links = _console_links(personas.client("tester"))
    assert reverse("rapidtest:entry") in links
    assert reverse("rapidtest:dashboard") not in links
    assert reverse("rapidtest:integrity") not in links
    assert reverse("awards:edition_create") not in links


@pytest.mark.django_db
def test_rapidtest_subnavigation_follows_the_role(personas):
    tester_html = personas.client("tester").get(reverse("rapidtest:records")).content.decode()
    nav = tester_html[tester_html.index('class="rt-nav"') :].split("</nav>")[0]
    assert reverse("rapidtest:entry") in nav
    assert reverse("rapidtest:dashboard") not in nav
    assert reverse("rapidtest:warnings") not in nav
    assert 'aria-current="page"' in nav  # the page being shown is marked

    officer_html = personas.client("officer").get(reverse("rapidtest:records")).content.decode()
    nav = officer_html[officer_html.index('class="rt-nav"') :].split("</nav>")[0]
    assert reverse("rapidtest:dashboard") in nav
    assert reverse("rapidtest:integrity") in nav


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "landing"),
    [
        ("tester", "rapidtest:entry"),
        ("officer", "core:console"),
        ("alice", "core:console"),
        ("assessor", "awards:application_list"),
        ("committee", "awards:application_list"),
    ],
)
def test_each_role_lands_on_its_daily_job(personas, client, name, landing):
    response = client.post(
        reverse("core:login"), {"username": name, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse(landing)
    assert response.status_code == 200


@pytest.mark.django_db
def test_an_explicit_next_still_wins(personas, client):
    response = client.post(
        reverse("core:login") + "?next=" + reverse("core:inbox"),
        {"username": "tester", "password": PASSWORD},
    )
    assert response["Location"] == reverse("core:inbox")
