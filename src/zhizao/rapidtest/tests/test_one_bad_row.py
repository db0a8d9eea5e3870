"""One bad stored row never breaks a page (issue 10): a record whose test time is out of range
(as an import once stored ``0001-01-01 00:30`` local: ``0000-12-31 16:24:17`` UTC, with a rollup
month ``1-01-01``) is written straight into the database, behind the services' back; the staff
pages render what they can, log the rest, and the record can still be deleted."""

import csv
import io
import logging

import pytest
from django.db import connection
from django.urls import reverse

from zhizao.rapidtest import rollups, services
from zhizao.rapidtest.models import (
    FollowUpCase,
    MarketMonthRollup,
    MonthlyRollup,
    RecordCorrection,
    TestRecord,
)

from .conftest import record_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def bad_row(rt):
    """Two good records and a failed one whose stored time, case times and rollup month are out
    of range."""
    good, _ = services.record_test_result(rt.p.tester, record_data(rt, supplier="甲"))
    services.record_test_result(rt.p.tester, record_data(rt, value="70", supplier="乙"))
    bad, _ = services.record_test_result(rt.p.tester, record_data(rt, value="80", supplier="坏"))
    key = rollups.key_of(bad)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            stamp, month = "0001-01-01 00:30:00+08:05:43", "0001-01-01"
            cursor.execute(
                "UPDATE rapidtest_testrecord SET tested_at = %s::timestamptz WHERE id = %s",
                [stamp, bad.pk],
            )
            cursor.execute(
                "UPDATE rapidtest_followupcase SET opened_at = %s::timestamptz, "
                "due_at = %s::timestamptz WHERE record_id = %s",
                [stamp, stamp, bad.pk],
            )
        else:
            stamp, month = "0000-12-31 16:24:17", "1-01-01"
            cursor.execute(
                "UPDATE rapidtest_testrecord SET tested_at = %s WHERE id = %s", [stamp, bad.pk]
            )
            cursor.execute(
                "UPDATE rapidtest_followupcase SET opened_at = %s, due_at = %s "
                "WHERE record_id = %s",
                [stamp, stamp, bad.pk],
            )
        # The import counted it (a failure) in a month of year 1, not in this month.
        for table in ("rapidtest_monthlyrollup", "rapidtest_marketmonthrollup"):
            cursor.execute(
                f"UPDATE {table} SET total = total - 1, failed = failed - 1, "
                "batches = batches - 1, batches_failed = batches_failed - 1 "
                "WHERE market_id = %s AND month = %s",
                [bad.market_id, key[1].isoformat()],
            )
        cursor.execute(
            "INSERT INTO rapidtest_monthlyrollup (market_id, month, product_id, item_id, total, "
            "failed, batches, batches_failed) VALUES (%s, %s, %s, %s, 1, 1, 1, 1)",
            [bad.market_id, month, bad.product_id, bad.item_id],
        )
        cursor.execute(
            "INSERT INTO rapidtest_marketmonthrollup (market_id, month, total, failed, batches, "
            "batches_failed) VALUES (%s, %s, 1, 1, 1, 1)",
            [bad.market_id, month],
        )
    rollups.touch()
    return good, bad


def test_the_dashboard_and_its_api_render_the_good_rows(rt, bad_row, caplog):
    officer = rt.p.client("officer")
    with caplog.at_level(logging.WARNING, logger="zhizao.rapidtest"):
        page = officer.get(reverse("rapidtest:dashboard"))
    assert page.status_code == 200
    assert page.context["overall"]["total"] == 2  # the good records; the bad one is logged
    assert any("out of range" in r.getMessage() for r in caplog.records)
    rows = officer.get("/api/v1/rapidtest/dashboard/market-month").json()["rows"]
    assert sum(row["total"] for row in rows) == 2
    for dimension in ("month", "year", "market"):
        response = officer.get(f"/api/v1/rapidtest/dashboard/{dimension}")
        assert response.status_code == 200, dimension
        assert response.json()["overall"]["total"] == 2


def test_the_records_list_and_its_exports_render_every_readable_row(rt, bad_row, caplog):
    good, bad = bad_row
    officer = rt.p.client("officer")
    page = officer.get(reverse("rapidtest:records"))
    assert page.status_code == 200
    assert bad.pk in [record.pk for record in page.context["page"]]
    response = officer.get(reverse("rapidtest:records"), {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert sorted(row[rows[0].index("Supplier")] for row in rows[1:]) == ["乙", "坏", "甲"]
    assert [row[rows[0].index("Tested at")] for row in rows[1:] if row[0] == str(bad.pk)] == [""]
    xlsx = officer.get(reverse("rapidtest:records"), {"export": "xlsx"})
    assert xlsx.status_code == 200
    api = officer.get("/api/v1/rapidtest/records").json()
    assert api["count"] == 3
    assert {item["id"] for item in api["items"]} == {good.pk, bad.pk, good.pk + 1}


def test_the_bad_records_page_renders_and_its_delete_works(rt, bad_row):
    _good, bad = bad_row
    officer = rt.p.client("officer")
    page = officer.get(reverse("rapidtest:record_detail", args=[bad.pk]))
    assert page.status_code == 200
    assert "坏" in page.content.decode()
    response = officer.post(
        reverse("rapidtest:record_detail", args=[bad.pk]),
        {"action": "delete", "reason": "impossible date"},
    )
    assert response.status_code == 302
    assert not TestRecord.objects.filter(pk=bad.pk).exists()
    assert not FollowUpCase.objects.filter(record_id=bad.pk).exists()
    correction = RecordCorrection.objects.get(record_id=bad.pk)
    assert correction.before["tested_at"] is None
    # The rollups equal a recount of what is left (the year-1 month is gone).
    assert rollups.stored() == rollups.recount()
    assert rollups.stored_market_month() == rollups.recount_market_month()
    assert officer.get(reverse("rapidtest:dashboard")).context["overall"]["total"] == 2
    assert not MonthlyRollup.objects.filter(month__year__lt=2000, total__gt=0).exists()
    assert not MarketMonthRollup.objects.filter(month__year__lt=2000, total__gt=0).exists()


def test_the_entry_page_lists_the_recent_records_with_the_bad_one(rt, bad_row):
    _good, bad = bad_row
    page = rt.p.client("tester").get(reverse("rapidtest:entry"))
    assert page.status_code == 200
    assert bad.pk in [record.pk for record in page.context["recent"]]
