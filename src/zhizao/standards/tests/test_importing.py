"""Importing standards from CSV and XLSX: all or nothing, every bad row and field listed."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation
from openpyxl import Workbook

from zhizao.standards.importing import ImportRefused, import_standards
from zhizao.standards.models import Standard, StandardDrafter

pytestmark = pytest.mark.django_db

HEADER_ZH = "标准编号,标准名称,发布日期,实施日期,制定或修订,主导单位,参与单位,被代替为,废止日期\n"


def csv_file(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode("utf-8-sig"))


def good_csv() -> io.BytesIO:
    return csv_file(
        HEADER_ZH
        + "GB 3095-2012,环境空气质量标准,2012-02-29,2016-01-01,修订,,,GB 3095-2026,\n"
        + "ＧＢ　３０９５—２０２６,环境空气质量标准,2026-02-13,2026-03-01,修订,,,,\n"
        + "DB43/T 1234—2020,示例地方标准,2020/06/01,2020.09.01,制定,"
        + "甲测试企业有限公司,乙测试企业有限公司,,\n"
        + "HJ/T 91-2002,地表水和污水监测技术规范,2002-12-25,2003-01-01,,,,,2020-01-01\n"
    )


def test_csv_import_with_chinese_headers(personas: Any) -> None:
    summary = import_standards(personas.officer, good_csv(), "standards.csv")
    assert (summary.created, summary.updated, summary.drafters) == (4, 0, 2)
    old = Standard.objects.get(code="GB 3095-2012")
    new = Standard.objects.get(code="GB 3095-2026")
    assert (old.status, old.superseded_by) == ("superseded", new)
    assert (old.published_on, old.implemented_on) == (dt.date(2012, 2, 29), dt.date(2016, 1, 1))
    local = Standard.objects.get(code="DB43/T 1234-2020")
    assert (local.level, local.revision, local.implemented_on) == (
        "local", "new", dt.date(2020, 9, 1)
    )  # fmt: skip
    roles = dict(local.drafters.values_list("organization__name", "role"))
    assert roles == {"甲测试企业有限公司": "led", "乙测试企业有限公司": "participated"}
    withdrawn = Standard.objects.get(code="HJ/T 91-2002")
    assert (withdrawn.status, withdrawn.withdrawn_on) == ("withdrawn", dt.date(2020, 1, 1))
    assert new.history.first().history_user == personas.officer

    again = import_standards(personas.officer, good_csv(), "standards.csv")  # idempotent
    assert (again.created, again.updated) == (0, 4)
    assert Standard.objects.count() == 4
    assert StandardDrafter.objects.count() == 2


def test_xlsx_import_with_english_headers_and_excel_dates(personas: Any) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["code", "title", "title_en", "published_on", "led"])
    sheet.append(["ISO/IEC 17025:2017", "检测和校准实验室能力的通用要求", "General requirements",
                  dt.datetime(2017, 11, 1), None])  # fmt: skip
    sheet.append(["T/CAS 123-2019", "示例团体标准", "", dt.date(2019, 5, 1), "甲测试企业有限公司"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    summary = import_standards(personas.officer, buffer, "Standards.XLSX")
    assert (summary.created, summary.drafters) == (2, 1)
    iso = Standard.objects.get(code="ISO/IEC 17025:2017")
    assert (iso.level, iso.published_on, iso.title_en) == (
        "international", dt.date(2017, 11, 1), "General requirements"
    )  # fmt: skip


def test_bad_rows_are_all_listed_and_nothing_is_written(personas: Any) -> None:
    file = csv_file(
        HEADER_ZH
        + "GB 5749-2022,生活饮用水卫生标准,2022-03-15,2023-04-01,,,,,\n"  # good: row 2
        + "DB99/T 1-2020,坏的编号,,,,,,,\n"  # row 3
        + "GB 5749—2022,重复,,,,,,,\n"  # row 4: the same edition as row 2
        + "GB 18918-2002,,2002-12-24,2003-07-01,,,,,\n"  # row 5: no title
        + "GB 3838-2002,地表水环境质量标准,2002-04-28,2002-01-01,,,,,\n"  # row 6: dates
        + "GB 8978-1996,污水综合排放标准,1996年,,重订,无此单位,,,\n"  # row 7: date, word, org
        + "GB 16297-1996,大气污染物综合排放标准,,,,,,GB 16297-2099,\n"  # row 8: successor
    )
    with pytest.raises(ImportRefused) as refused:
        import_standards(personas.officer, file, "standards.csv")
    found = {(problem.row, problem.column) for problem in refused.value.problems}
    assert found == {
        (3, "标准编号"),
        (4, "标准编号"),
        (5, "标准名称"),
        (6, "实施日期"),
        (7, "发布日期"),
        (7, "制定或修订"),
        (8, "被代替为"),
    }
    messages = {problem.row: problem.message for problem in refused.value.problems}
    assert "is not a province" in messages[3]
    assert "already on row 2" in messages[4]
    assert "later than this year" in messages[8]
    assert not Standard.objects.exists()
    assert not StandardDrafter.objects.exists()


def test_unknown_and_foreign_organizations_are_refused(personas: Any) -> None:
    file = csv_file(
        "code,title,led,participated\nGB 5749-2022,生活饮用水卫生标准,无此单位,乙测试企业有限公司\n"
    )
    with pytest.raises(ImportRefused) as refused:
        import_standards(personas.district_officer, file, "s.csv")
    messages = [str(problem) for problem in refused.value.problems]
    assert messages == [
        "Row 2, led: No registered organization is named 无此单位.",
        "Row 2, participated: 乙测试企业有限公司 is outside your region.",
    ]
    assert not Standard.objects.exists()


def test_header_problems(personas: Any) -> None:
    with pytest.raises(ImportRefused) as refused:
        import_standards(personas.officer, csv_file("code,colour\nGB 5749-2022,red\n"), "s.csv")
    assert [(p.row, p.column) for p in refused.value.problems] == [(1, "colour"), (1, "标准名称")]
    with pytest.raises(ImportRefused, match="no rows"):
        import_standards(personas.officer, csv_file("code,title\n"), "s.csv")
    with pytest.raises(ImportRefused, match="neither UTF-8 nor GB18030"):
        import_standards(personas.officer, io.BytesIO(b"\x80\xff\xfe code"), "s.csv")
    with pytest.raises(ImportRefused, match="not a readable XLSX"):
        import_standards(personas.officer, io.BytesIO(b"not a zip"), "s.xlsx")


def test_problems_in_chinese(personas: Any) -> None:
    file = csv_file("标准编号,标准名称\nXY 1-2000,示例\n")
    with translation.override("zh-hans"):
        with pytest.raises(ImportRefused) as refused:
            import_standards(personas.officer, file, "s.csv")
        assert str(refused.value.problems[0]).startswith("第 2 行，标准编号：未知的标准代号“XY”")


def test_only_staff_import(personas: Any) -> None:
    with pytest.raises(PermissionDenied):
        import_standards(personas.alice, good_csv(), "s.csv")


def test_import_command(personas: Any, tmp_path: Any, capsys: Any) -> None:
    from django.core.management import CommandError, call_command

    good = tmp_path / "standards.csv"
    good.write_bytes(good_csv().getvalue())
    call_command("import_standards", str(good), "--synthetic")
    assert "created 4, updated 0, drafters 2" in capsys.readouterr().out
    assert Standard.objects.filter(is_synthetic=True).count() == 4
    # an import job acts as the named system actor (decision 0004), never as None
    writer = Standard.objects.get(code="GB 3095-2026").history.first().history_user
    assert getattr(writer, "username", None) == "system"
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_file("code,title\nXY 1-2000,x\n").getvalue())
    with pytest.raises(CommandError, match="nothing imported: 1 problem"):
        call_command("import_standards", str(bad))
    assert "Row 2, code: unknown body 'XY'" in capsys.readouterr().err
