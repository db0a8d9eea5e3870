"""Government quality awards (政府质量奖): programmes, editions, applications and their review,
results, public notices, revocations and validity monitoring.

Scoring follows GB/T 19580-2012 / GB/Z 19579-2012; the items, points and formulas live in the
indicator engine (:mod:`zhizao.indicators.excellence`), not here.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zhizao.awards.choices import (
    AwardCategory,
    AwardLevel,
    NoticeKind,
    ObjectionStatus,
    Outcome,
    ReviewStage,
    ReviewTrigger,
    Status,
    ValidityReviewOutcome,
)
from zhizao.core.display import edition_ordinal, localized_name
from zhizao.core.models import Organization, Person, Region
from zhizao.core.validators import validate_plain_text


class AwardProgramme(models.Model):
    """An award set up by a government (中国质量奖, 湖南省省长质量奖, 株洲市市长质量奖)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100, validators=[validate_plain_text])
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=AwardLevel.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("awarding region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="award_programmes",
        help_text=_("The province or city whose government confers it; empty for national."),
    )
    validity_years = models.PositiveSmallIntegerField(
        _("validity period (years)"),
        default=3,
        help_text=_("Winners are monitored for this many years after the award."),
    )
    rank = models.PositiveSmallIntegerField(
        _("ladder rank"), default=0, help_text=_("City 1 → provincial 2 → national 3.")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("award programme")
        verbose_name_plural = _("award programmes")
        ordering = ["-rank", "code"]

    def __str__(self) -> str:
        return localized_name(self)


class AwardEdition(models.Model):
    """One edition of a programme (第N届), with its deadlines, quotas and eligibility rules."""

    programme = models.ForeignKey(
        AwardProgramme,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="editions",
    )
    number = models.PositiveSmallIntegerField(_("edition number"))
    year = models.PositiveSmallIntegerField(_("year"))
    opens_at = models.DateTimeField(_("applications open"), null=True, blank=True)
    submission_deadline = models.DateTimeField(_("submission deadline"), null=True, blank=True)
    announced_on = models.DateField(_("results announced"), null=True, blank=True)
    award_quota = models.PositiveSmallIntegerField(_("award quota"), default=0)
    nomination_quota = models.PositiveSmallIntegerField(_("nomination award quota"), default=0)
    min_years_in_operation = models.PositiveSmallIntegerField(
        _("minimum years in operation"), default=0
    )
    incident_free_years = models.PositiveSmallIntegerField(
        _("incident-free years required"),
        default=0,
        help_text=_("No major quality-safety incident in this many years before applying."),
    )
    objection_days = models.PositiveSmallIntegerField(_("objection window (days)"), default=7)
    blind_material_review = models.BooleanField(
        _("blind material review"),
        default=False,
        help_text=_("Assessors see no applicant name during the material review."),
    )
    feedback_release_on = models.DateField(
        _("feedback reports released on"),
        null=True,
        blank=True,
        help_text=_("Applicants can download their feedback report from this date, not before."),
    )
    is_historic = models.BooleanField(
        _("historic record"),
        default=False,
        help_text=_("Results recorded from published lists; no applications were run here."),
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("award edition")
        verbose_name_plural = _("award editions")
        ordering = ["programme", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="awards_edition_unique")
        ]

    def __str__(self) -> str:
        return f"{edition_ordinal(self.number)} {localized_name(self.programme)} ({self.year})"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.opens_at and self.submission_deadline and self.opens_at >= self.submission_deadline:
            errors["submission_deadline"] = [_("The deadline must be after the opening date.")]
        if (
            self.feedback_release_on
            and self.submission_deadline
            and self.feedback_release_on < timezone.localdate(self.submission_deadline)
        ):
            errors["feedback_release_on"] = [
                _("Feedback reports cannot be released before the submission deadline.")
            ]
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude: Collection[str] | None = None) -> None:
        """Report a duplicate edition number on the ``number`` field, not as a form-wide error."""
        excluded = set(exclude or ())
        errors: dict[str, Any] = {}
        if (
            not excluded & {"programme", "number"}
            and self.programme_id is not None
            and self.number is not None
            and AwardEdition.objects.filter(programme_id=self.programme_id, number=self.number)
            .exclude(pk=self.pk)
            .exists()
        ):
            errors["number"] = [
                ValidationError(
                    _("This programme already has an edition number %(number)d."),
                    code="unique",
                    params={"number": self.number},
                )
            ]
            excluded.add("number")
        try:
            super().validate_constraints(exclude=excluded)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def is_open(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        if self.opens_at and now < self.opens_at:
            return False
        return not (self.submission_deadline and now > self.submission_deadline)


class Application(models.Model):
    """An application (申报) for an edition: self-assessment, attachments and declaration."""

    reference = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    edition = models.ForeignKey(
        AwardEdition,
        verbose_name=_("edition"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    category = models.CharField(
        _("category"),
        max_length=16,
        choices=AwardCategory.choices,
        default=AwardCategory.ORGANIZATION,
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("applicant organization"),
        on_delete=models.PROTECT,
        related_name="award_applications",
    )
    nominee = models.ForeignKey(
        Person,
        verbose_name=_("nominee (individual category)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="award_applications",
    )
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    established_on = models.DateField(_("established on"), null=True, blank=True)
    summary = models.TextField(_("organization overview (组织概述)"), blank=True)
    declaration_accepted = models.BooleanField(_("declaration accepted"), default=False)
    declared_no_incident = models.BooleanField(
        _("declares no major quality-safety incident in the required period"), default=False
    )
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("declared by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # Eligibility check entered by staff until an incidents register exists.
    incident_check_passed = models.BooleanField(_("incident check passed"), null=True, blank=True)
    incident_check_note = models.CharField(_("incident check note"), max_length=300, blank=True)
    incident_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("incident check by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_outcome = models.CharField(
        _("committee's proposed outcome"), max_length=16, choices=Outcome.choices, blank=True
    )
    notice = models.ForeignKey(
        "PublicNotice",
        verbose_name=_("public notice"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "organization", "category"],
                condition=Q(category=AwardCategory.ORGANIZATION),
                name="awards_one_org_application_per_edition",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.organization.name}"

    @property
    def code(self) -> str:
        return f"A-{self.pk:05d}" if self.pk else "A-new"

    @property
    def is_final(self) -> bool:
        return self.status in (Status.AWARDED, Status.NOMINATED, Status.NOT_AWARDED)


class SelfAssessment(models.Model):
    """The applicant's self-assessment of one GB/T 19580 item: narrative and results data."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="self_assessments"
    )
    item_code = models.CharField(_("item"), max_length=8)
    narrative = models.TextField(_("narrative"), blank=True)
    results_data = models.TextField(
        _("results data"), blank=True, help_text=_("Key figures, trends and comparisons.")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("self-assessment item")
        verbose_name_plural = _("self-assessment items")
        ordering = ["application", "item_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "item_code"], name="awards_self_assessment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application.code} {self.item_code}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # Never the uploaded name: a random name under MEDIA_ROOT, which the web server does not serve.
    return f"awards/attachments/{instance.application_id}/{uuid.uuid4().hex}.pdf"


class Attachment(models.Model):
    """A PDF attached to an application; served only through a permission-checked view."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class ConflictDeclaration(models.Model):
    """An assessor's declared conflict of interest with an organization."""

    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="award_conflicts"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="assessor_conflicts"
    )
    reason = models.CharField(_("reason"), max_length=300)
    declared_at = models.DateTimeField(_("declared"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("conflict-of-interest declaration")
        verbose_name_plural = _("conflict-of-interest declarations")
        constraints = [
            models.UniqueConstraint(
                fields=["assessor", "organization"], name="awards_conflict_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessor} ↔ {self.organization}"


class AssessorAssignment(models.Model):
    """An assessor assigned to review an application at one stage."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assignments"
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="award_assignments"
    )
    stage = models.CharField(_("stage"), max_length=16, choices=ReviewStage.choices)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assessor assignment")
        verbose_name_plural = _("assessor assignments")
        ordering = ["application", "stage", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "assessor", "stage"], name="awards_assignment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application.code} · {self.assessor} · {self.stage}"


class Score(models.Model):
    """One assessor's rating of one item (percent in 5% steps) with a comment."""

    assignment = models.ForeignKey(
        AssessorAssignment, on_delete=models.CASCADE, related_name="scores"
    )
    item_code = models.CharField(_("item"), max_length=8)
    percent = models.PositiveSmallIntegerField(_("rating (%)"))
    comment = models.TextField(_("comment"), blank=True)
    scored_at = models.DateTimeField(_("scored"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["assignment", "item_code"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "item_code"], name="awards_score_unique"),
            models.CheckConstraint(condition=Q(percent__lte=100), name="awards_score_percent_max"),
        ]

    def __str__(self) -> str:
        return f"{self.item_code}: {self.percent}%"


class ConsensusScore(models.Model):
    """The agreed rating of an item after the consensus meeting, kept apart from individual ones."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="consensus_scores"
    )
    stage = models.CharField(_("stage"), max_length=16, choices=ReviewStage.choices)
    item_code = models.CharField(_("item"), max_length=8)
    percent = models.PositiveSmallIntegerField(_("consensus rating (%)"))
    comment = models.TextField(_("comment"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("consensus score")
        verbose_name_plural = _("consensus scores")
        ordering = ["application", "stage", "item_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "stage", "item_code"], name="awards_consensus_unique"
            ),
            models.CheckConstraint(
                condition=Q(percent__lte=100), name="awards_consensus_percent_max"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application.code} {self.stage} {self.item_code}: {self.percent}%"


class Transition(models.Model):
    """The audit trail of the award cycle: who moved an application, when, and why."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(_("from"), max_length=24, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=24, choices=Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=32)
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.application.code}: {self.from_status} → {self.to_status}"


class FeedbackEntry(models.Model):
    """The feedback report's strengths and opportunities for improvement in one category."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="feedback_entries"
    )
    category_code = models.CharField(_("category"), max_length=8)
    strengths = models.TextField(_("strengths"), blank=True)
    opportunities = models.TextField(_("opportunities for improvement"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("feedback entry")
        verbose_name_plural = _("feedback entries")
        ordering = ["application", "category_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "category_code"], name="awards_feedback_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application.code} {self.category_code}"


class PublicNotice(models.Model):
    """A public notice (公示): the pre-award list with its objection window, or a revocation."""

    edition = models.ForeignKey(AwardEdition, on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField(_("kind"), max_length=16, choices=NoticeKind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    objection_ends_at = models.DateTimeField(_("objections accepted until"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def objections_open(self, now: dt.datetime | None = None) -> bool:
        return bool(self.objection_ends_at and (now or timezone.now()) <= self.objection_ends_at)


class Objection(models.Model):
    """An objection received during a public notice's window: filed by anyone on the public
    form (``recorded_by`` empty) or recorded by staff from a letter or call."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="objections"
    )
    objector_name = models.CharField(
        _("objector's name"), max_length=100, blank=True, validators=[validate_plain_text]
    )
    objector_contact = models.CharField(
        _("objector's contact"),
        max_length=200,
        blank=True,
        validators=[validate_plain_text],
        help_text=_("Telephone, e-mail or address; seen by staff only."),
    )
    text = models.TextField(_("objection"))
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=16, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN
    )
    resolution = models.TextField(_("resolution"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty when filed on the public objection form."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["received_at", "pk"]

    def __str__(self) -> str:
        return f"{self.application.code}: {self.text[:40]}"


class AwardResultQuerySet(models.QuerySet["AwardResult"]):
    def published(self) -> AwardResultQuerySet:
        return self.filter(published_at__isnull=False)

    def standing(self) -> AwardResultQuerySet:
        """Published and not revoked: what counts in tallies."""
        return self.published().filter(revoked_at__isnull=True)


class AwardResult(models.Model):
    """An outcome conferred in an edition: award or nomination award, to an organization or an
    individual. Historic results are loaded from published lists; new ones come from the cycle."""

    edition = models.ForeignKey(AwardEdition, on_delete=models.PROTECT, related_name="results")
    category = models.CharField(_("category"), max_length=16, choices=AwardCategory.choices)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    name_as_awarded = models.CharField(
        _("name as awarded"),
        max_length=200,
        help_text=_("The winner's name as published, e.g. a company's former name."),
    )
    holder_title = models.CharField(
        _("position (individuals)"), max_length=200, blank=True, validators=[validate_plain_text]
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="award_results",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="award_results",
    )
    city = models.ForeignKey(
        Region,
        verbose_name=_("city credited"),
        on_delete=models.PROTECT,
        related_name="award_results",
    )
    application = models.OneToOneField(
        Application, null=True, blank=True, on_delete=models.PROTECT, related_name="result"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revocation_reason = models.TextField(_("revocation reason"), blank=True)
    revocation_notice = models.ForeignKey(
        PublicNotice, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The honour the published result holds in the registry (registry.services.
    # record_award_honour). The link lives here: awards feeds the registry, which knows
    # nothing of awards.
    honour = models.OneToOneField(
        "registry.Honour",
        verbose_name=_("honour"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="award_result",
    )
    is_synthetic = models.BooleanField(_("synthetic demo record"), default=False)
    source = models.CharField(_("source"), max_length=300, blank=True)
    history = HistoricalRecords()

    objects = AwardResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("award result")
        verbose_name_plural = _("award results")
        ordering = ["edition", "outcome", "category", "name_as_awarded"]

    def __str__(self) -> str:
        return f"{self.edition}: {self.name_as_awarded} ({self.get_outcome_display()})"

    @property
    def valid_until(self) -> dt.date:
        return dt.date(self.edition.year + self.edition.programme.validity_years, 12, 31)


class ValidityReview(models.Model):
    """A review opened during an award's validity period (incident, failed sampling…)."""

    result = models.ForeignKey(AwardResult, on_delete=models.CASCADE, related_name="reviews")
    trigger = models.CharField(_("trigger"), max_length=24, choices=ReviewTrigger.choices)
    note = models.TextField(_("note"))
    outcome = models.CharField(
        _("outcome"),
        max_length=16,
        choices=ValidityReviewOutcome.choices,
        default=ValidityReviewOutcome.OPEN,
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("validity review")
        verbose_name_plural = _("validity reviews")
        ordering = ["-opened_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.result}: {self.get_trigger_display()}"
