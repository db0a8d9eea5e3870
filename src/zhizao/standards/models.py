"""The standards registry (标准): one record per edition of a standard, its code parsed by
zhizao.stdcodes, and the local organizations that drafted it with their role (主导 / 参与).
Docs: docs/standards.md."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zhizao.core.models import Organization
from zhizao.core.validators import validate_plain_text
from zhizao.standards.choices import (
    DraftingRole,
    Revision,
    StandardKind,
    StandardLevel,
    StandardStatus,
)
from zhizao.standards.validators import parse_standard_code, validate_standard_code
from zhizao.stdcodes import parse

CODE_PARTS = ("code_key", "body", "kind", "number", "part", "year", "level")
"""Fields that follow from the code; never entered, set by :meth:`Standard.clean`."""


class StandardQuerySet(models.QuerySet["Standard"]):
    def in_force(self) -> StandardQuerySet:
        return self.filter(status=StandardStatus.IN_FORCE)

    def matching(self, code: str) -> StandardQuerySet:
        """Editions of the standard ``code`` names, however it is written (``GB/T 19001``,
        ``GB/T19001-2016``, ``GB/T 19001—2016``); only that edition if ``code`` has a year.
        An invalid code matches nothing."""
        parsed = parse(code).standard
        if parsed is None:
            return self.none()
        editions = self.filter(code_key=parsed.key)
        return editions.filter(year=parsed.year) if parsed.year else editions


class Standard(models.Model):
    """One edition of a standard (标准), e.g. GB/T 19001-2016."""

    code = models.CharField(
        _("standard code"),
        max_length=80,
        validators=[validate_standard_code],
        help_text=_(
            "As printed, e.g. GB/T 19001-2016, ISO 9001:2015 or DB43/T 1234-2020, with its year; "
            "stored in normalised form."
        ),
    )
    code_key = models.CharField(
        _("standard (any edition)"), max_length=80, blank=True, editable=False, db_index=True
    )
    body = models.CharField(_("body"), max_length=20, blank=True, editable=False)
    kind = models.CharField(
        _("kind"), max_length=40, choices=StandardKind.choices, blank=True, editable=False
    )
    number = models.CharField(_("number"), max_length=20, blank=True, editable=False)
    part = models.CharField(_("part"), max_length=20, blank=True, editable=False)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True, editable=False)
    level = models.CharField(
        _("level"),
        max_length=16,
        choices=StandardLevel.choices,
        blank=True,
        editable=False,
        db_index=True,
    )
    title = models.CharField(_("title"), max_length=300, validators=[validate_plain_text])
    title_en = models.CharField(
        _("English title"), max_length=400, blank=True, validators=[validate_plain_text]
    )
    status = models.CharField(
        _("status"), max_length=16, choices=StandardStatus.choices, default=StandardStatus.IN_FORCE
    )
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("superseded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supersedes",
    )
    published_on = models.DateField(_("publication date"), null=True, blank=True)
    implemented_on = models.DateField(_("implementation date"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawal date"), null=True, blank=True)
    revision = models.CharField(
        _("new or revision"), max_length=16, choices=Revision.choices, default=Revision.NEW
    )
    drafting_organizations = models.TextField(
        _("drafting organizations"),
        blank=True,
        validators=[validate_plain_text],
        help_text=_("All drafting organizations as printed in the foreword, one per line."),
    )
    is_synthetic = models.BooleanField(
        _("synthetic demo record"),
        default=False,
        help_text=_("Generated for the demo city; not taken from the source article."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    objects = StandardQuerySet.as_manager()

    class Meta:
        verbose_name = _("standard")
        verbose_name_plural = _("standards")
        ordering = ["level", "code_key", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="standards_standard_code_unique"),
            models.CheckConstraint(
                condition=Q(status=StandardStatus.SUPERSEDED, superseded_by__isnull=False)
                | (~Q(status=StandardStatus.SUPERSEDED) & Q(superseded_by__isnull=True)),
                name="standards_superseded_has_successor",
                violation_error_message=_(
                    "A superseded standard names the standard that supersedes it, and only a "
                    "superseded one does."
                ),
            ),
            models.CheckConstraint(
                condition=Q(implemented_on__isnull=True)
                | Q(published_on__isnull=True)
                | Q(implemented_on__gte=F("published_on")),
                name="standards_implemented_after_published",
                violation_error_message=_(
                    "The implementation date cannot be before the publication date."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def clean(self) -> None:
        """Parse the code and derive its parts; refuse a code without its edition's year. The
        checks of the database constraints are repeated here so that their errors name their
        field (the constraints still guard every other way in)."""
        super().clean()
        errors: dict[str, list[ValidationError]] = {}
        if self.code:
            try:
                self._apply_code()
            except ValidationError as error:
                errors["code"] = error.error_list
        if self.published_on and self.implemented_on and self.implemented_on < self.published_on:
            errors["implemented_on"] = [
                ValidationError(
                    _("The implementation date cannot be before the publication date."),
                    code="implemented_before_published",
                )
            ]
        superseded = self.status == StandardStatus.SUPERSEDED
        if self.superseded_by_id is not None and self.superseded_by_id == self.pk:
            errors["superseded_by"] = [
                ValidationError(_("A standard cannot supersede itself."), code="self_successor")
            ]
        elif superseded != (self.superseded_by_id is not None):
            errors["superseded_by"] = [
                ValidationError(
                    _(
                        "A superseded standard names the standard that supersedes it, and only "
                        "a superseded one does."
                    ),
                    code="successor",
                )
            ]
        if self.status != StandardStatus.WITHDRAWN and self.withdrawn_on is not None:
            errors["withdrawn_on"] = [
                ValidationError(
                    _("Only a withdrawn standard has a withdrawal date."), code="withdrawn_on"
                )
            ]
        if errors:
            raise ValidationError(errors)

    def _apply_code(self) -> None:
        parsed = parse_standard_code(self.code)
        if parsed.year is None:
            raise ValidationError(
                _(
                    "Give the edition's year (e.g. GB/T 19001-2016, ISO 9001:2015): a record is "
                    "one edition of a standard."
                ),
                code="missing_year",
            )
        self.code = parsed.code
        self.code_key = parsed.key
        self.body = parsed.body
        self.kind = parsed.kind.value
        self.number = parsed.number
        self.part = parsed.part or ""
        self.year = parsed.year
        self.level = parsed.level.value


class StandardDrafter(models.Model):
    """A local organization among a standard's drafters, with its role (主导 led / 参与
    participated)."""

    standard = models.ForeignKey(
        Standard, verbose_name=_("standard"), on_delete=models.CASCADE, related_name="drafters"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="drafted_standards",
    )
    role = models.CharField(_("role"), max_length=16, choices=DraftingRole.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("drafting organization")
        verbose_name_plural = _("drafting organizations")
        ordering = ["standard", "role", "organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["standard", "organization"], name="standards_drafter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.standard.code}: {self.organization} ({self.get_role_display()})"
