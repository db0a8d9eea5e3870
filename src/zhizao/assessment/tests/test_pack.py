"""The evidence pack, on records the tests make: the index lists every item, each item's
workbook holds exactly the drill-down records of its figures, the attached documents are in
the ZIP, and the same snapshot gives the same bytes."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
import zlib
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import load_workbook

from zhizao.assessment import pack, services
from zhizao.assessment.tests import factories
from zhizao.core import figures
from zhizao.incidents.models import Incident

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(personas, evidence_indicators):
    factories.make_records(personas)
    assessment = factories.make_assessment(personas)
    items = {item.number: item for item in assessment.template.items.all()}
    services.score_item(personas.officer, assessment, items["1.1"], Decimal("5.5"), "基本达标")
    services.attach_document(
        personas.officer,
        assessment,
        items["1.1"],
        factories.upload("企业名录.pdf", factories.pdf_bytes()),
    )
    services.attach_document(
        personas.officer,
        assessment,
        items["1.2"],
        factories.upload("事件台账.xlsx", factories.xlsx_bytes()),
    )
    services.attach_document(
        personas.officer,
        assessment,
        items["2"],
        factories.upload("会议纪要.docx", factories.docx_bytes()),
    )
    return assessment


def _build(assessment):
    buffer = io.BytesIO()
    pack.build_pack(assessment, buffer)
    return buffer.getvalue()


def _pdf_text(content, tmp_path):
    path = tmp_path / "index.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_index_lists_every_item_with_points_score_and_figures(assessment, tmp_path):
    archive = zipfile.ZipFile(io.BytesIO(_build(assessment)))
    assert archive.namelist()[0] == "index.pdf"
    text = _pdf_text(archive.read("index.pdf"), tmp_path)
    for item in assessment.template.items.all():
        assert item.title_zh in text, item.number
    assert "5.5" in text  # the entered self-score
    for text_ in ("zz_assess.organizations", "incidents.major", "企业名录.pdf", "会议纪要.docx"):
        assert text_ in text


def test_each_items_workbook_holds_exactly_the_records_of_its_figures(assessment):
    archive = zipfile.ZipFile(io.BytesIO(_build(assessment)))
    stored = {row.code: row for row in assessment.snapshot.figures.all()}
    cases = {
        "1.1 企业质量主体/records.xlsx": (
            "zz_assess.organizations",
            "name",
            factories.organizations,
        ),
        "1.2 质量安全事件/records.xlsx": ("incidents.major", "title", None),
    }
    for name, (code, _field, _records) in cases.items():
        workbook = load_workbook(io.BytesIO(archive.read(name)), read_only=True)
        assert len(workbook.sheetnames) == 1
        rows = list(workbook[workbook.sheetnames[0]].iter_rows(values_only=True))
        indicator = figures.get(code)
        with translation.override("zh-hans"):  # the pack is always in Chinese
            assert rows[0] == tuple(str(column.heading) for column in indicator.columns)
        expected = indicator.records(assessment.region, assessment.year)
        assert len(rows) - 1 == stored[code].records == expected.count()
        if code == "incidents.major":
            assert sorted(row[2] for row in rows[1:]) == sorted(
                Incident.objects.values_list("title", flat=True)
            )
        else:
            assert sorted(row[1] for row in rows[1:]) == sorted(
                expected.values_list("credit_code", flat=True)
            )
    assert stored["incidents.major"].records == 3


def test_the_attached_documents_are_in_the_zip_byte_for_byte(assessment):
    archive = zipfile.ZipFile(io.BytesIO(_build(assessment)))
    assert archive.read("1.1 企业质量主体/documents/企业名录.pdf") == factories.pdf_bytes()
    assert archive.read("1.2 质量安全事件/documents/事件台账.xlsx") == factories.xlsx_bytes()
    assert archive.read("2 质量工作机制/documents/会议纪要.docx") == factories.docx_bytes()
    folders = [name for name in archive.namelist() if name.endswith("/") and name.count("/") == 1]
    assert folders == ["1 质量基础/", "1.1 企业质量主体/", "1.2 质量安全事件/", "2 质量工作机制/"]


def test_the_same_snapshot_gives_byte_identical_packs(assessment, tmp_path):
    first = _build(assessment)
    second = _build(assessment)
    assert first == second
    # and every file in it, the index PDF included
    one, two = zipfile.ZipFile(io.BytesIO(first)), zipfile.ZipFile(io.BytesIO(second))
    for name in one.namelist():
        assert one.read(name) == two.read(name), name
    moment = pack.fixed_time(assessment)
    assert {info.date_time[:5] for info in one.infolist()} == {
        (moment.year, moment.month, moment.day, moment.hour, moment.minute)
    }
    # The index PDF is dated the snapshot's time (WeasyPrint's metadata from dcterms.*).
    streams = re.findall(rb"stream\r?\n(.*?)\nendstream", one.read("index.pdf"), re.S)
    info = b"".join(_inflate(stream) for stream in streams)
    stamp = moment.strftime("D:%Y%m%d%H%M%S").encode()
    assert b"/CreationDate (" + stamp in info
    assert b"/ModDate (" + stamp in info
    # The workbooks' own properties are that time too.
    workbook = load_workbook(io.BytesIO(one.read("1.1 企业质量主体/records.xlsx")))
    assert workbook.properties.created == moment.replace(tzinfo=None)
    assert workbook.properties.modified == moment.replace(tzinfo=None)


def _inflate(data):
    try:
        return zlib.decompress(data)
    except zlib.error:
        return b""
