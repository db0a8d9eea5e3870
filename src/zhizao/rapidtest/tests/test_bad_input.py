"""Bad input found by probing (issue 10): every one is a 4xx with a clear error — the API's
``{"detail", "errors"}`` body on API paths, a form error on pages — never a server error."""

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

API = "/api/v1/rapidtest"
HUGE = str(2**64 + 5)
NEXT_YEAR = timezone.localdate().year + 1


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"month": "9999-12"}, "month"),
        ({"month": "0001-01"}, "month"),
        ({"month": "0000-01"}, "month"),
        ({"month": "2026-13"}, "month"),
        ({"month": "２０２５-01"}, "month"),  # full-width digits
        ({"year": "0"}, "year"),
        ({"year": "abc"}, "year"),
        ({"market": HUGE}, "market"),
        ({"product": "-1"}, "product"),
        ({"ids": f"1,{HUGE}"}, "ids"),
        ({"ids": "1,x"}, "ids"),
        ({"result": "maybe"}, "result"),
    ],
)
def test_bad_filters_are_a_form_error_on_the_records_page(rt, params, field):
    response = rt.p.client("officer").get(reverse("rapidtest:records"), params)
    assert response.status_code == 400
    assert field in response.context["filter_errors"]
    assert f"<code>{field}</code>" in response.content.decode()
    export = rt.p.client("officer").get(reverse("rapidtest:records"), {**params, "export": "csv"})
    assert export.status_code == 400


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"month": "9999-12"}, "month"),
        ({"month": "0001-01"}, "month"),
        ({"month": "0000-01"}, "month"),
        ({"year": "10000"}, "year"),
        ({"market": HUGE}, "market"),
        ({"ids": f"{HUGE}"}, "ids"),
        ({"ids": "3," * 1001}, "ids"),
    ],
)
def test_bad_filters_are_a_4xx_in_the_apis_shape(rt, params, field):
    response = rt.p.client("officer").get(f"{API}/records", params)
    assert 400 <= response.status_code < 500, response.content
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert field in body["errors"], body


def test_good_filters_still_filter(rt):
    from zhizao.rapidtest import services
    from zhizao.rapidtest.tests.conftest import record_data

    record, _ = services.record_test_result(rt.p.tester, record_data(rt))
    month = record.tested_at.astimezone().strftime("%Y-%m")
    body = rt.p.client("officer").get(f"{API}/records", {"month": month}).json()
    assert body["count"] == 1
    response = rt.p.client("officer").get(reverse("rapidtest:records"), {"ids": str(record.pk)})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 1


# --- Uploads --------------------------------------------------------------------------------


