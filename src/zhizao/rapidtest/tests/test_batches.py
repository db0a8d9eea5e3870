"""Batches (批次) and tests (issue 9): a sample screened for three β-agonists is one batch of three
tests; it fails if any test fails. Every figure counts batches and shows the tests beside them,
on every way in (form, API, file) and after corrections, lab outcomes and deletions."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from zhizao.core import figures as registry
from zhizao.rapidtest import figures, rollups, services
from zhizao.rapidtest.choices import LabResult
from zhizao.rapidtest.importing import template_headers
from zhizao.rapidtest.models import FollowUpCase, TestItem, TestRecord
from zhizao.rapidtest.tests.conftest import record_data

pytestmark = pytest.mark.django_db

AGONISTS = ("克伦特罗", "莱克多巴胺", "沙丁胺醇")


def pork_sample(rt, code="S-1", failing="莱克多巴胺", actor=None):
    """A pork sample screened for the three β-agonists, one of them positive."""
    records = []
    for name in AGONISTS:
        record, created = services.record_test_result(
            actor or rt.p.tester,
            record_data(
                rt,
                product=rt.pork,
                item=TestItem.objects.get(name=name),
                value="阳性" if name == failing else "阴性",
                sample_code=code,
            ),
        )
        assert created
        records.append(record)
    return records


def overall(user):
    _tables, row = figures.dashboard_tables(user)
    return row["total"], row["failed"], row["tests"], row["tests_failed"]


def consistent():
    assert rollups.stored() == rollups.recount()
    assert rollups.stored_market_month() == rollups.recount_market_month()
    assert rollups.stored_suppliers() == rollups.recount_suppliers()


def test_a_three_item_sample_with_one_failed_item_is_one_failed_batch_of_three_tests(rt):
    pork_sample(rt)
    assert overall(rt.p.officer) == (1, 1, 3, 1)
    consistent()
    tables, _row = figures.dashboard_tables(rt.p.officer)
    (product,) = tables["product"]
    assert (product["total"], product["failed"], product["tests"]) == (1, 1, 3)
    # An item's batches are its tests: each of the three items was tested on one batch.
    assert sorted((r["label"], r["total"], r["failed"]) for r in tables["item"]) == [
        ("克伦特罗", 1, 0),
        ("沙丁胺醇", 1, 0),
        ("莱克多巴胺", 1, 1),
    ]
    assert tables["year"][0]["rate"] == 0  # the one batch failed


def test_tests_without_a_sample_code_are_batches_of_their_own(rt):
    for value in ("12.5", "70"):
        services.record_test_result(rt.p.tester, record_data(rt, value=value))
    assert overall(rt.p.officer) == (2, 1, 2, 1)
    consistent()


def test_the_registered_figures_count_batches(rt):
    pork_sample(rt, "S-1")
    pork_sample(rt, "S-2", failing=None)
    services.record_test_result(rt.p.tester, record_data(rt))  # greens: a batch of one test
    year = rt.now.year
    city = rt.p.city
    batches = registry.get("rapidtest.batches_5y").compute(city, year)
    rate = registry.get("rapidtest.pass_rate").compute(city, year)
    assert batches.value == 3  # not 7 tests
    assert batches.records == 7  # the drill-down lists the tests
    assert rate.value == Decimal("66.67")  # 2 of 3 batches passed


def test_the_board_counts_batches_and_shows_the_tests(rt):
    pork_sample(rt)
    services.record_test_result(rt.p.tester, record_data(rt))
    counts = figures.board(rt.market)["week_counts"]
    assert (counts["total"], counts["failed"], counts["tests"], counts["tests_failed"]) == (
        2,
        1,
        4,
        1,
    )


def test_a_sample_is_of_one_product_and_tests_each_item_once(rt):
    pork_sample(rt, failing=None)
    with pytest.raises(ValidationError) as repeated:
        services.record_test_result(
            rt.p.tester,
            record_data(rt, product=rt.pork, item=rt.clen, value="阴性", sample_code="S-1"),
        )
    assert (
        "This sample already has a test of this item." in repeated.value.message_dict["sample_code"]
    )
    with pytest.raises(ValidationError) as other:
        services.record_test_result(rt.p.tester, record_data(rt, sample_code="S-1"))
    assert any("one product" in m for m in other.value.message_dict["sample_code"])
    assert overall(rt.p.officer) == (1, 0, 3, 0)


def test_corrections_lab_outcomes_and_deletions_keep_the_batch_counts(rt):
    clen, racto, salb = pork_sample(rt)
    officer = rt.p.officer
    # The lab does not confirm the positive screen: the batch passes.
    case = FollowUpCase.objects.get(record=racto)
    services.update_case(
        officer, case, {"lab_result": LabResult.NOT_CONFIRMED, "lab_name": "实验室"}
    )
    assert overall(officer) == (1, 0, 3, 0)
    consistent()
    # A correction makes another item fail: the batch fails again (still one batch).
    services.correct_test_record(officer, clen, {"value": "阳性"}, "misread strip")
    assert overall(officer) == (1, 1, 3, 1)
    consistent()
    # Deleting the first test moves the batch's count to its next test; still one batch.
    services.delete_test_record(officer, clen, "entered twice")
    assert overall(officer) == (1, 0, 2, 0)
    consistent()
    # Moving a test to a sample of its own makes two batches.
    services.correct_test_record(officer, salb, {"sample_code": "S-9"}, "other sample")
    assert overall(officer) == (2, 0, 2, 0)
    consistent()


def test_the_instrument_api_posts_a_sample_as_a_batch(rt):
    client = rt.p.client("tester")
    body = {
        "records": [
            {
                "client_record_id": f"dev-{index}",
                "market": rt.market.pk,
                "product": "猪肉",
                "item": name,
                "value": "阴性",
                "tested_at": rt.now.isoformat(),
                "sample_code": "API-1",
            }
            for index, name in enumerate(AGONISTS)
        ]
    }
    response = client.post("/api/v1/rapidtest/records/batch", body, content_type="application/json")
    assert response.status_code in (200, 201), response.content
    assert {r["sample_code"] for r in response.json()["records"]} == {"API-1"}
    assert overall(rt.p.officer) == (1, 0, 3, 0)


def write_csv(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(template_headers("en"))
    for cells in rows:
        writer.writerow([cells.get(name, "") for name in template_headers("en")])
    return io.BytesIO(buffer.getvalue().encode("utf-8"))


def file_row(item, value, code, **extra):
    return {
        "product": "猪肉",
        "item": item,
        "value": value,
        "tested_at": "2024-05-01 07:30",
        "sample_code": code,
        **extra,
    }


def test_an_import_groups_rows_by_sample_code(rt):
    rows = [file_row(name, "阳性" if name == "沙丁胺醇" else "阴性", "F-1") for name in AGONISTS]
    rows.append(file_row("克伦特罗", "阴性", ""))  # no code: a batch of its own
    outcome = services.import_test_records(rt.p.tester, write_csv(rows), file_name="s.csv")
    assert outcome.ok, outcome.errors
    assert overall(rt.p.officer) == (2, 1, 4, 1)
    consistent()
    assert TestRecord.objects.filter(sample_code="F-1").count() == 3


def test_an_import_refuses_a_mixed_or_repeated_or_stored_sample(rt):
    rows = [
        file_row("克伦特罗", "阴性", "F-1"),
        file_row("克伦特罗", "阴性", "F-1"),
        file_row("有机磷和氨基甲酸酯类农药残留", "12", "F-1", product="青菜"),
    ]
    outcome = services.import_test_records(rt.p.tester, write_csv(rows), file_name="bad.csv")
    assert [(e["row"], e["column"]) for e in outcome.errors] == [
        (3, "sample_code"),
        (4, "sample_code"),
    ]
    assert TestRecord.objects.count() == 0
    pork_sample(rt, "F-2", failing=None)
    outcome = services.import_test_records(
        rt.p.tester, write_csv([file_row("克伦特罗", "阴性", "F-2")]), file_name="late.csv"
    )
    assert [(e["row"], e["column"]) for e in outcome.errors] == [(2, "sample_code")]
    assert "already stored" in outcome.errors[0]["message"]
    assert TestRecord.objects.count() == 3
