"""Supervision sampling (监督抽检): plans, the labs that test, sampled batches with their test
items and the standards they were tested against, the follow-up of a non-conforming batch,
and early warnings of producers that fail repeatedly.

A batch's verdict is never typed: ``sampling.services`` derives it from its items (one failed
item fails the batch) and the database refuses a conforming batch that has a failed item's
count (``failed_items``) above zero."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zhizao.core.models import Organization, Region
from zhizao.core.permissions import AnyUser, is_staff_user, own_organization_id, staff_regions
from zhizao.core.validators import validate_plain_text
from zhizao.sampling.choices import AuthorityLevel, CaseStatus, Domain, Verdict


class Lab(models.Model):
    """An inspection and testing body that tests sampled batches (检验机构)."""

    organization = models.OneToOneField(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="sampling_lab",
    )
    cma_number = models.CharField(
        _("CMA certificate number"), max_length=40, blank=True, validators=[validate_plain_text]
    )
    cnas_number = models.CharField(
        _("CNAS accreditation number"), max_length=40, blank=True, validators=[validate_plain_text]
    )
    is_synthetic = models.BooleanField(_("synthetic demo record"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("laboratory")
        verbose_name_plural = _("laboratories")
        ordering = ["organization__name"]

    def __str__(self) -> str:
        return self.organization.name


class SamplingPlanQuerySet(models.QuerySet["SamplingPlan"]):
    def visible_to(self, user: AnyUser) -> SamplingPlanQuerySet:
        """Bureau staff: plans organized in their regions or for them."""
        if not is_staff_user(user):
            return self.none()
        return self.filter(region__in=staff_regions(user))

    def editable_by(self, user: AnyUser) -> SamplingPlanQuerySet:
        return self.visible_to(user)


class SamplingPlan(models.Model):
    """A year's sampling plan of one domain by one authority (抽检计划)."""

    year = models.PositiveSmallIntegerField(_("year"))
    domain = models.CharField(_("domain"), max_length=32, choices=Domain.choices)
    title = models.CharField(_("title"), max_length=200, validators=[validate_plain_text])
    authority = models.CharField(
        _("organizing authority"), max_length=200, validators=[validate_plain_text]
    )
    level = models.CharField(_("level"), max_length=16, choices=AuthorityLevel.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region sampled"),
        on_delete=models.PROTECT,
        related_name="sampling_plans",
    )
    lab = models.ForeignKey(
        Lab, verbose_name=_("laboratory"), on_delete=models.PROTECT, related_name="plans"
    )
    is_synthetic = models.BooleanField(_("synthetic demo record"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    objects = SamplingPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("sampling plan")
        verbose_name_plural = _("sampling plans")
        ordering = ["-year", "domain", "title"]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"


class PlanCategory(models.Model):
    """A product category of a plan with its planned number of batches."""

    plan = models.ForeignKey(SamplingPlan, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("product category"), max_length=100, validators=[validate_plain_text])
    planned_batches = models.PositiveIntegerField(_("planned batches"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan category")
        verbose_name_plural = _("plan categories")
        ordering = ["plan", "name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="sampling_category_unique")
        ]

    def __str__(self) -> str:
        return self.name


class SampledBatchQuerySet(models.QuerySet["SampledBatch"]):
    def visible_to(self, user: AnyUser) -> SampledBatchQuerySet:
        """Staff: batches sampled in their regions; a producer's or seller's users: their own."""
        if not user.is_authenticated:
            return self.none()
        if is_staff_user(user):
            return self.filter(region__in=staff_regions(user))
        org = own_organization_id(user)
        if org is None:
            return self.none()
        return self.filter(Q(producer_id=org) | Q(seller_id=org))

    def editable_by(self, user: AnyUser) -> SampledBatchQuerySet:
        if not is_staff_user(user):
            return self.none()
        return self.filter(region__in=staff_regions(user))

    def conforming(self) -> SampledBatchQuerySet:
        """Batches that count as passed: conforming, or overturned by a conforming re-test."""
        return self.filter(Q(verdict=Verdict.PASS) | Q(overturned_on_retest=True))


class SampledBatch(models.Model):
    """One sampled batch (批次) and its test report."""

    plan = models.ForeignKey(
        SamplingPlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="batches"
    )
    category = models.ForeignKey(
        PlanCategory,
        verbose_name=_("product category"),
        on_delete=models.PROTECT,
        related_name="batches",
    )
    producer = models.ForeignKey(
        Organization,
        verbose_name=_("producer"),
        on_delete=models.PROTECT,
        related_name="sampled_batches_produced",
    )
    seller = models.ForeignKey(
        Organization,
        verbose_name=_("seller"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sampled_batches_sold",
    )
    product = models.CharField(_("product"), max_length=200, validators=[validate_plain_text])
    brand = models.CharField(
        _("brand"), max_length=100, blank=True, validators=[validate_plain_text]
    )
    specification = models.CharField(
        _("specification"), max_length=100, blank=True, validators=[validate_plain_text]
    )
    batch_number = models.CharField(
        _("batch number"), max_length=100, blank=True, validators=[validate_plain_text]
    )
    sampled_on = models.DateField(_("sampled on"))
    place = models.CharField(
        _("place sampled"), max_length=200, blank=True, validators=[validate_plain_text]
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="sampled_batches",
        help_text=_("Where the batch was sampled (its district, or the city)."),
    )
    lab = models.ForeignKey(
        Lab, verbose_name=_("laboratory"), on_delete=models.PROTECT, related_name="batches"
    )
    report_number = models.CharField(
        _("report number"), max_length=60, validators=[validate_plain_text]
    )
    verdict = models.CharField(_("verdict"), max_length=8, choices=Verdict.choices, editable=False)
    failed_items = models.PositiveSmallIntegerField(_("failed items"), default=0, editable=False)
    overturned_on_retest = models.BooleanField(
        _("overturned by the re-test"), default=False, editable=False
    )
    is_synthetic = models.BooleanField(_("synthetic demo record"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    objects = SampledBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("sampled batch")
        verbose_name_plural = _("sampled batches")
        ordering = ["-sampled_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["lab", "report_number"], name="sampling_batch_report_unique"
            ),
            models.CheckConstraint(
                condition=(
                    Q(verdict="pass", failed_items=0) | Q(verdict="fail", failed_items__gt=0)
                ),
                name="sampling_batch_verdict_follows_items",
            ),
        ]
        indexes = [models.Index(fields=["sampled_on"], name="sampling_batch_sampled_on")]

    def __str__(self) -> str:
        return f"{self.report_number} {self.product}"

    @property
    def passed(self) -> bool:
        return self.verdict == Verdict.PASS or self.overturned_on_retest


class BatchStandard(models.Model):
    """A standard a batch was tested against, by its parsed code (``zhizao.stdcodes``), linked
    to the standards registry when the edition is registered there."""

    batch = models.ForeignKey(SampledBatch, on_delete=models.CASCADE, related_name="standards")
    code = models.CharField(_("standard code"), max_length=80)
    standard = models.ForeignKey(
        "standards.Standard",
        verbose_name=_("registered standard"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sampled_batches",
    )

    class Meta:
        verbose_name = _("standard tested against")
        verbose_name_plural = _("standards tested against")
        constraints = [
            models.UniqueConstraint(fields=["batch", "code"], name="sampling_batch_standard_unique")
        ]

    def __str__(self) -> str:
        return self.code


class TestItem(models.Model):
    """One test item of a batch: value, limit, unit and the item's verdict."""

    batch = models.ForeignKey(SampledBatch, on_delete=models.CASCADE, related_name="items")
    name = models.CharField(_("test item"), max_length=100, validators=[validate_plain_text])
    value = models.CharField(
        _("value"), max_length=40, blank=True, validators=[validate_plain_text]
    )
    limit = models.CharField(
        _("limit"), max_length=40, blank=True, validators=[validate_plain_text]
    )
    unit = models.CharField(_("unit"), max_length=20, blank=True, validators=[validate_plain_text])
    verdict = models.CharField(_("item verdict"), max_length=8, choices=Verdict.choices)

    __test__ = False  # not a pytest test class

    class Meta:
        verbose_name = _("test item")
        verbose_name_plural = _("test items")
        ordering = ["batch", "pk"]

    def __str__(self) -> str:
        return self.name


class CaseQuerySet(models.QuerySet["NonConformityCase"]):
    def visible_to(self, user: AnyUser) -> CaseQuerySet:
        return self.filter(batch__in=SampledBatch.objects.visible_to(user))

    def open(self) -> CaseQuerySet:
        return self.exclude(status=CaseStatus.CLOSED)

    def overdue(self, today: dt.date | None = None) -> CaseQuerySet:
        return self.open().filter(due_on__lt=today or timezone.localdate())


class NonConformityCase(models.Model):
    """The follow-up of a non-conforming batch (不合格后处置): notice, re-test (复检),
    rectification, follow-up sampling, closure; ``due_on`` is the current step's deadline."""

    batch = models.OneToOneField(
        SampledBatch, verbose_name=_("batch"), on_delete=models.PROTECT, related_name="case"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    due_on = models.DateField(_("current step due"), null=True, blank=True)
    notice_sent_at = models.DateTimeField(_("notice sent"), null=True, blank=True)
    retest_due = models.DateField(_("re-test may be requested until"), null=True, blank=True)
    retest_requested_at = models.DateTimeField(_("re-test requested"), null=True, blank=True)
    retest_lab = models.CharField(
        _("re-test laboratory"), max_length=200, blank=True, validators=[validate_plain_text]
    )
    retest_report_number = models.CharField(
        _("re-test report number"), max_length=60, blank=True, validators=[validate_plain_text]
    )
    retest_conforms = models.BooleanField(_("re-test conforms"), null=True, blank=True)
    rectification_due = models.DateField(_("rectification due"), null=True, blank=True)
    rectification_note = models.TextField(_("rectification report"), blank=True)
    rectification_reported_at = models.DateTimeField(
        _("rectification reported"), null=True, blank=True
    )
    follow_up_batch = models.OneToOneField(
        SampledBatch,
        verbose_name=_("follow-up batch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follows_up",
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closing_note = models.CharField(
        _("closing note"), max_length=300, blank=True, validators=[validate_plain_text]
    )
    history = HistoricalRecords()

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("non-conformity case")
        verbose_name_plural = _("non-conformity cases")
        ordering = ["-opened_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.batch.report_number} · {self.get_status_display()}"

    @property
    def overdue(self) -> bool:
        return (
            self.status != CaseStatus.CLOSED
            and self.due_on is not None
            and self.due_on < timezone.localdate()
        )


class EarlyWarning(models.Model):
    """A producer with two or more failed batches in one calendar year (质量预警)."""

    producer = models.ForeignKey(
        Organization,
        verbose_name=_("producer"),
        on_delete=models.PROTECT,
        related_name="sampling_warnings",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    failed_batches = models.PositiveSmallIntegerField(_("failed batches"))
    raised_at = models.DateTimeField(_("raised"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("early warning")
        verbose_name_plural = _("early warnings")
        ordering = ["-year", "-failed_batches", "producer__name"]
        constraints = [
            models.UniqueConstraint(fields=["producer", "year"], name="sampling_warning_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.producer}"
