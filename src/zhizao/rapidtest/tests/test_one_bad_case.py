"""One bad stored case never breaks a page (issue 10): a follow-up case whose times are out of
range (year 0 on SQLite, BC on PostgreSQL: what an unchecked import once stored) is written
straight into the database; the case list and the case's page render what they can and log
the rest, and every other page that reads cases (dashboard, integrity, warnings, the record's
page, the public board) still answers."""

import logging

import pytest
from django.db import connection
from django.urls import reverse

from zhizao.rapidtest import services
from zhizao.rapidtest.models import FollowUpCase

from .conftest import record_data

pytestmark = pytest.mark.django_db

TIME_FIELDS = ("opened_at", "due_at", "disposed_at", "lab_sent_at", "closed_at")


def store_unreadable_times(case_pk, fields=TIME_FIELDS):
    """Write an out-of-range time into these fields of one case, behind the services' back."""
    if connection.vendor == "postgresql":
        stamp, cast = "0001-01-01 00:30:00+08:05:43 BC", "::timestamptz"
    else:
        stamp, cast = "0000-12-31 16:24:17", ""
    assignments = ", ".join(f"{name} = %s{cast}" for name in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE rapidtest_followupcase SET {assignments} WHERE id = %s",
            [stamp] * len(fields) + [case_pk],
        )


@pytest.fixture
def bad_case(rt):
    """Two failed tests today, each with a case: one case sound, one whose every time is
    unreadable (its record's own time is sound, so the record shows on today's board)."""
    good_record, _ = services.record_test_result(
        rt.p.tester, record_data(rt, value="70", supplier="好")
    )
    bad_record, _ = services.record_test_result(
        rt.p.tester, record_data(rt, value="80", supplier="坏")
    )
    good, bad = good_record.case, bad_record.case
    store_unreadable_times(bad.pk)
    return good, bad, bad_record


def test_the_case_list_shows_every_case_and_logs_the_unreadable_times(rt, bad_case, caplog):
    good, bad, _record = bad_case
    officer = rt.p.client("officer")
    for status in ("open", "closed", "all"):
        with caplog.at_level(logging.WARNING, logger="zhizao.rapidtest"):
            page = officer.get(reverse("rapidtest:cases"), {"status": status})
        assert page.status_code == 200, status
    page = officer.get(reverse("rapidtest:cases"))
    assert [case.pk for case in page.context["page"]] == [good.pk, bad.pk]
    shown = {case.pk: case for case in page.context["page"]}
    assert shown[bad.pk].opened_at is None
    assert shown[bad.pk].due_at is None
    assert shown[good.pk].opened_at == good.opened_at
    # Overdue is decided by the database, which can compare what Python cannot read: the bad
    # case was disposed (a year-0 time) after its due time (the same), so it is not overdue.
    assert bad.pk not in page.context["overdue"]
    assert officer.get(reverse("rapidtest:cases"), {"overdue": "1"}).status_code == 200
    assert any(
        f"case {bad.pk}" in r.getMessage() and "out of range" in r.getMessage()
        for r in caplog.records
    )


def test_the_bad_cases_page_renders_and_says_why_it_cannot_be_edited(rt, bad_case, caplog):
    _good, bad, record = bad_case
    officer = rt.p.client("officer")
    with caplog.at_level(logging.WARNING, logger="zhizao.rapidtest"):
        page = officer.get(reverse("rapidtest:case_detail", args=[bad.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "cannot be read" in html
    assert reverse("rapidtest:record_detail", args=[record.pk]) in html
    assert 'name="action" value="close"' not in html  # no form that would write the bad row
    assert any(f"case {bad.pk}" in r.getMessage() for r in caplog.records)
    # A post is refused with the reason, and the row is left as it was.
    response = officer.post(
        reverse("rapidtest:case_detail", args=[bad.pk]), {"action": "close"}, follow=True
    )
    assert response.status_code == 200
    assert "cannot be read" in response.content.decode()
    assert FollowUpCase.objects.filter(pk=bad.pk, status="open").exists()


def test_a_case_with_one_unreadable_time_shows_the_others(rt, bad_case):
    good, _bad, _record = bad_case
    store_unreadable_times(good.pk, ("lab_sent_at",))
    page = rt.p.client("officer").get(reverse("rapidtest:case_detail", args=[good.pk]))
    assert page.status_code == 200
    assert page.context["case"].opened_at == good.opened_at
    assert page.context["case"].lab_sent_at is None


def test_the_sound_cases_page_is_unchanged(rt, bad_case):
    good, _bad, _record = bad_case
    page = rt.p.client("officer").get(reverse("rapidtest:case_detail", args=[good.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "cannot be read" not in html
    assert 'name="action" value="close"' in html


@pytest.mark.parametrize(
    "name",
    ["rapidtest:dashboard", "rapidtest:integrity", "rapidtest:warnings", "rapidtest:records"],
)
def test_the_staff_pages_that_read_cases_render(rt, bad_case, name):
    page = rt.p.client("officer").get(reverse(name))
    assert page.status_code == 200


def test_the_dashboard_counts_the_bad_case_as_open(rt, bad_case):
    page = rt.p.client("officer").get(reverse("rapidtest:dashboard"))
    assert page.context["open_cases"] == 2


def test_the_records_page_and_api_of_the_bad_cases_record_render(rt, bad_case):
    _good, bad, record = bad_case
    officer = rt.p.client("officer")
    page = officer.get(reverse("rapidtest:record_detail", args=[record.pk]))
    assert page.status_code == 200
    assert reverse("rapidtest:case_detail", args=[bad.pk]) in page.content.decode()
    items = officer.get("/api/v1/rapidtest/records").json()["items"]
    assert {item["id"] for item in items} >= {record.pk}


def test_the_public_board_renders_the_record_of_the_bad_case(rt, bad_case):
    page = rt.p.client("anonymous").get(reverse("rapidtest:board", args=[rt.market.pk]))
    assert page.status_code == 200
    assert [r.pk for r in page.context["today"]].count(bad_case[2].pk) == 1
    gate = rt.p.client("anonymous").get(
        reverse("rapidtest:board", args=[rt.market.pk]), {"gate": 1}
    )
    assert gate.status_code == 200
