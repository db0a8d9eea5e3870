"""Published figures: snapshots of the indicator registry (docs/reports.md).

A :class:`Snapshot` is one computation of every registered indicator for a region and year,
stored with the time it was computed, who asked for it and the code version, with one
:class:`SnapshotFigure` per indicator (value, unit, record count, reason when there is no
value, synthetic flag). Snapshots never change once computed. A :class:`Publication` makes a
snapshot the published one of its region and year; the latest publication wins, and earlier
ones stay, so what a reader saw on a day can always be shown again.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zhizao.core.models import Region, User
from zhizao.core.permissions import is_staff_user, staff_regions
from zhizao.reports.choices import ReportLanguage, ReportSection, SnapshotState


class SnapshotQuerySet(models.QuerySet["Snapshot"]):
    def visible_to(self, user: Any) -> SnapshotQuerySet:
        """Every snapshot to bureau staff of its region; published snapshots to everyone."""
        published = Q(publications__isnull=False)
        if is_staff_user(user):
            return self.filter(published | Q(region__in=_subtree(staff_regions(user)))).distinct()
        return self.filter(published).distinct()


def _subtree(regions: models.QuerySet[Region]) -> models.QuerySet[Region]:
    paths = list(regions.values_list("path", flat=True))
    if not paths:
        return Region.objects.none()
    query = Q()
    for path in paths:
        query |= Q(path__startswith=path)
    return Region.objects.filter(query)


class Snapshot(models.Model):
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="snapshots"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=SnapshotState.choices,
        default=SnapshotState.COMPUTING,
    )
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    code_version = models.CharField(_("code version"), max_length=80)
    created_by = models.ForeignKey(
        User,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="snapshots",
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("snapshot of figures")
        verbose_name_plural = _("snapshots of figures")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["region", "year"], name="reports_snapshot_region_year")]

    def __str__(self) -> str:
        return f"{self.region} {self.year} #{self.pk}"


class SnapshotFigure(models.Model):
    snapshot = models.ForeignKey(
        Snapshot, verbose_name=_("snapshot"), on_delete=models.CASCADE, related_name="figures"
    )
    code = models.CharField(_("indicator code"), max_length=120)
    value = models.DecimalField(_("value"), max_digits=24, decimal_places=6, null=True, blank=True)
    integral = models.BooleanField(_("whole number"), default=False)
    unit = models.CharField(_("unit"), max_length=32, blank=True)
    records = models.PositiveBigIntegerField(_("records"))
    reason_zh = models.CharField(_("reason (zh)"), max_length=300, blank=True)
    reason_en = models.CharField(_("reason (en)"), max_length=300, blank=True)
    synthetic = models.BooleanField(_("computed from synthetic records"), default=False)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("snapshot figure")
        verbose_name_plural = _("snapshot figures")
        ordering = ["snapshot", "code"]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "code"], name="reports_figure_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} = {self.typed_value}"

    @property
    def typed_value(self) -> Decimal | int | None:
        """The value as the registry gave it: an int for counts, a Decimal otherwise."""
        if self.value is None:
            return None
        return int(self.value) if self.integral else self.value.normalize()


class Publication(models.Model):
    snapshot = models.ForeignKey(
        Snapshot,
        verbose_name=_("snapshot"),
        on_delete=models.PROTECT,
        related_name="publications",
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="publications"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    published_by = models.ForeignKey(
        User, verbose_name=_("published by"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["region", "year", "-published_at"], name="reports_pub_latest")
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.year} ← #{self.snapshot_id}"


class SectionText(models.Model):
    """The narrative of one section of a region's annual report in one language: sentence
    templates, one per line, whose ``{code}`` placeholders the report fills from the
    snapshot's figures (reports/narrative.py). Without a row the shipped default is used."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    section = models.CharField(_("report section"), max_length=32, choices=ReportSection.choices)
    language = models.CharField(_("language"), max_length=8, choices=ReportLanguage.choices)
    template = models.TextField(_("sentence templates"), max_length=4000, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        User, verbose_name=_("updated by"), on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report section text")
        verbose_name_plural = _("report section texts")
        ordering = ["region", "section", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "section", "language"], name="reports_text_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.section} {self.language}"
