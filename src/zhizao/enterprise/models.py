"""Enterprise records (企业): chief quality officers (首席质量官), quality events (training, Quality
Month, study visits, Brand Day, Standardization Day) with their participants and materials, and
the yearly quality performance an enterprise reports. The enterprise itself is
``core.Organization``, keyed by its unified social credit code; its profile brings every app's
records together (``zhizao.enterprise.profile``). Docs: docs/enterprise.md."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zhizao.core.models import Organization, Person, Region
from zhizao.core.validators import validate_plain_text
from zhizao.enterprise.choices import EventKind, ParticipantRole, PerformanceStatus


class ChiefQualityOfficer(models.Model):
    """A person appointed chief quality officer (首席质量官) of an organization."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="cqo_roles"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="chief_quality_officers",
    )
    appointed_on = models.DateField(_("appointed on"))
    certificate_number = models.CharField(
        _("certificate number"), max_length=64, blank=True, validators=[validate_plain_text]
    )
    certificate_valid_until = models.DateField(_("certificate valid until"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    is_synthetic = models.BooleanField(_("synthetic demo record"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chief quality officer")
        verbose_name_plural = _("chief quality officers")
        ordering = ["organization__name", "-appointed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "person", "appointed_on"],
                name="enterprise_cqo_unique",
                violation_error_message=_("This appointment is already registered."),
            ),
            models.UniqueConstraint(
                fields=["certificate_number"],
                condition=~Q(certificate_number=""),
                name="enterprise_cqo_certificate_unique",
                violation_error_message=_("This certificate number is already registered."),
            ),
            models.CheckConstraint(
                condition=Q(certificate_valid_until__isnull=True)
                | Q(certificate_valid_until__gte=F("appointed_on")),
                name="enterprise_cqo_valid_after_appointment",
                violation_error_message=_("The certificate cannot expire before the appointment."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("appointed_on")),
                name="enterprise_cqo_ends_after_appointment",
                violation_error_message=_("An appointment cannot end before it began."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.organization}"


class QualityEvent(models.Model):
    """A quality event: who organized it, when, where, on what, with whom."""

    kind = models.CharField(_("kind"), max_length=24, choices=EventKind.choices, db_index=True)
    topic = models.CharField(_("topic"), max_length=300, validators=[validate_plain_text])
    organizer = models.CharField(_("organizer"), max_length=200, validators=[validate_plain_text])
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="quality_events",
        help_text=_("The city or district whose programme the event belongs to."),
    )
    held_on = models.DateField(_("date"))
    place = models.CharField(
        _("place"), max_length=200, blank=True, validators=[validate_plain_text]
    )
    trainers = models.TextField(
        _("trainers"),
        blank=True,
        validators=[validate_plain_text],
        help_text=_("Experts and their organizations, as announced."),
    )
    feedback = models.TextField(_("feedback"), blank=True, validators=[validate_plain_text])
    trains_officers = models.BooleanField(
        _("chief quality officer training"),
        default=False,
        help_text=_("Its participants are trained as chief quality officers (首席质量官培训)."),
    )
    is_synthetic = models.BooleanField(_("synthetic demo record"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quality event")
        verbose_name_plural = _("quality events")
        ordering = ["-held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.topic}"


class EventParticipation(models.Model):
    """An organization (and, where known, a person of it) invited to an event, with whether
    they attended."""

    event = models.ForeignKey(
        QualityEvent,
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="participations",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="event_participations",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="event_participations",
    )
    person_name = models.CharField(
        _("participant"), max_length=100, blank=True, validators=[validate_plain_text]
    )
    role = models.CharField(
        _("role"),
        max_length=16,
        choices=ParticipantRole.choices,
        default=ParticipantRole.PARTICIPANT,
    )
    attended = models.BooleanField(_("attended"), default=True)
    is_synthetic = models.BooleanField(_("synthetic demo record"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("event participation")
        verbose_name_plural = _("event participations")
        ordering = ["event", "role", "organization__name", "person_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organization", "person_name"],
                name="enterprise_participation_unique",
                violation_error_message=_("This participant is already recorded for the event."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.event}: {self.organization} {self.person_name}".strip()


def material_path(instance: EventMaterial, filename: str) -> str:
    # Never the uploaded name: a random name under MEDIA_ROOT, which the web server does not serve.
    return f"enterprise/materials/{instance.event_id}/{uuid.uuid4().hex}.pdf"


class EventMaterial(models.Model):
    """A PDF of an event (slides, handouts); served only through a permission-checked view."""

    event = models.ForeignKey(QualityEvent, on_delete=models.CASCADE, related_name="materials")
    file = models.FileField(_("file"), upload_to=material_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("event material")
        verbose_name_plural = _("event materials")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


def quantity(verbose_name: Any, **options: Any) -> Any:
    return models.DecimalField(
        verbose_name, max_digits=18, decimal_places=2, null=True, blank=True, **options
    )


PERFORMANCE_VALUES = (
    "output",
    "orders",
    "shipments",
    "revenue",
    "output_value",
    "internal_loss_cost",
    "external_loss_cost",
    "first_pass_yield",
    "complaints",
    "patents_valid",
    "patents_invention",
    "patents_overseas",
)


class EnterprisePerformance(models.Model):
    """One year of an enterprise's quality performance, reported by the enterprise (and
    reviewed by staff) or entered by staff. Every change is kept in its history."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="performance",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    output = quantity(_("output (units or tonnes)"))
    output_unit = models.CharField(_("output unit"), max_length=16, blank=True)
    orders = quantity(_("orders"))
    shipments = quantity(_("shipments"))
    revenue = quantity(_("revenue (yuan)"))
    output_value = quantity(_("output value (yuan)"))
    internal_loss_cost = quantity(_("internal quality-loss cost (yuan)"))
    external_loss_cost = quantity(_("external quality-loss cost (yuan)"))
    first_pass_yield = models.DecimalField(
        _("first-pass yield (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    complaints = models.PositiveIntegerField(_("complaints"), null=True, blank=True)
    patents_valid = models.PositiveIntegerField(_("valid patents"), null=True, blank=True)
    patents_invention = models.PositiveIntegerField(
        _("valid invention patents"), null=True, blank=True
    )
    patents_overseas = models.PositiveIntegerField(_("overseas patents"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=PerformanceStatus.choices,
        default=PerformanceStatus.REPORTED,
    )
    confirmed_checks = models.JSONField(
        _("confirmed checks"),
        default=list,
        blank=True,
        help_text=_("The checks the reporter confirmed (e.g. a year-on-year jump over 10×)."),
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)
    is_synthetic = models.BooleanField(_("synthetic demo record"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("enterprise performance")
        verbose_name_plural = _("enterprise performance")
        ordering = ["organization__name", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"],
                name="enterprise_performance_unique",
                violation_error_message=_("This year is already reported: change it instead."),
            ),
            models.CheckConstraint(
                condition=Q(first_pass_yield__isnull=True)
                | (Q(first_pass_yield__gte=0) & Q(first_pass_yield__lte=100)),
                name="enterprise_performance_yield_percent",
                violation_error_message=_("The first-pass yield is a percentage from 0 to 100."),
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 0}),
                    name=f"enterprise_performance_{name}_not_negative",
                )
                for name in (
                    "output",
                    "orders",
                    "shipments",
                    "revenue",
                    "output_value",
                    "internal_loss_cost",
                    "external_loss_cost",
                )
            ),
            models.CheckConstraint(
                condition=Q(patents_invention__isnull=True)
                | Q(patents_valid__isnull=True)
                | Q(patents_invention__lte=F("patents_valid")),
                name="enterprise_performance_invention_within_valid",
                violation_error_message=_(
                    "Invention patents are among the valid patents: they cannot be more."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}"
