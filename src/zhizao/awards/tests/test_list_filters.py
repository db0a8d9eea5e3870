"""Issue 19, "Finding things": the application and edition lists have filter forms kept in the
URL, show the active filters as removable chips and answer htmx with just the results; the
application filters offer no applicant, which a blind review hides."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from zhizao.awards.choices import AwardLevel, Status
from zhizao.awards.models import AwardEdition, AwardProgramme
from zhizao.awards.tests.conftest import make_application

pytestmark = pytest.mark.django_db


def _codes(page: str) -> set[str]:
    return set(re.findall(r">(A-\d{5})</a>", page))


def test_application_filters(personas, edition, application):
    other_programme = AwardProgramme.objects.create(
        code="other", name="另一奖项", name_en="Another award", level=AwardLevel.CITY, rank=0
    )
    now = timezone.now()
    other = AwardEdition.objects.create(
        programme=other_programme,
        number=1,
        year=now.year - 1,
        opens_at=now - dt.timedelta(days=1),
        submission_deadline=now + dt.timedelta(days=1),
        award_quota=1,
    )
    second = make_application(personas.bob, other)
    client = personas.client("officer")
    url = reverse("awards:application_list")

    assert _codes(client.get(url).content.decode()) == {application.code, second.code}
    page = client.get(url + f"?edition={other.pk}").content.decode()
    assert _codes(page) == {second.code}
    assert 'data-filter="edition"' in page
    assert _codes(client.get(url + f"?year={now.year}").content.decode()) == {application.code}
    assert _codes(client.get(url + f"?q={second.code.lower()}").content.decode()) == {second.code}
    assert _codes(client.get(url + f"?status={Status.SUBMITTED}").content.decode()) == set()
    assert _codes(client.get(url + f"?programme={other_programme.pk}").content.decode()) == {
        second.code
    }
    bad = client.get(url + "?q=甲测试").content.decode()
    assert "An application number looks like A-00012." in bad
    assert 'name="organization"' not in page  # no filter by applicant

    partial = client.get(url + f"?edition={other.pk}", headers={"HX-Request": "true"})
    body = partial.content.decode()
    assert "<html" not in body
    assert _codes(body) == {second.code}


def test_edition_filters(personas, edition):
    historic = AwardEdition.objects.create(
        programme=edition.programme, number=1, year=2001, is_historic=True
    )
    closed = AwardEdition.objects.create(
        programme=edition.programme,
        number=6,
        year=edition.year - 1,
        submission_deadline=timezone.now() - dt.timedelta(days=30),
    )
    client = personas.client("anonymous")
    url = reverse("awards:edition_list")

    def shown(query: str, htmx: bool = False) -> set[int]:
        headers = {"HX-Request": "true"} if htmx else {}
        page = client.get(url + query, headers=headers).content.decode()
        if htmx:
            assert "<html" not in page
        return {int(pk) for pk in re.findall(r'href="[^"]*/editions/(\d+)/"', page)}

    assert shown("") == {edition.pk, historic.pk, closed.pk}
    assert shown("?state=open") == {edition.pk}
    assert shown("?state=closed") == {closed.pk}
    assert shown("?state=historic") == {historic.pk}
    assert shown("?year=2001") == {historic.pk}
    assert shown("?state=historic", htmx=True) == {historic.pk}
    page = client.get(url + "?state=historic&year=2001").content.decode()
    assert re.findall(r'data-filter="(\w+)"', page) == ["year", "state"]
