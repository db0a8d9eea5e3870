"""Choices and constants of the provincial assessment (质量工作考核) app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Rule(models.TextChoices):
    """How a mapped figure suggests an item's self-score: met or not."""

    NONE = "", _("no rule")
    AT_LEAST = ">=", _("at least")
    AT_MOST = "<=", _("at most")


class DocumentKind(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX"
    XLSX = "xlsx", "XLSX"


# The content types a document is served with (never the browser's guess).
DOCUMENT_CONTENT_TYPES = {
    DocumentKind.PDF: "application/pdf",
    DocumentKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    DocumentKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# An Office Open XML file is a ZIP holding [Content_Types].xml and its main part.
OOXML_MAIN_PART = {DocumentKind.DOCX: "word/document.xml", DocumentKind.XLSX: "xl/workbook.xml"}
ZIP_MAGIC = b"PK\x03\x04"

DEMO_LABEL_ZH = "示例模板，非省级正式考核细则"
DEMO_LABEL_EN = "Demo template, not the province's official assessment rules"

JOB_PACK = "assessment.evidence_pack"
"""The evidence pack as a background job (core.Job), for packs too large for a request."""

PACK_SYNC_MAX_RECORDS = 20_000
"""A staff download whose figures hold more records than this is built by the task worker."""

SHEET_MAX_ROWS = 1_048_575
"""Records per worksheet (Excel's 1,048,576 rows, header included); more continue on a sheet
of their own."""
