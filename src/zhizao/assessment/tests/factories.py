"""Records the assessment tests make: a test indicator over organizations (its records are the
organizations of the region), incidents (the registered ``incidents.major``), a template with
items mapped to both, a snapshot and an assessment; real PDF, DOCX and XLSX files."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from functools import cache

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhizao.assessment import services
from zhizao.assessment.models import Assessment, AssessmentTemplate
from zhizao.core import figures
from zhizao.core.actors import acting_as, system_actor
from zhizao.core.figures import Column, Direction, Indicator, Period
from zhizao.core.models import Organization, Region, User
from zhizao.core.testing import Personas, make_organization
from zhizao.incidents import services as incidents
from zhizao.incidents.choices import Domain
from zhizao.reports import services as reports
from zhizao.reports.choices import SnapshotState
from zhizao.reports.models import Snapshot


def organizations(region: Region, year: int):  # type: ignore[no-untyped-def]
    return Organization.objects.filter(figures.in_region(region, "region")).order_by("name")


ORGANIZATIONS = Indicator(
    code="zz_assess.organizations",
    name=("测试组织数", "Test organizations"),
    definition=("区域内组织数。", "Organizations in the region."),
    unit="家",
    standard="test",
    direction=Direction.HIGHER,
    period=Period.CUMULATIVE,
    measure=lambda region, year: figures.counted(organizations(region, year)),
    records=organizations,
    columns=(
        Column("名称 name", "name"),
        Column("统一社会信用代码 credit code", "credit_code"),
        Column("区域 region", "region__name"),
    ),
    select_related=("region",),
)


def make_records(p: Personas, organizations_: int = 5, incidents_: int = 3) -> None:
    """Organizations in the city (beside the personas' own) and major food incidents of 2021."""
    for number in range(organizations_):
        make_organization(f"考核测试企业{number:02d}有限公司", p.tianyuan)
    for number in range(incidents_):
        incidents.record_incident(
            p.officer,
            domain=Domain.FOOD,
            title=f"测试重大事件{number}",
            occurred_on=dt.date(2021, 3, number + 1),
            region=p.tianyuan,
            deaths=12,
        )


def make_template(
    actor: User, year: int = 2021, first: str = "zz_assess.organizations >= 5"
) -> AssessmentTemplate:
    """Items 1 (1.1 mapped to ``first``, 1.2 to incidents.major) and 2."""
    template = services.create_template(actor, year, "测试考核细则")
    services.save_item(
        actor,
        template,
        {
            "number": "1",
            "title_zh": "质量基础",
            "title_en": "Quality foundation",
            "points": Decimal(10),
        },
    )
    services.save_item(
        actor,
        template,
        {
            "number": "1.1",
            "title_zh": "企业质量主体",
            "title_en": "Enterprises",
            "points": Decimal(6),
            "required_documents": "企业名录",
        },
        services.parse_mappings(first),
    )
    services.save_item(
        actor,
        template,
        {
            "number": "1.2",
            "title_zh": "质量安全事件",
            "title_en": "Incidents",
            "points": Decimal(4),
        },
        services.parse_mappings("incidents.major <= 0"),
    )
    services.save_item(
        actor,
        template,
        {"number": "2", "title_zh": "质量工作机制", "title_en": "Mechanisms", "points": Decimal(5)},
    )
    return template


def done_snapshot(region: Region, year: int = 2021) -> Snapshot:
    """A finished snapshot with no figures (for tests that need an assessment, not its
    figures; :func:`make_assessment` computes a real one)."""
    actor = system_actor()
    with acting_as(actor):
        return Snapshot.objects.create(
            region=region,
            year=year,
            code_version="test",
            created_by=actor,
            state=SnapshotState.DONE,
            computed_at=timezone.now(),
        )


def make_assessment(p: Personas, year: int = 2021) -> Assessment:
    template = make_template(p.officer, year)
    snapshot = reports.take_snapshot(p.officer, p.city, year)
    return services.open_assessment(p.officer, template, p.city, snapshot)


@cache
def pdf_bytes() -> bytes:
    """A real PDF (WeasyPrint) with a Chinese line."""
    from weasyprint import HTML

    html = "<p style=\"font-family: 'WenQuanYi Micro Hei'\">考核佐证材料 evidence</p>"
    content: bytes = HTML(string=html).write_pdf()
    return content


@cache
def docx_bytes() -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph("质量工作会议纪要")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@cache
def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["项目", "数量"])
    workbook.active.append(["快检", 3])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)
