"""Property tests of the importer (issue 10): whatever the file — UTF-8, UTF-8 with a BOM or
GB18030, ragged rows, a workbook with a stale ``<dimension>``, control characters, impossible
dates — the import writes every row or none, reports each bad cell with its row and column,
and never raises."""

import csv
import io
import re
import zipfile
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from zhizao.rapidtest import services
from zhizao.rapidtest.importing import template_headers
from zhizao.rapidtest.models import (
    FollowUpCase,
    ImportBatch,
    MarketMonthRollup,
    MonthlyRollup,
    TestRecord,
)
from zhizao.rapidtest.validation import COLUMNS

pytestmark = pytest.mark.django_db

NAMES = list(COLUMNS)
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ENCODINGS = ("utf-8", "utf-8-sig", "gb18030")


def good_row(index, tested):
    cells = dict.fromkeys(NAMES, "")
    cells.update(
        record_id=f"p{index}",
        booth="A01" if index % 2 else "",
        product="青菜",
        item="有机磷和氨基甲酸酯类农药残留",
        tested_at=tested,
        value=str(10 + index % 80),
        supplier="株洲甲批发",
        batch_kg="25.5",
    )
    return cells


# One defect per bad row: (column it is reported on, cell value).
DEFECTS = {
    "nul": ("supplier", "甲\x00批发"),
    "vertical tab": ("origin", "长\x0b沙"),
    "escape": ("tester", "李\x1b四"),
    "c1 control": ("instrument_id", "D\x85-1"),
    "underscore number": ("value", "1_000"),
    "infinite": ("value", "1e999"),
    "nan weight": ("batch_kg", "nan"),
    "year one": ("tested_at", "0001-01-01 00:30"),
    "before 2000": ("tested_at", "1999-12-31 23:59"),
    "far future": ("tested_at", "9999-12-31 23:59"),
    "unknown booth": ("booth", "Z99"),
    "unknown product": ("product", "无此产品"),
}
XLSX_DEFECTS = {k: v for k, v in DEFECTS.items() if not re.search(r"[\x00-\x1f]", v[1])}


def plausible_times():
    """Plausible local test times: from 2000 to an hour ago."""
    return st.datetimes(
        min_value=datetime(2000, 1, 2), max_value=datetime.now() - timedelta(days=1)
    ).map(lambda moment: moment.strftime("%Y-%m-%d %H:%M"))


def plans(defects):
    """Rows to write: each good, or with one known defect."""
    return st.lists(
        st.tuples(st.sampled_from([None, *sorted(defects)]), plausible_times()),
        min_size=1,
        max_size=12,
    )


def build(plan, defects, blanks=()):
    """The file's rows (a blank line before each data row whose index is in ``blanks``) and
    the (row, column) of each defect, numbered as a spreadsheet numbers them."""
    rows: list[list[str]] = []
    expected: set[tuple[int, str]] = set()
    for index, (defect, tested) in enumerate(plan):
        if index in blanks:
            rows.append([])
        cells = good_row(index, tested)
        if defect is not None:
            column, value = defects[defect]
            cells[column] = value
            expected.add((len(rows) + 2, column))
        rows.append([cells[name] for name in NAMES])
    return rows, expected


def csv_file(rows, encoding, ragged=()):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(template_headers("en"))
    for index, cells in enumerate(rows):
        writer.writerow([*cells, "surplus"] if index in ragged else cells)
    return io.BytesIO(buffer.getvalue().encode(encoding))


