import csv
import io

import pytest
from openpyxl import Workbook

from zhizao.rapidtest import rollups, services
from zhizao.rapidtest.importing import template_headers
from zhizao.rapidtest.models import FollowUpCase, ImportBatch, TestRecord

pytestmark = pytest.mark.django_db

GOOD = [
    [
        "r1",
        "",
        "A01",
        "青菜",
        "有机磷和氨基甲酸酯类农药残留",
        "长沙",
        "甲批发",
        "20",
        "2024-05-01 07:00",
        "2024-05-01 07:30",
        "李四",
        "D-1",
        "12.3",
        "合格",
    ],
    [
        "r2",
        "",
        "",
        "Pork",
        "clenbuterol",
        "",
        "",
        "",
        "",
        "2024-05-02 08:00",
        "",
        "",
        "阳性",
        "不合格",
    ],
    ["", "", "", "草鱼", "孔雀石绿", "", "", "", "", "2024/06/01 09:15", "", "", "negative", ""],
]


def write_csv(rows, language="en"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(template_headers(language)[:14])  # no sample codes
    writer.writerows(rows)
    return io.BytesIO(buffer.getvalue().encode("utf-8-sig"))


def write_xlsx(rows, language="zh-hans"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(template_headers(language)[:14])  # no sample codes
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def test_csv_import_all_rows(rt):
    outcome = services.import_test_records(rt.p.tester, write_csv(GOOD), file_name="t.csv")
    assert outcome.ok, outcome.errors
    assert TestRecord.objects.count() == 3
    assert list(TestRecord.objects.order_by("tested_at").values_list("passed", flat=True)) == [
        True,
        False,
        True,
    ]
    assert TestRecord.objects.get(client_record_id="r1").stall == rt.stall
    assert FollowUpCase.objects.count() == 1
    assert rollups.stored() == rollups.recount()
    batch = ImportBatch.objects.get()
    assert batch.rows == 3
    assert batch.uploaded_by == rt.p.tester
    assert len(batch.sha256) == 64
    # A retried upload of the same file creates nothing new.
    again = services.import_test_records(rt.p.tester, write_csv(GOOD), file_name="t.csv")
    assert again.already_imported
    assert TestRecord.objects.count() == 3


def bad_rows():
    rows = [list(row) for row in GOOD]
    rows.append(
        [
            "r9",
            "",
            "Z99",
            "青菜",
            "有机磷和氨基甲酸酯类农药残留",
            "",
            "",
            "-3",
            "",
            "2024-05-01 07:30",
            "",
            "",
            "75",
            "合格",
        ]
    )
    rows.append(["r1", "", "", "豆腐", "克伦特罗", "", "", "", "", "yesterday", "", "", "x", ""])
    rows.append(
        ["r10", "", "", "猪肉", "孔雀石绿", "", "", "", "", "2024-05-01 07:30", "", "", "阴性", ""]
    )
    return rows


def _check_bad(outcome):
    assert not outcome.ok
    found = {(e["row"], e["column"]) for e in outcome.errors}
    assert TestRecord.objects.count() == 0
    assert ImportBatch.objects.count() == 0
    return found


def test_csv_all_or_nothing_lists_every_bad_row(rt):
    outcome = services.import_test_records(rt.p.tester, write_csv(bad_rows()), file_name="bad.csv")
    found = _check_bad(outcome)
    assert {
        (5, "booth"),
        (5, "batch_kg"),
        (5, "result"),
        (6, "product"),
        (6, "tested_at"),
        (6, "record_id"),
        (7, "item"),
    } <= found
    assert all(error["message"] for error in outcome.errors)


def test_xlsx_all_or_nothing_with_chinese_headers(rt):
    outcome = services.import_test_records(
        rt.p.tester, write_xlsx(bad_rows()), file_name="bad.xlsx"
    )
    found = _check_bad(outcome)
    assert {(5, "摊位号"), (5, "结果"), (6, "产品"), (6, "检测时间"), (7, "检测项目")} <= found
    good = services.import_test_records(rt.p.tester, write_xlsx(GOOD), file_name="good.xlsx")
    assert good.ok, good.errors
    assert TestRecord.objects.count() == 3


def test_import_refuses_other_market(rt):
    rows = [list(GOOD[0])]
    rows[0][1] = rt.other_market.credit_code
    outcome = services.import_test_records(rt.p.tester, write_csv(rows))
    assert [(e["row"], e["column"]) for e in outcome.errors] == [(2, "market_code")]


def test_import_conflicting_stored_record_id(rt):
    services.record_test_result(
        rt.p.tester,
        {
            "market": rt.market,
            "product": rt.greens,
            "item": rt.enzyme,
            "value": "1",
            "tested_at": rt.now,
            "client_record_id": "r1",
        },
    )
    outcome = services.import_test_records(rt.p.tester, write_csv(GOOD))
    assert [(e["row"], e["column"]) for e in outcome.errors] == [(2, "record_id")]
    assert TestRecord.objects.count() == 1


def test_a_lone_carriage_return_in_the_header_line_is_an_error_not_a_crash(rt):
    """Found by the any-bytes property test: Python's csv module refused the header line
    ``a\\rb`` (a server error); Arrow reads the CR as a line end, and so does the header now."""
    outcome = services.import_test_records(rt.p.tester, io.BytesIO(b"a\rb\n1\n"), file_name="x.csv")
    assert not outcome.ok
    assert {error["row"] for error in outcome.errors} == {1}
