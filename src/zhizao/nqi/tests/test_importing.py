"""Importing accreditations and scope lines from CSV and XLSX: all or nothing, every bad row and
field listed in both languages; the imported lines are found by the capability search."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import Workbook

from zhizao.nqi import capability, services
from zhizao.nqi.choices import Designation
from zhizao.nqi.importing import import_accreditations
from zhizao.nqi.models import Accreditation, ScopeLine
from zhizao.standards.importing import ImportRefused

pytestmark = pytest.mark.django_db

HEADER_ZH = "机构,认可类型,证书编号,发证日期,有效期至,产品类别,检测参数,标准编号\n"


def csv_file(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode("utf-8-sig"))


@pytest.fixture
def bodies(personas: Any) -> Any:
    for org in (personas.provider_org, personas.org_b):
        services.register_quality_body(
            personas.officer,
            {"organization": org, "designation": Designation.LABORATORY, "turnaround_days": 5},
        )
    return personas


def good_rows(personas: Any) -> str:
    a, b = personas.provider_org.name, personas.org_b.credit_code
    return (
        HEADER_ZH
        + f"{a},cnas_lab,cnas l2001,2020-01-01,2026-12-31,质量管理体系,审核,GB/T 19001—2016\n"
        + f"{a},cnas_lab,CNAS L2001,2020-01-01,2026-12-31,硬质合金,硬度,ＧＢ／Ｔ 3849.1-2015\n"
        + f"{a},资质认定,202012345678,2021/03/01,2027.02.28,硬质合金,密度,GB/T 3850-2015\n"
        + f"{b},CNAS_INSPECTION,CNAS IB0123,2019-05-01,2025-04-30,电梯,载荷试验,GB/T 10059-2009\n"
    )


def test_csv_import_groups_rows_into_accreditations(bodies: Any) -> None:
    personas = bodies
    summary = import_accreditations(personas.officer, csv_file(good_rows(personas)), "a.csv")
    assert (summary.accreditations, summary.scope_lines) == (3, 4)
    lab = Accreditation.objects.get(number="CNAS L2001")
    assert [line.standard_code for line in lab.scope.order_by("pk")] == [
        "GB/T 19001-2016",
        "GB/T 3849.1-2015",
    ]
    assert lab.history.latest().history_user == personas.officer
    found = capability.find("GB/T19001-2016")
    assert [m.line.accreditation.number for m in found] == ["CNAS L2001"]


def test_a_bad_row_refuses_the_whole_file(bodies: Any) -> None:
    personas = bodies
    lab = personas.provider_org.name
    text = (
        good_rows(personas)
        + f"{lab},cnas_lab,CNAS L2002,2020-01-01,2026-12-31,x,y,DB99/T 1-2020\n"
        + "未登记的机构,cnas_lab,CNAS L2003,2020-01-01,2026-12-31,x,y,GB/T 1-2020\n"
        + f"{personas.provider_org.name},iso,CNAS L2004,2020-13-01,2026-12-31,x,y,GB/T 1-2020\n"
        + f"{personas.provider_org.name},cnas_lab,L-12,2020-01-01,2026-12-31,x,y,GB/T 1-2020\n"
    )
    with pytest.raises(ImportRefused) as refused:
        import_accreditations(personas.officer, csv_file(text), "a.csv")
    cells = {(p.row, p.column) for p in refused.value.problems}
    assert {(7, "机构"), (8, "认可类型"), (8, "发证日期")} <= cells
    assert Accreditation.objects.count() == 0
    assert ScopeLine.objects.count() == 0
    # The rows that pass the first checks are checked by the service: the code and number.
    text = good_rows(personas) + (
        f"{lab},cnas_lab,CNAS L2002,2020-01-01,2026-12-31,x,y,DB99/T 1-2020\n"
        f"{personas.provider_org.name},cnas_lab,L-12,2020-01-01,2026-12-31,x,y,GB/T 1-2020\n"
    )
    with pytest.raises(ImportRefused) as refused:
        import_accreditations(personas.officer, csv_file(text), "a.csv")
    by_cell = {(p.row, p.column): p.message for p in refused.value.problems}
    assert (6, "标准编号") in by_cell
    assert "DB99" in by_cell[(6, "标准编号")]
    assert (7, "证书编号") in by_cell
    assert "CNAS L1234" in by_cell[(7, "证书编号")]
    assert Accreditation.objects.count() == 0  # the good rows were rolled back too
    with translation.override("zh-hans"):
        assert str(refused.value.problems[0]).startswith("第 6 行")


def test_xlsx_import_with_english_headers_and_a_region_check(bodies: Any) -> None:
    personas = bodies
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["organization", "scheme", "number", "valid_from", "valid_until",
                  "product_category", "parameter", "standard_code"])  # fmt: skip
    sheet.append([personas.org_b.name, "cnas_lab", "CNAS L3001", "2020-01-01", "2030-01-01",
                  "金属材料", "拉伸", "GB/T 228.1-2021"])  # fmt: skip
    handle = io.BytesIO()
    workbook.save(handle)
    handle.seek(0)
    with pytest.raises(ImportRefused) as refused:  # 乙 is in 石峰区, not 天元区
        import_accreditations(personas.district_officer, handle, "a.xlsx")
    assert refused.value.problems[0].row == 2
    handle.seek(0)
    assert import_accreditations(personas.officer, handle, "a.xlsx").scope_lines == 1
    with pytest.raises(PermissionDenied):
        import_accreditations(personas.alice, csv_file(HEADER_ZH), "a.csv")


def test_the_command_imports_or_refuses(bodies: Any, tmp_path: Any) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(("机构,认可类型\n" + "x,cnas_lab\n").encode())
    with pytest.raises(CommandError, match="nothing imported"):
        call_command("import_accreditations", str(path))
    path.write_bytes(good_rows(bodies).encode("utf-8-sig"))
    out = io.StringIO()
    call_command("import_accreditations", str(path), stdout=out)
    assert "accreditations 3, scope lines 4" in out.getvalue()


def test_the_upload_page_imports_or_lists_the_problems(bodies: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = bodies.client("officer")
    bad = SimpleUploadedFile("a.csv", (HEADER_ZH + "无此机构,cnas_lab,CNAS L1,2020-01-01,"
                                       "2030-01-01,x,y,GB/T 1-2020\n").encode())  # fmt: skip
    page = client.post("/nqi/registers/accreditations/import/", {"file": bad})
    assert page.status_code == 200
    assert "Row 2, 机构" in page.content.decode()
    good = SimpleUploadedFile("a.csv", good_rows(bodies).encode("utf-8-sig"))
    done = client.post("/nqi/registers/accreditations/import/", {"file": good})
    assert done.status_code == 302
    assert Accreditation.objects.count() == 3
