"""Choices and message codes of the reports app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SnapshotState(models.TextChoices):
    COMPUTING = "computing", _("computing")
    DONE = "done", _("done")


JOB_SNAPSHOT = "reports.snapshot"


class ReportSection(models.TextChoices):
    """The report's sections (their prefixes and order: reports/sections.py)."""

    AWARDS = "awards", _("Awards and honours")
    FOUNDATION = "foundation", _("Standards and the technical foundation")
    ONESTOP = "onestop", _("The one-stop service")
    TESTING = "testing", _("Rapid testing and supervision sampling")
    ENVIRONMENT = "environment", _("Environment (air, water)")
    ENGINEERING = "engineering", _("Engineering quality")
    INCIDENTS = "incidents", _("Quality-safety incidents")
    PROGRAMME = "programme", _("Chief quality officers, events and funds")
    ENTERPRISES = "enterprises", _("Enterprise highlights")
    PLANS = "plans", _("Plans and department figures")


class ReportLanguage(models.TextChoices):
    ZH_HANS = "zh-hans", "简体中文"
    EN = "en", "English"


class ReportFormat(models.TextChoices):
    HTML = "html", "HTML"
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX"


# Message codes of the narrative's refusals and notes.
UNKNOWN_CODE = "unknown_code"
NO_VALUE = "no_value"
