"""Exports neutralise formulas (OWASP CSV injection) and survive stored control characters."""

import csv
import io

import pytest
from openpyxl import load_workbook

from zhizao.core.exports import safe_cell
from zhizao.rapidtest import services
from zhizao.rapidtest.models import TestRecord
from zhizao.rapidtest.tests.conftest import record_data

pytestmark = pytest.mark.django_db

FORMULAS = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example","x")',
    "+1+2",
    "-2+3",
    "@SUM(A1)",
]


@pytest.mark.parametrize("value", [*FORMULAS, "\tx", "\rx"])
def test_a_cell_that_starts_like_a_formula_gets_a_quote(value):
    assert safe_cell(value) == "'" + value
    assert safe_cell(value, xlsx=True).startswith("'")


@pytest.mark.parametrize("value", ["青菜", "a=b", "", 12.5, -3, None])
def test_other_cells_are_written_as_they_are(value):
    assert safe_cell(value) == value


@pytest.fixture
def hostile(rt):
    """Records whose stored texts (written behind the services' back, as old data may be) hold
    formulas and a control character."""
    records = []
    for index, supplier in enumerate(FORMULAS):
        record, _ = services.record_test_result(
            rt.p.tester, record_data(rt, client_record_id=f"x{index}")
        )
        records.append(record)
        TestRecord.objects.filter(pk=record.pk).update(supplier=supplier, origin="长\x0b沙")
    rt.market.name = "=1+1 市场"
    rt.market.save()
    return records


def test_records_csv_export_neutralises_formulas(rt, hostile):
    response = rt.p.client("officer").get("/rapidtest/records/?export=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    header = rows[0]
    suppliers = sorted(row[header.index("Supplier")] for row in rows[1:])
    assert suppliers == sorted("'" + value for value in FORMULAS)
    assert {row[header.index("Market")] for row in rows[1:]} == {"'=1+1 市场"}


def test_records_xlsx_export_writes_text_not_formulas_and_survives_control_characters(rt, hostile):
    response = rt.p.client("officer").get("/rapidtest/records/?export=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    cells = [row[header.index("Supplier")] for row in rows[1:]]
    assert sorted(cells) == sorted("'" + value for value in FORMULAS)
    for row in sheet.iter_rows(min_row=2):
        assert row[header.index("Supplier")].data_type == "s"  # a string, never a formula
    assert {row[header.index("Origin")] for row in rows[1:]} == {"长\ufffd沙"}


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_dashboard_exports_neutralise_formulas(rt, hostile, kind):
    response = rt.p.client("officer").get(f"/rapidtest/dashboard/?export={kind}&table=market")
    assert response.status_code == 200
    if kind == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][0] == "'=1+1 市场"