def xlsx_file(rows, declared_rows):
    """A real workbook whose sheet declares only ``declared_rows`` rows (a stale dimension)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(template_headers("zh-hans"))
    for cells in rows:
        sheet.append(cells)
    saved = io.BytesIO()
    workbook.save(saved)
    rewritten = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(saved.getvalue())) as source,
        zipfile.ZipFile(rewritten, "w") as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                ref = f'<dimension ref="A1:N{declared_rows}"'.encode()
                data = re.sub(rb'<dimension ref="[^"]*"', ref, data)
            target.writestr(info, data)
    rewritten.seek(0)
    return rewritten


def clean():
    FollowUpCase.history.all().delete()
    FollowUpCase.objects.all().delete()
    TestRecord.objects.all().delete()
    ImportBatch.objects.all().delete()
    MonthlyRollup.objects.all().delete()
    MarketMonthRollup.objects.all().delete()


def check_all_or_nothing(outcome, rows, lines=None):
    """Every row stored or none; each error names a row of the file (``lines`` rows below the
    header, blank ones included) and a column. Returns the (row, column) pairs reported."""
    stored = TestRecord.objects.count()
    if outcome.ok:
        assert stored == rows
    else:
        assert stored == 0
        assert not ImportBatch.objects.filter(rows__gt=0).exists()
    for error in outcome.errors:
        assert 1 <= error["row"] <= (lines or rows) + 1
        assert error["column"]
        assert error["message"]
    return {(error["row"], error["column"]) for error in outcome.errors}


@SETTINGS
@given(plan=plans(DEFECTS), encoding=st.sampled_from(ENCODINGS), data=st.data())
def test_a_csv_in_any_encoding_reports_exactly_its_bad_cells(rt, plan, encoding, data):
    clean()
    blanks = data.draw(st.sets(st.integers(0, len(plan) - 1)), label="blank lines before")
    rows, expected = build(plan, DEFECTS, blanks)
    outcome = services.import_test_records(rt.p.tester, csv_file(rows, encoding), file_name="p.csv")
    assert check_all_or_nothing(outcome, len(plan), len(rows)) == expected
    assert outcome.ok == (not expected)


@SETTINGS
@given(plan=plans(DEFECTS), encoding=st.sampled_from(ENCODINGS), data=st.data())
def test_ragged_rows_are_errors_on_their_rows_and_the_rest_keep_their_numbers(
    rt, plan, encoding, data
):
    clean()
    blanks = data.draw(st.sets(st.integers(0, len(plan) - 1)), label="blank lines before")
    rows, expected = build(plan, DEFECTS, blanks)
    data_rows = [index for index, cells in enumerate(rows) if cells]
    ragged = data.draw(st.sets(st.sampled_from(data_rows)), label="ragged rows")
    outcome = services.import_test_records(
        rt.p.tester, csv_file(rows, encoding, ragged), file_name="r.csv"
    )
    reported = check_all_or_nothing(outcome, len(plan), len(rows))
    # A ragged row is reported as such (its cells are not read).
    expected = {(row, column) for row, column in expected if row - 2 not in ragged}
    assert reported == expected | {(index + 2, "—") for index in ragged}


@SETTINGS
@given(plan=plans(XLSX_DEFECTS), data=st.data())
def test_an_xlsx_with_a_stale_dimension_is_read_to_its_last_row(rt, plan, data):
    clean()
    rows, expected = build(plan, XLSX_DEFECTS)
    declared = data.draw(st.integers(1, len(rows) + 1))
    outcome = services.import_test_records(
        rt.p.tester, xlsx_file(rows, declared), file_name="x.xlsx"
    )
    headers = dict(zip(NAMES, template_headers("zh-hans"), strict=True))
    assert check_all_or_nothing(outcome, len(rows)) == {
        (row, headers[column]) for row, column in expected
    }


@SETTINGS
@given(
    cells=st.lists(st.lists(st.text(max_size=12), min_size=0, max_size=16), min_size=1, max_size=6),
    encoding=st.sampled_from(ENCODINGS),
)
def test_any_text_at_all_is_all_or_nothing_and_never_raises(rt, cells, encoding):
    """Arbitrary cells (any characters, any number of them) under the real headers."""
    clean()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(template_headers("en"))
    writer.writerows(cells)
    content = buffer.getvalue().encode(encoding, errors="replace")
    outcome = services.import_test_records(rt.p.tester, io.BytesIO(content), file_name="a.csv")
    check_all_or_nothing(outcome, len(cells))


@SETTINGS
@given(content=st.binary(max_size=300), name=st.sampled_from(["b.csv", "b.xlsx"]))
def test_any_bytes_at_all_never_raise(rt, content, name):
    clean()
    outcome = services.import_test_records(rt.p.tester, io.BytesIO(content), file_name=name)
    assert TestRecord.objects.count() == (outcome.rows if outcome.ok else 0)
    for error in outcome.errors:
        assert error["row"] >= 1
        assert error["column"]
