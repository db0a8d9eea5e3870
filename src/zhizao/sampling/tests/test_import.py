"""Import of a lab's results: one row per item, all or nothing, every problem with its row and
column in the user's language; CSV (UTF-8 or GB18030) and XLSX."""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from openpyxl import Workbook

from zhizao.core.tabular import ImportRefused
from zhizao.sampling import importing
from zhizao.sampling.choices import Verdict
from zhizao.sampling.models import NonConformityCase, SampledBatch, TestItem

pytestmark = pytest.mark.django_db

HEADER = (
    "报告编号,产品类别,生产者统一社会信用代码,销售者统一社会信用代码,产品名称,抽样日期,"
    "检验依据,检验项目,检验结果,标准要求,单位,单项判定"
)


def _rows(smp, *rows):
    day = smp.today.isoformat()
    a, b = smp.p.org_a.credit_code, smp.p.org_b.credit_code
    lines = [HEADER]
    for row in rows:
        lines.append(row.format(a=a, b=b, day=day))
    return "\n".join(lines) + "\n"


GOOD = (
    "R1,儿童玩具,{a},{b},积木,{day},GB 6675.1-2014,可迁移元素铅,0.1,≤0.5,mg/kg,",
    "R1,儿童玩具,{a},{b},积木,{day},GB 6675.1-2014,标签,,,,合格",
    "R2,家用电器,{b},,电水壶,{day},,泄漏电流,0.9,≤0.75,mA,",
)


def test_a_good_file_imports_batches_with_their_items(smp):
    summary = importing.run(
        smp.p.officer, smp.plan, io.BytesIO(_rows(smp, *GOOD).encode()), "r.csv"
    )
    assert (len(summary.batches), summary.failed) == (2, 1)
    r1 = SampledBatch.objects.get(report_number="R1")
    assert (r1.verdict, r1.items.count(), r1.seller) == (Verdict.PASS, 2, smp.p.org_b)
    r2 = SampledBatch.objects.get(report_number="R2")
    assert r2.verdict == Verdict.FAIL
    assert r2.region == smp.p.shifeng
    assert NonConformityCase.objects.get().batch == r2


def test_a_gb18030_csv_imports(smp):
    content = _rows(smp, *GOOD).encode("gb18030")
    importing.run(smp.p.officer, smp.plan, io.BytesIO(content), "r.csv")
    assert SampledBatch.objects.count() == 2


def test_bad_rows_are_listed_and_nothing_is_saved(smp):
    text = _rows(
        smp,
        GOOD[0],
        "R1,儿童玩具,{a},{b},积木二,{day},GB 6675.1-2014,标签,,,,合格",  # product differs
        "R3,儿童玩具,91430200MA4L000000,,积木,{day},,铅,0.1,≤0.5,,",  # unknown producer
        "R4,儿童玩具,{a},,积木,2021-13-01,,铅,0.1,≤0.5,,",  # bad date
        "R5,儿童玩具,{a},,积木,{day},,铅,0.9,≤0.5,,合格",  # verdict contradicts the value
        "R6,儿童玩具,{a},,积木,{day},XX 1,铅,0.1,≤0.5,,",  # not a standard code
    )
    with pytest.raises(ImportRefused) as refused:
        importing.run(smp.p.officer, smp.plan, io.BytesIO(text.encode()), "r.csv")
    found = {(p.row, p.column) for p in refused.value.problems}
    assert (3, "产品名称") in found
    assert (4, "生产者统一社会信用代码") in found
    assert (5, "抽样日期") in found
    assert (6, "单项判定") in found
    assert (7, "检验依据") in found
    assert not SampledBatch.objects.exists()
    assert not TestItem.objects.exists()
    messages = {p.row: str(p) for p in refused.value.problems}
    assert messages[5] == "Row 5, 抽样日期: Write the date as YYYY-MM-DD."


def test_problems_are_in_the_users_language(smp):
    text = _rows(smp, "R4,儿童玩具,{a},,积木,2021-13-01,,铅,0.1,≤0.5,,")
    with translation.override("zh-hans"):
        with pytest.raises(ImportRefused) as refused:
            importing.run(smp.p.officer, smp.plan, io.BytesIO(text.encode()), "r.csv")
        assert str(refused.value.problems[0]) == "第 2 行，抽样日期：日期请写作 YYYY-MM-DD。"


def test_a_file_with_an_unknown_or_missing_column_is_refused(smp):
    text = "报告编号,颜色\nR1,红\n"
    with pytest.raises(ImportRefused) as refused:
        importing.run(smp.p.officer, smp.plan, io.BytesIO(text.encode()), "r.csv")
    problems = refused.value.problems
    assert any(p.column == "颜色" and "Unknown column" in p.message for p in problems)
    assert any(p.column == "检验项目" and "missing" in p.message for p in problems)


def test_xlsx_imports_and_a_broken_workbook_is_refused(smp):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    for row in GOOD:
        sheet.append(
            row.format(
                a=smp.p.org_a.credit_code, b=smp.p.org_b.credit_code, day=smp.today.isoformat()
            ).split(",")
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    summary = importing.run(smp.p.officer, smp.plan, buffer, "r.xlsx")
    assert len(summary.batches) == 2
    with pytest.raises(ImportRefused, match="not a readable XLSX"):
        importing.run(smp.p.officer, smp.plan, io.BytesIO(b"not a zip"), "r.xlsx")


def test_the_upload_page_lists_the_problems(smp):
    client = smp.p.client("officer")
    text = _rows(smp, GOOD[0], "R4,儿童玩具,{a},,积木,2021-13-01,,铅,0.1,≤0.5,,")
    upload = io.BytesIO(text.encode())
    upload.name = "r.csv"
    response = client.post("/sampling/upload/", {"plan": smp.plan.pk, "file": upload})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Nothing was saved" in body
    assert "Write the date as YYYY-MM-DD." in body
    assert not SampledBatch.objects.exists()
