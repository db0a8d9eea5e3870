"""One rule set for a rapid-test record (issue 9): the same bad value gets the same error on
every way in — the entry form, the API, a file import and a correction — and the same good
value the same decision, compared exactly as decimals."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from zhizao.rapidtest import services
from zhizao.rapidtest.importing import template_headers
from zhizao.rapidtest.models import TestItem, TestRecord
from zhizao.rapidtest.validation import COLUMNS

from .conftest import record_data

pytestmark = pytest.mark.django_db

API = "/api/v1/rapidtest/records"
CONTROL = "Control characters (such as U+0000 or U+000B) are not allowed here."
FILE_COLUMN = {"stall": "booth", "tester_name": "tester"}


@pytest.fixture
def strict(rt):
    """A numeric item "pass if value ≤ 0.3" for greens, to test exact decimal comparison."""
    return TestItem.objects.create(
        name="测试残留", category=rt.greens.category, method_code="T", direction="le", threshold=0.3
    )


def local(moment, fmt):
    return timezone.localtime(moment).strftime(fmt)


def via_form(rt, **fields):
    """POST the entry form; the errors on its fields (or {} when saved)."""
    data = {
        "market": rt.market.pk,
        "product": rt.greens.pk,
        "item": rt.enzyme.pk,
        "value": "12.5",
        "tested_at": local(rt.now, "%Y-%m-%dT%H:%M"),
        "client_record_id": "",
    }
    data.update({k: v.pk if hasattr(v, "pk") else v for k, v in fields.items()})
    response = rt.p.client("tester").post(reverse("rapidtest:entry"), data)
    if response.status_code == 302:
        return {}
    assert response.status_code == 200
    return {k: list(v) for k, v in response.context["form"].errors.items()}


def via_api(rt, raw_body=None, **fields):
    data = {
        "client_record_id": f"api-{TestRecord.objects.count()}-{len(fields)}",
        "market": rt.market.credit_code,
        "product": "青菜",
        "item": "有机磷和氨基甲酸酯类农药残留",
        "value": "12.5",
        "tested_at": rt.now.isoformat(),
    }
    data.update({k: v.name if hasattr(v, "name") else v for k, v in fields.items()})
    body = raw_body(data) if raw_body else json.dumps(data)
    response = rt.p.client("tester").post(API, body, content_type="application/json")
    if response.status_code in (200, 201):
        return {}
    assert response.status_code == 400, response.content
    assert set(response.json()) == {"detail", "errors"}
    return response.json()["errors"]


def via_file(rt, **fields):
    cells = {
        "product": "青菜",
        "item": "有机磷和氨基甲酸酯类农药残留",
        "value": "12.5",
        "tested_at": local(rt.now, "%Y-%m-%d %H:%M"),
    }
    for name, value in fields.items():
        cells[FILE_COLUMN.get(name, name)] = value.name if hasattr(value, "name") else value
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(template_headers("en"))
    writer.writerow([cells.get(name, "") for name in COLUMNS])
    outcome = services.import_test_records(
        rt.p.tester, io.BytesIO(buffer.getvalue().encode()), file_name="one.csv"
    )
    errors: dict[str, list[str]] = {}
    for error in outcome.errors:
        assert error["row"] == 2
        field = {v: k for k, v in FILE_COLUMN.items()}.get(error["column"], error["column"])
        errors.setdefault(field, []).append(error["message"])
    return errors


FUTURE = timezone.now() + timedelta(days=2)
BAD = [
    # (field, form value, API value, file value, message)
    ("value", "1_000", "1_000", "1_000", "This value cannot be read under the item's rule."),
    (
        "value",
        "1e999",
        "1e999",
        "1e999",
        "The value must be a finite number between -1,000,000 and 1,000,000.",
    ),
    ("value", "inf", "inf", "inf", "This value cannot be read under the item's rule."),
    ("batch_kg", "nan", float("nan"), "nan", "Not a number."),
    ("batch_kg", "1_000", "1_000", "1_000", "Not a number."),
    ("batch_kg", "-1", -1, "-1", "The batch weight cannot be negative."),
    ("batch_kg", "1e7", 1e7, "1e7", "The batch weight must be at most 1,000,000 kg."),
    ("supplier", "甲\x0b批发", "甲\x0b批发", "甲\x0b批发", CONTROL),
    ("origin", "长\x1b沙", "长\x1b沙", "长\x1b沙", CONTROL),
    ("tester_name", "李\u0085四", "李\u0085四", "李\u0085四", CONTROL),
    (
        "tested_at",
        "0001-01-01T00:30",
        "0001-01-01T00:30:00+08:00",
        "0001-01-01 00:30",
        "The time is before 2000-01-01, the earliest plausible date.",
    ),
    (
        "tested_at",
        "1999-12-31T23:59",
        "1999-12-31T23:59:00+08:00",
        "1999-12-31 23:59",
        "The time is before 2000-01-01, the earliest plausible date.",
    ),
    (
        "tested_at",
        local(FUTURE, "%Y-%m-%dT%H:%M"),
        FUTURE.isoformat(),
        local(FUTURE, "%Y-%m-%d %H:%M"),
        "The test time is in the future.",
    ),
    ("stall", "Z99", "Z99", "Z99", "No stall with this booth number in this market."),
]


@pytest.mark.parametrize(("field", "form", "api", "file", "message"), BAD)
def test_the_same_bad_value_gets_the_same_error_on_every_path(rt, field, form, api, file, message):
    assert via_form(rt, **{field: form}).get(field) == [message]
    assert via_api(rt, **{field: api}).get(field) == [message]
    assert via_file(rt, **{field: file}).get(field) == [message]
    assert not TestRecord.objects.exists()


def test_nul_is_refused_on_every_path_and_content_type(rt):
    assert via_form(rt, supplier="a\x00b") == {"supplier": [CONTROL]}
    assert via_file(rt, supplier="a\x00b") == {"supplier": [CONTROL]}
    for content_type in ("application/json", "text/plain", "application/octet-stream"):
        body = json.dumps({"client_record_id": "n", "supplier": "a\x00b"})
        response = rt.p.client("tester").post(API, body, content_type=content_type)
        assert response.status_code == 400, content_type
        assert set(response.json()) == {"detail", "errors"}
    assert not TestRecord.objects.exists()


def test_a_json_body_sent_as_text_plain_is_checked_like_json(rt):
    body = json.dumps(
        {
            "client_record_id": "t1",
            "market": rt.market.credit_code,
            "product": "青菜",
            "item": "有机磷和氨基甲酸酯类农药残留",
            "value": "12.5",
            "tested_at": rt.now.isoformat(),
            "supplier": "甲\x0b批发",
        }
    )
    response = rt.p.client("tester").post(API, body, content_type="text/plain")
    assert 400 <= response.status_code < 500
    assert not TestRecord.objects.filter(supplier__contains="\x0b").exists()


def test_an_infinite_value_is_never_stored_nor_served(rt):
    fields = {
        "client_record_id": "i",
        "market": rt.market.credit_code,
        "product": "青菜",
        "item": "有机磷和氨基甲酸酯类农药残留",
        "value": "1e999",
        "tested_at": rt.now.isoformat(),
    }
    body = json.dumps(fields)[:-1] + ', "batch_kg": Infinity}'
    errors = via_api(rt, raw_body=lambda _data: body)
    assert set(errors) == {"value", "batch_kg"}
    assert not TestRecord.objects.exists()


@pytest.mark.parametrize(("value", "passed"), [("0.30000000000000001", False), ("0.3", True)])
def test_decimals_are_compared_exactly_on_every_path(rt, strict, value, passed):
    assert via_form(rt, item=strict, value=value) == {}
    assert via_api(rt, item=strict, value=value) == {}
    assert via_file(rt, item=strict, value=value) == {}
    stored = TestRecord.objects.filter(item=strict)
    assert stored.count() == 3
    assert set(stored.values_list("passed", flat=True)) == {passed}


def test_a_stated_result_is_checked_against_the_exact_decision_on_every_path(rt, strict):
    message = "The stated result contradicts the measured value under the item's rule."
    bad = {"item": strict, "value": "0.30000000000000001", "result": "pass"}
    assert via_form(rt, **bad)["result"] == [message]
    assert via_api(rt, **bad)["result"] == [message]
    assert via_file(rt, **bad)["result"] == [message]


def test_a_correction_reports_an_unknown_booth_like_an_entry(rt):
    record, _ = services.record_test_result(rt.p.tester, record_data(rt, stall=rt.stall))
    with pytest.raises(ValidationError) as error:
        services.correct_test_record(rt.p.officer, record, {"stall": "Z99"}, "wrong booth")
    assert error.value.message_dict == {
        "stall": ["No stall with this booth number in this market."]
    }
    record.refresh_from_db()
    assert record.stall == rt.stall
    corrected = services.correct_test_record(rt.p.officer, record, {"stall": "A02"}, "booth")
    assert corrected.stall.booth_number == "A02"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"value": "1_000"}, "value", "This value cannot be read under the item's rule."),
        (
            {"tested_at": timezone.now() - timedelta(days=365 * 40)},
            "tested_at",
            "The time is before 2000-01-01, the earliest plausible date.",
        ),
        ({"supplier": "a\x00b"}, "supplier", CONTROL),
    ],
)
def test_a_correction_applies_the_same_rules(rt, data, field, message):
    record, _ = services.record_test_result(rt.p.tester, record_data(rt))
    with pytest.raises(ValidationError) as error:
        services.correct_test_record(rt.p.officer, record, data, "fix")
    assert error.value.message_dict == {field: [message]}


def test_the_earliest_date_is_a_setting(rt, settings):
    from datetime import date

    settings.ZHIZAO_EARLIEST_TEST_DATE = date(2020, 1, 1)
    old = rt.now.replace(year=2019)
    assert via_file(rt, tested_at=local(old, "%Y-%m-%d %H:%M")) == {
        "tested_at": ["The time is before 2020-01-01, the earliest plausible date."]
    }
