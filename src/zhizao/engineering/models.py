"""Engineering quality (工程质量): projects, their quality inspections, completion acceptance
(first-time pass or re-acceptance with the reasons) and the Luban and Furong awards they won,
linked to the honours registry (``registry.Honour``) rather than kept in a second list."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zhizao.core.models import Organization, Region
from zhizao.core.permissions import AnyUser, is_staff_user, own_organization_id, staff_regions
from zhizao.core.validators import validate_plain_text
from zhizao.engineering.choices import ProjectKind


class ProjectQuerySet(models.QuerySet["Project"]):
    def visible_to(self, user: AnyUser) -> ProjectQuerySet:
        """Staff: projects in their regions; builder's, supervisor's or designer's users: theirs."""
        if is_staff_user(user):
            return self.filter(region__in=staff_regions(user))
        org = own_organization_id(user)
        if org is None:
            return self.none()
        return self.filter(Q(builder_id=org) | Q(supervisor_id=org) | Q(designer_id=org))

    def editable_by(self, user: AnyUser) -> ProjectQuerySet:
        if not is_staff_user(user):
            return self.none()
        return self.filter(region__in=staff_regions(user))


class Project(models.Model):
    name = models.CharField(_("project"), max_length=200, validators=[validate_plain_text])
    kind = models.CharField(_("type"), max_length=20, choices=ProjectKind.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="projects"
    )
    builder = models.ForeignKey(
        Organization,
        verbose_name=_("builder"),
        on_delete=models.PROTECT,
        related_name="projects_built",
    )
    supervisor = models.ForeignKey(
        Organization,
        verbose_name=_("supervisor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects_supervised",
    )
    designer = models.ForeignKey(
        Organization,
        verbose_name=_("designer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects_designed",
    )
    investment_10k_yuan = models.DecimalField(
        _("investment (10,000 yuan)"), max_digits=12, decimal_places=2, default=0
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    is_synthetic = models.BooleanField(_("synthetic demo record"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("engineering project")
        verbose_name_plural = _("engineering projects")
        ordering = ["-completed_on", "name"]

    def __str__(self) -> str:
        return self.name


class Inspection(models.Model):
    """A quality inspection of a project (质量检查) and its findings."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="inspections")
    inspected_on = models.DateField(_("inspected on"))
    inspector = models.CharField(_("inspector"), max_length=200, validators=[validate_plain_text])
    passed = models.BooleanField(_("passed"))
    findings = models.TextField(_("findings"), blank=True)
    is_synthetic = models.BooleanField(_("synthetic demo record"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quality inspection")
        verbose_name_plural = _("quality inspections")
        ordering = ["-inspected_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.project} {self.inspected_on}"


class Acceptance(models.Model):
    """One completion acceptance (竣工验收) of a project: ``attempt`` 1 is the first; a failed
    one gives its reasons and the project is accepted again later."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="acceptances")
    attempt = models.PositiveSmallIntegerField(_("attempt"), editable=False)
    accepted_on = models.DateField(_("date"))
    passed = models.BooleanField(_("passed"))
    reasons = models.TextField(_("reasons"), blank=True)
    is_synthetic = models.BooleanField(_("synthetic demo record"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("completion acceptance")
        verbose_name_plural = _("completion acceptances")
        ordering = ["project", "attempt"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "attempt"], name="engineering_attempt_unique"
            ),
            models.CheckConstraint(
                condition=Q(passed=True) | ~Q(reasons=""), name="engineering_failure_has_reasons"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} #{self.attempt}"


class ProjectHonour(models.Model):
    """A Luban or Furong award of a project: the registry's honour, linked."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="honour_links")
    honour = models.OneToOneField(
        "registry.Honour",
        verbose_name=_("honour"),
        on_delete=models.PROTECT,
        related_name="engineering_project",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("project honour")
        verbose_name_plural = _("project honours")

    def __str__(self) -> str:
        return f"{self.project}: {self.honour}"
