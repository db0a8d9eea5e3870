"""Choices, error codes and tunable settings of rapid testing (快检).

Settings are read from Django settings with these defaults (the lead wires them to the
environment): ``ZHIZAO_RAPIDTEST_CASE_DEADLINE_HOURS`` (72), ``ZHIZAO_RAPIDTEST_LATE_ENTRY_HOURS``
(24), ``ZHIZAO_RAPIDTEST_DETECTION_FLOOR`` (0.01), ``ZHIZAO_RAPIDTEST_DETECTION_PERIOD_DAYS`` (90),
``ZHIZAO_RAPIDTEST_WARNING_ALPHA`` (0.01).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    VEGETABLES = "vegetables", _("Fresh vegetables")  # 生鲜蔬菜
    MEAT = "meat", _("Fresh meat")  # 生鲜肉
    AQUATIC = "aquatic", _("Aquatic products")  # 水产品
    OTHER = "other", _("Other")  # 其他


class RuleDirection(models.TextChoices):
    """How a value is judged; mirrors ``zhizao.indicators.rapidtest.Direction``."""

    LE = "le", _("Passes if value ≤ threshold")
    LT = "lt", _("Passes if value < threshold")
    GE = "ge", _("Passes if value ≥ threshold")
    GT = "gt", _("Passes if value > threshold")
    NEGATIVE = "negative", _("Qualitative: passes if negative")


QUALITATIVE_DIRECTIONS = (RuleDirection.NEGATIVE,)


class Source(models.TextChoices):
    WEB = "web", _("Web form")
    API = "api", _("Instrument API")
    IMPORT = "import", _("File import")
    DEMO = "demo", _("Demo generator")


MANUAL_SOURCES = (Source.WEB, Source.IMPORT)


class LabResult(models.TextChoices):
    NONE = "", _("Not sent")
    PENDING = "pending", _("Pending")
    CONFIRMED = "confirmed", _("Confirmed non-compliant")
    NOT_CONFIRMED = "not_confirmed", _("Not confirmed (compliant)")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class QuotaPeriod(models.TextChoices):
    WEEK = "week", _("Per week")
    QUARTER = "quarter", _("Per quarter")


class CorrectionAction(models.TextChoices):
    CORRECTED = "corrected", _("Corrected")
    DELETED = "deleted", _("Deleted")
    # The verdict follows the laboratory: not confirmed turns the batch to passed, and back.
    LAB_OUTCOME = "lab_outcome", _("Verdict changed by the laboratory result")


# Outcomes that settle a positive screen (platform rule, standards §6.3): until one is recorded
# the failure is only suspected.
CONFIRMATION_OUTCOMES = ("confirmed", "not_confirmed")


class IntegrityCheck(models.TextChoices):
    REPEATED_VALUES = "repeated_values", _("Repeated identical values")
    ROUND_NUMBERS = "round_numbers", _("Runs of round numbers")
    LATE_BURST = "late_burst", _("Many records entered in one burst long after testing")
    OUTSIDE_HOURS = "outside_hours", _("Tests outside the room's opening hours")
    UNUSUAL_PRODUCT = "unusual_product", _("Products the room never sells")
    MISSING_EVIDENCE = "missing_evidence", _("Missing evidence where required")


class WarningKind(models.TextChoices):
    MARKET = "market", _("Market")
    PRODUCT = "product", _("Product")
    SUPPLIER = "supplier", _("Supplier")
    STALL = "stall", _("Stall with repeated failures")


# Words accepted for a stated result in files and the API.
PASS_WORDS = ("合格", "pass", "passed", "ok", "阴性", "negative")
FAIL_WORDS = ("不合格", "fail", "failed", "阳性", "positive")


def _setting(name: str) -> float:
    return float(getattr(settings, name))


def case_deadline_hours() -> float:
    return _setting("ZHIZAO_RAPIDTEST_CASE_DEADLINE_HOURS")


def late_entry_hours() -> float:
    return _setting("ZHIZAO_RAPIDTEST_LATE_ENTRY_HOURS")


def detection_floor() -> float:
    return _setting("ZHIZAO_RAPIDTEST_DETECTION_FLOOR")


def detection_period_days() -> int:
    return int(_setting("ZHIZAO_RAPIDTEST_DETECTION_PERIOD_DAYS"))


def warning_alpha() -> float:
    return _setting("ZHIZAO_RAPIDTEST_WARNING_ALPHA")


# Message codes (core.MessageTemplate rows, added by migrations).
MSG_CASE_OPENED = "rapidtest_case_opened"
