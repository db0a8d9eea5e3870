"""Choices of the incentive-fund ledger (奖励资金台账)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgrammeKind(models.TextChoices):
    """What a fund programme is for. A figure is published per kind (``funds.<kind>.…``), so a
    kind's value is a published code: never rename one."""

    IP_STRATEGY = "ip_strategy", _("IP-strategy special fund (知识产权战略实施专项)")
    STANDARDIZATION_REWARD = "standardization_reward", _("Standardization reward (标准化奖励)")
    QUALITY_AWARD_BONUS = "quality_award_bonus", _("Quality-award bonus (质量奖奖励)")
    OTHER = "other", _("Other incentive fund")


class ProgrammeLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    CITY = "city", _("City")
    DISTRICT = "district", _("District or county")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    GRANTED = "granted", _("Granted")


class Decision(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")


# Money is yuan with two places (元 and 分); amounts are at most 10^12 yuan.
MONEY_DIGITS = 14
MONEY_PLACES = 2
CENT = Decimal("0.01")
SCORE_MAX = Decimal("100")
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024

# Message codes (notification templates).
MSG_GRANT_MADE = "funds_grant_made"
