"""Choices of the enterprise records: chief quality officers, quality events, performance."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    """The kind of a quality event; a published code (``enterprise.events.<kind>``)."""

    TRAINING = "training", _("Training (培训)")
    QUALITY_MONTH = "quality_month", _("Quality Month activity (质量月)")
    STUDY_VISIT = "study_visit", _("Study visit (观摩学习)")
    BRAND_DAY = "brand_day", _("Brand Day (品牌日)")
    STANDARDIZATION_DAY = "standardization_day", _("Standardization Day (标准化日)")


class ParticipantRole(models.TextChoices):
    PARTICIPANT = "participant", _("Participant")
    TRAINER = "trainer", _("Trainer")


class PerformanceStatus(models.TextChoices):
    REPORTED = "reported", _("Reported, awaiting review")
    REVIEWED = "reviewed", _("Reviewed")
    RETURNED = "returned", _("Returned for correction")


MATERIAL_MAX_BYTES = 10 * 1024 * 1024
JUMP_FACTOR = 10  # a value more than 10× (or under 1/10 of) last year's asks for confirmation
HUNDRED = Decimal("100")
