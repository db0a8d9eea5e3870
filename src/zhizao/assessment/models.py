"""The provincial assessment of a city's quality work (质量工作考核), docs/assessment.md.

An :class:`AssessmentTemplate` is the province's list of items and points for a year
(:class:`Item`, numbered "3.2", nested by ``parent``); each item names the indicators that
evidence it (:class:`ItemIndicator`, optionally with a threshold that suggests a self-score)
and the documents it needs. An :class:`Assessment` is one city's self-assessment against a
template, read from one snapshot of the figures (``reports.Snapshot``), so its evidence pack is
reproducible: per item a self-score and comment (:class:`ItemScore`) and attached documents
(:class:`AssessmentDocument`, stored outside the web root).
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zhizao.assessment.choices import DocumentKind, Rule
from zhizao.core.display import is_chinese
from zhizao.core.models import Region
from zhizao.core.permissions import AnyUser, is_staff_user, staff_regions
from zhizao.core.validators import validate_plain_text
from zhizao.reports.models import Snapshot


def item_sort_key(number: str) -> str:
    """A key that sorts item numbers as numbers ("3.2" before "3.10")."""
    return ".".join(part.zfill(4) if part.isdigit() else part for part in number.split("."))


class AssessmentTemplate(models.Model):
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=200, validators=[validate_plain_text])
    is_demo = models.BooleanField(
        _("demo template"),
        default=False,
        help_text=_("A synthetic example, not the province's official assessment rules."),
    )
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assessment template")
        verbose_name_plural = _("assessment templates")
        ordering = ["-year", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["year", "name"], name="assessment_template_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"

    @property
    def total_points(self) -> Decimal:
        return sum((item.points for item in self.items.all() if item.parent_id is None), Decimal(0))


class Item(models.Model):
    template = models.ForeignKey(
        AssessmentTemplate,
        verbose_name=_("template"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    number = models.CharField(
        _("number"), max_length=16, help_text=_("The item's number in the rules, e.g. 3.2.")
    )
    sort_key = models.CharField(max_length=64, editable=False)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent item"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    title_zh = models.CharField(_("title (zh)"), max_length=200, validators=[validate_plain_text])
    title_en = models.CharField(
        _("title (en)"), max_length=300, blank=True, validators=[validate_plain_text]
    )
    points = models.DecimalField(
        _("points"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    criteria = models.TextField(_("criteria"), blank=True)
    required_documents = models.TextField(
        _("required documents"), blank=True, help_text=_("One document per line.")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assessment item")
        verbose_name_plural = _("assessment items")
        ordering = ["template", "sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="assessment_item_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title_zh}"

    @property
    def title(self) -> str:
        return self.title_zh if is_chinese() or not self.title_en else self.title_en

    @property
    def depth(self) -> int:
        return self.number.count(".")

    @property
    def required_list(self) -> list[str]:
        return [line.strip() for line in self.required_documents.splitlines() if line.strip()]


class ItemIndicator(models.Model):
    """An indicator of the registry (core.figures) that evidences an item, and optionally the
    threshold its figure must meet for the item's points to be suggested."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("indicator code"), max_length=120)
    rule = models.CharField(_("rule"), max_length=2, choices=Rule.choices, blank=True, default="")
    threshold = models.DecimalField(
        _("threshold"), max_digits=24, decimal_places=6, null=True, blank=True
    )
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("item indicator")
        verbose_name_plural = _("item indicators")
        ordering = ["item", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "code"], name="assessment_item_code_unique")
        ]

    def __str__(self) -> str:
        if not self.rule:
            return self.code
        threshold = "" if self.threshold is None else f"{self.threshold.normalize():f}"
        return f"{self.code} {self.rule} {threshold}".strip()

    def met(self, value: Decimal | int | None) -> bool | None:
        """Whether ``value`` meets the rule (``None``: no rule, or no value)."""
        if not self.rule or self.threshold is None or value is None:
            return None
        if self.rule == Rule.AT_LEAST:
            return Decimal(value) >= self.threshold
        return Decimal(value) <= self.threshold


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def visible_to(self, user: AnyUser) -> AssessmentQuerySet:
        """Bureau staff of the assessed region or a region above it (and superusers)."""
        if not is_staff_user(user):
            return self.none()
        return self.filter(region__in=staff_regions(user))


class Assessment(models.Model):
    template = models.ForeignKey(
        AssessmentTemplate,
        verbose_name=_("template"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="assessments"
    )
    snapshot = models.ForeignKey(
        Snapshot,
        verbose_name=_("snapshot of figures"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-template__year", "region__path", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "region"], name="assessment_assessment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region} · {self.template}"

    @property
    def year(self) -> int:
        return self.template.year


class ItemScore(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="scores")
    self_score = models.DecimalField(
        _("self-score"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    comment = models.TextField(_("comment"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("item self-score")
        verbose_name_plural = _("item self-scores")
        ordering = ["assessment", "item__sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="assessment_score_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item.number}: {self.self_score}"


def document_path(instance: AssessmentDocument, filename: str) -> str:
    # Never the uploaded name: a random name under MEDIA_ROOT, which the web server does not serve.
    return f"assessment/{instance.assessment_id}/{uuid.uuid4().hex}.{instance.kind}"


class AssessmentDocument(models.Model):
    """A PDF, DOCX or XLSX attached to an item of an assessment (kind sniffed from its
    content); served only through a permission-checked view."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="documents")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=8, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to=document_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assessment document")
        verbose_name_plural = _("assessment documents")
        ordering = ["assessment", "item__sort_key", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name
