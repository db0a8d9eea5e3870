"""Quality-safety incidents (质量安全事件): the domain, the figures that grade it, the grade
the engine suggests and the grade staff confirm, the organizations involved, handling and
closure. "No major incident" (figures and the awards' eligibility rule) reads these records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zhizao.core.models import Organization, Region
from zhizao.core.permissions import AnyUser, is_staff_user, own_organization_id, staff_regions
from zhizao.core.validators import validate_plain_text
from zhizao.incidents.choices import MAJOR_GRADES, Domain, Grade, PartyRole, Status


class IncidentQuerySet(models.QuerySet["Incident"]):
    def visible_to(self, user: AnyUser) -> IncidentQuerySet:
        """Staff: incidents in their regions; an organization's users: those it is party to."""
        if is_staff_user(user):
            return self.filter(region__in=staff_regions(user))
        org = own_organization_id(user)
        if org is None:
            return self.none()
        return self.filter(parties__organization_id=org).distinct()

    def editable_by(self, user: AnyUser) -> IncidentQuerySet:
        if not is_staff_user(user):
            return self.none()
        return self.filter(region__in=staff_regions(user))

    def major(self) -> IncidentQuerySet:
        """重大 or 特别重大 incidents: so confirmed, or so suggested and not confirmed yet."""
        return self.filter(
            Q(grade__in=MAJOR_GRADES) | Q(grade="", suggested_grade__in=MAJOR_GRADES)
        )


class Incident(models.Model):
    domain = models.CharField(_("domain"), max_length=24, choices=Domain.choices)
    title = models.CharField(_("title"), max_length=200, validators=[validate_plain_text])
    occurred_on = models.DateField(_("occurred on"))
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="incidents"
    )
    deaths = models.PositiveIntegerField(_("deaths"), default=0)
    injured = models.PositiveIntegerField(
        _("seriously injured or ill"),
        default=0,
        help_text=_(
            "Seriously injured, acutely poisoned or with especially serious adverse events."
        ),
    )
    affected = models.PositiveIntegerField(_("people affected"), default=0)
    direct_loss_10k_yuan = models.DecimalField(
        _("direct loss (10,000 yuan)"), max_digits=12, decimal_places=2, default=0
    )
    suggested_grade = models.CharField(
        _("suggested grade"), max_length=20, choices=Grade.choices, editable=False
    )
    grade = models.CharField(
        _("confirmed grade"), max_length=20, choices=Grade.choices, blank=True, editable=False
    )
    grade_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    grade_confirmed_at = models.DateTimeField(_("grade confirmed"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    handling = models.TextField(_("handling"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REPORTED
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    is_synthetic = models.BooleanField(_("synthetic demo record"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    history = HistoricalRecords()

    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("quality-safety incident")
        verbose_name_plural = _("quality-safety incidents")
        ordering = ["-occurred_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.title}"

    @property
    def effective_grade(self) -> str:
        """The confirmed grade, else the suggested one."""
        return self.grade or self.suggested_grade

    @property
    def is_major(self) -> bool:
        return self.effective_grade in MAJOR_GRADES


class IncidentParty(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="parties")
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="incident_parts",
    )
    role = models.CharField(_("role"), max_length=16, choices=PartyRole.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organization involved")
        verbose_name_plural = _("organizations involved")
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "organization"], name="incidents_party_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_role_display()})"
