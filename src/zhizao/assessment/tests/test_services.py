"""Templates and assessments through their services, on records the tests make: who may act,
what is refused (and why), the audit trail, the copy of a template, the suggested score and
the evidence-pack command."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from zhizao.assessment import evidence, services
from zhizao.assessment.models import AssessmentDocument, AssessmentTemplate, Item, ItemScore
from zhizao.assessment.tests import factories
from zhizao.core.choices import JobState
from zhizao.core.models import Job
from zhizao.core.testing import run_queued_tasks

pytestmark = pytest.mark.django_db

OUTSIDERS = (
    "district_officer",
    "alice",
    "bob",
    "tester",
    "provider",
    "assessor",
    "committee",
    "clerk",
)


@pytest.fixture
def assessment(personas, evidence_indicators):
    factories.make_records(personas)
    return factories.make_assessment(personas)


def _item(assessment, number):
    return assessment.template.items.get(number=number)


def test_only_staff_of_the_region_may_score_or_attach(personas, assessment):
    item = _item(assessment, "1.1")
    for name in OUTSIDERS:
        with pytest.raises(PermissionDenied):
            services.score_item(getattr(personas, name), assessment, item, Decimal(1))
        with pytest.raises(PermissionDenied):
            services.attach_document(
                getattr(personas, name),
                assessment,
                item,
                factories.upload("a.pdf", factories.pdf_bytes()),
            )
    assert not ItemScore.objects.exists()
    assert not AssessmentDocument.objects.exists()
    with pytest.raises(PermissionDenied):
        services.create_template(personas.district_officer, 2022, "区县不能建模板")
    with pytest.raises(PermissionDenied):
        services.open_assessment(personas.district_officer, assessment.template, personas.city)


def test_a_score_is_audited_and_may_not_exceed_the_items_points(personas, assessment):
    item = _item(assessment, "1.1")
    score = services.score_item(personas.officer, assessment, item, Decimal("5.5"), "基本达标")
    row = score.history.latest()
    assert (row.history_user, row.self_score) == (personas.officer, Decimal("5.5"))
    with pytest.raises(ValidationError, match="between 0 and 6 points"):
        services.score_item(personas.officer, assessment, item, Decimal("6.5"))
    assert ItemScore.objects.get().self_score == Decimal("5.5")


def test_the_rules_suggest_a_score_and_sections_add_up(personas, assessment):
    rows = {row.item.number: row for row in evidence.item_evidence(assessment)}
    # 1.1: at least 5 organizations (there are 10: five made + the personas'): met, 6 points.
    assert rows["1.1"].figures[0].met is True
    assert rows["1.1"].suggested == Decimal("6.00")
    # 1.2: no major incident — three were recorded: not met.
    assert rows["1.2"].figures[0].met is False
    assert rows["1.2"].suggested == Decimal("0.00")
    assert rows["2"].suggested is None  # no ruled figure
    services.score_item(personas.officer, assessment, _item(assessment, "1.1"), Decimal(6))
    services.score_item(personas.officer, assessment, _item(assessment, "1.2"), Decimal(1))
    rows = {row.item.number: row for row in evidence.item_evidence(assessment)}
    assert rows["1"].self_score == Decimal(7)
    points, total = evidence.totals(list(rows.values()))
    assert (points, total) == (Decimal(15), Decimal(7))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("报告.pdf", b"MZ\x90\x00 not a pdf", "is not a PDF file"),
        ("报告.docx", b"MZ\x90\x00 an executable", "is not a PDF, DOCX or XLSX file"),
        ("报告.docx", b"PK\x03\x04 broken zip", "is not a PDF, DOCX or XLSX file"),
        ("表格.xlsx", None, "is a docx file: its name must end in .docx"),
        ("纪要.docx", "pdf", "the file name must end in .pdf"),
        ("压缩包.zip", "zip", "is not a PDF, DOCX or XLSX file"),
    ],
)
def test_a_bad_document_is_refused_with_a_clear_message(
    personas, assessment, name, content, message
):
    if content is None:
        content = factories.docx_bytes()
    elif content == "pdf":
        content = factories.pdf_bytes()
    elif content == "zip":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("readme.txt", "not an office file")
        content = buffer.getvalue()
    with pytest.raises(ValidationError, match=message) as refused:
        services.attach_document(
            personas.officer, assessment, _item(assessment, "1.1"), factories.upload(name, content)
        )
    assert name in str(refused.value)
    assert not AssessmentDocument.objects.exists()


def test_documents_are_sniffed_by_content_and_stored_outside_the_web_root(
    personas, assessment, settings
):
    item = _item(assessment, "2")
    kinds = [
        services.attach_document(
            personas.officer, assessment, item, factories.upload(name, content)
        ).kind
        for name, content in (
            ("a.pdf", factories.pdf_bytes()),
            ("b.docx", factories.docx_bytes()),
            ("c.xlsx", factories.xlsx_bytes()),
        )
    ]
    assert kinds == ["pdf", "docx", "xlsx"]
    stored = AssessmentDocument.objects.get(kind="docx")
    assert stored.file.path.startswith(str(settings.MEDIA_ROOT))
    # a random name, never the uploaded one
    assert re.fullmatch(rf"assessment/{assessment.pk}/[0-9a-f]{{32}}\.docx", str(stored.file.name))
    assert stored.history.latest().history_user == personas.officer


def test_a_template_is_copied_with_its_items_indicators_and_documents(personas, assessment):
    source = assessment.template
    copy = services.copy_template(personas.officer, source, 2022)
    assert (copy.year, copy.name, copy.copied_from) == (2022, source.name, source)
    old = [
        (
            i.number,
            i.title_zh,
            i.points,
            i.required_documents,
            i.parent.number if i.parent else None,
            [str(m) for m in i.indicators.all()],
        )
        for i in source.items.order_by("sort_key")
    ]
    new = [
        (
            i.number,
            i.title_zh,
            i.points,
            i.required_documents,
            i.parent.number if i.parent else None,
            [str(m) for m in i.indicators.all()],
        )
        for i in copy.items.order_by("sort_key")
    ]
    assert new == old
    assert len(new) == 4
    assert copy.history.latest().history_user == personas.officer
    with pytest.raises(ValidationError, match="exists already"):
        services.copy_template(personas.officer, source, 2022)


def test_item_numbers_and_indicator_lines_are_checked(personas):
    template = services.create_template(personas.officer, 2021, "编号检查")
    with pytest.raises(ValidationError, match="Item 3 does not exist"):
        services.save_item(
            personas.officer, template, {"number": "3.2", "title_zh": "子项", "points": Decimal(1)}
        )
    with pytest.raises(ValidationError, match=r"e\.g\. 3 or 3\.2"):
        services.save_item(
            personas.officer, template, {"number": "三", "title_zh": "子项", "points": Decimal(1)}
        )
    with pytest.raises(ValidationError) as refused:
        services.parse_mappings(
            "incidents.major <= 0\nno.such.code\nincidents.major >= x\nincidents.major"
        )
    messages = refused.value.message_dict["indicators"]
    assert any("Line 2: no.such.code is not a registered indicator" in m for m in messages)
    assert any("Line 3: x is not a number" in m for m in messages)
    assert any("Line 4: incidents.major is named twice" in m for m in messages)
    for number in ("3", "3.10", "3.2"):
        services.save_item(
            personas.officer,
            template,
            {"number": number, "title_zh": f"第{number}项", "points": Decimal(1)},
        )
    assert list(template.items.order_by("sort_key").values_list("number", flat=True)) == [
        "3",
        "3.2",
        "3.10",
    ]


def test_an_assessment_needs_a_finished_snapshot_of_its_year(personas):
    template = services.create_template(personas.officer, 2019, "无快照")
    with pytest.raises(ValidationError, match="no snapshot"):
        services.open_assessment(personas.officer, template, personas.city)


def test_the_command_writes_the_pack(personas, assessment, tmp_path):
    target = tmp_path / "pack.zip"
    out = io.StringIO()
    call_command(
        "evidence_pack",
        "--city",
        personas.city.name,
        "--year",
        "2021",
        "-o",
        str(target),
        stdout=out,
    )
    assert "4 items, 2 figures" in out.getvalue()
    names = zipfile.ZipFile(target).namelist()
    assert names[0] == "index.pdf"
    assert "1.1 企业质量主体/records.xlsx" in names


def test_the_background_job_builds_the_same_pack(
    personas, assessment, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_pack(personas.officer, assessment)
    run_queued_tasks()
    job = Job.objects.get(pk=job.pk)
    assert job.state == JobState.DONE, job.errors
    direct = io.BytesIO()
    from zhizao.assessment import pack

    pack.build_pack(assessment, direct)
    with job.result.open("rb") as handle:
        assert handle.read() == direct.getvalue()
    assert (
        job.rows_written
        == assessment.snapshot.figures.get(code="zz_assess.organizations").records + 3
    )
    with pytest.raises(PermissionDenied):
        services.start_pack(personas.district_officer, assessment)
    assert AssessmentTemplate.objects.count() == 1
    assert Item.objects.count() == 4