def csv_bytes(rows, *, language="en", encoding="utf-8-sig"):
    import csv
    import io

    from zhizao.rapidtest.importing import template_headers

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(template_headers(language))
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def upload(rt, content, name="tests.csv", language="en"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return rt.p.client("tester").post(
        f"{reverse('rapidtest:upload')}?lang={language}",
        {"file": SimpleUploadedFile(name, content)},
    )


def row(**cells):
    """A file row (English column names) of a passing greens test."""
    from zhizao.rapidtest.validation import COLUMNS

    values = {
        "product": "青菜",
        "item": "有机磷和氨基甲酸酯类农药残留",
        "tested_at": "2024-05-01 07:30",
        "value": "12.5",
        "supplier": "甲批发",
    }
    values.update(cells)
    return [values.get(name, "") for name in COLUMNS]


def problems(response):
    assert response.status_code == 200, response.status_code
    return [(e["row"], e["column"], e["message"]) for e in response.context["outcome"].errors]


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8", "utf-8-sig"])
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_csv_in_utf8_or_gbk_imports_with_either_headers(rt, encoding, language):
    from zhizao.rapidtest.models import TestRecord

    content = csv_bytes(
        [row(supplier="株洲蔬菜批发部"), row(origin="湖南长沙", value="63")],
        language=language,
        encoding=encoding,
    )
    response = upload(rt, content)
    assert response.status_code == 302, problems(response)
    assert sorted(TestRecord.objects.values_list("supplier", flat=True)) == [
        "株洲蔬菜批发部",
        "甲批发",
    ]
    assert TestRecord.objects.filter(origin="湖南长沙", passed=False).count() == 1


def test_a_file_neither_utf8_nor_gb18030_is_refused_not_a_500(rt):
    content = csv_bytes([row()]) + b"\x81\x30\xff\xff,\n"
    [(number, _column, message)] = problems(upload(rt, content))
    assert number == 1
    assert "UTF-8" in message
    assert "GB18030" in message


def test_a_ragged_row_is_an_error_on_that_row(rt):
    from zhizao.rapidtest.models import TestRecord

    rows = [row(), [*row(), "extra"], row(), row()[:-3]]
    found = problems(upload(rt, csv_bytes(rows)))
    assert [(number, message) for number, _c, message in found] == [
        (3, "This row has 16 cells; the header has 15."),
        (5, "This row has 12 cells; the header has 15."),
    ]
    assert not TestRecord.objects.exists()


def test_a_quoted_newline_is_one_row_and_refused_as_a_control_character(rt):
    found = problems(upload(rt, csv_bytes([row(), row(supplier="甲\n批发"), row()])))
    assert found == [
        (3, "supplier", "Control characters (such as U+0000 or U+000B) are not allowed here.")
    ]


@pytest.mark.parametrize(
    ("content", "name"),
    [(b"PK\x03\x04 not a zip at all", "tests.csv"), (b"just text", "tests.xlsx")],
)
def test_a_file_that_is_not_a_workbook_is_refused_not_a_500(rt, content, name):
    [(number, _column, message)] = problems(upload(rt, content, name))
    assert number == 1
    assert message == "This is not a readable XLSX file."


def xlsx_with_dimension(rows, ref):
    """A real XLSX file whose sheet declares ``<dimension ref=…>`` as given (stale)."""
    import io
    import re
    import zipfile

    from openpyxl import Workbook

    from zhizao.rapidtest.importing import template_headers

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(template_headers("zh-hans"))
    for cells in rows:
        sheet.append(cells)
    original = io.BytesIO()
    workbook.save(original)
    rewritten = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(original.getvalue())) as source,
        zipfile.ZipFile(rewritten, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data, count = re.subn(
                    rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), data
                )
                assert count == 1
            target.writestr(info, data)
    return rewritten.getvalue()


def test_xlsx_rows_beyond_a_stale_dimension_are_read(rt):
    from zhizao.rapidtest.models import TestRecord

    content = xlsx_with_dimension([row(record_id=f"d{i}") for i in range(3)], "A1:N2")
    response = upload(rt, content, "stale.xlsx")
    assert response.status_code == 302, problems(response)
    assert sorted(TestRecord.objects.values_list("client_record_id", flat=True)) == [
        "d0",
        "d1",
        "d2",
    ]


def test_xlsx_values_beyond_the_header_are_an_error_on_their_row(rt):
    content = xlsx_with_dimension([row(), [*row(), "surplus"]], "A1:O3")
    found = problems(upload(rt, content, "wide.xlsx"))
    assert [(number, message) for number, _c, message in found] == [
        (3, "This row has values beyond the last column of the header.")
    ]


def test_errors_come_in_chinese_too(rt):
    found = problems(upload(rt, csv_bytes([row(tested_at="0001-01-01 00:30")]), language="zh-hans"))
    assert found == [(2, "tested_at", "该时间早于可信的最早日期 2000-01-01。")]
    body = rt.p.client("officer").get(f"{API}/records", {"month": "0001-01", "lang": "zh-hans"})
    assert body.json()["errors"]["month"] == [
        f"请按 YYYY-MM 填写月份，范围为 2000-01 至 {NEXT_YEAR}-12。"
    ]


def test_case_forms_refuse_control_characters_but_allow_newlines_in_notes(rt):
    from zhizao.rapidtest import services
    from zhizao.rapidtest.models import FollowUpCase
    from zhizao.rapidtest.tests.conftest import record_data

    record, _ = services.record_test_result(rt.p.tester, record_data(rt, value="80"))
    url = reverse("rapidtest:case_detail", args=[record.case.pk])
    tester = rt.p.client("tester")
    response = tester.post(url, {"lab_name": "株洲\x0b检测", "lab_result": ""})
    assert response.status_code == 200
    assert "lab_name" in response.context["form"].errors
    assert FollowUpCase.objects.get(pk=record.case.pk).lab_name == ""
    response = tester.post(url, {"trace_note": "第一行\r\n第二行\t完", "lab_result": ""})
    assert response.status_code == 302
    assert FollowUpCase.objects.get(pk=record.case.pk).trace_note == "第一行\r\n第二行\t完"
