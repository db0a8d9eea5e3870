"""Plans and the departments' figures (质量发展规划, 行动方案, 部门报送).

A :class:`Plan` (规划, 实施方案, 行动方案) has :class:`Target`\\ s, each an indicator of the
registry with a baseline and a target value and year, and :class:`Action`\\ s broken into
:class:`Task`\\ s, each with a lead department, supporting departments, a deadline and the chain
or park it concerns; departments file a :class:`ProgressReport` on their tasks each period.

Departments submit figures the DHIS2 way: a :class:`DataSet` names the :class:`DataElement`\\ s
(each a department figure, ``plans.department_figures``) one department submits per period, with
a due date and validation rules; a :class:`Submission` is one data set for one period, with its
:class:`SubmissionValue`\\ s and :class:`EvidenceDocument`\\ s, reviewed by the bureau and locked
once approved.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zhizao.core.choices import IndustryChain, Role
from zhizao.core.models import Organization, Region, User
from zhizao.core.permissions import AnyUser, staff_regions
from zhizao.core.validators import validate_plain_text
from zhizao.plans.choices import (
    Comparison,
    PeriodType,
    PlanKind,
    PlanLevel,
    SubmissionStatus,
    TaskStatus,
)
from zhizao.plans.department_figures import BY_CODE


def _department_id(user: AnyUser) -> int | None:
    if user.is_authenticated and user.role == Role.DEPARTMENT:
        return user.organization_id
    return None


class Plan(models.Model):
    """A plan or policy document the city's quality work runs from."""

    title = models.CharField(_("title"), max_length=200, validators=[validate_plain_text])
    title_en = models.CharField(_("English title"), max_length=300, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=PlanKind.choices)
    level = models.CharField(_("level"), max_length=16, choices=PlanLevel.choices)
    issuing_body = models.CharField(_("issuing body"), max_length=200)
    document_number = models.CharField(
        _("document number"),
        max_length=100,
        blank=True,
        help_text=_("文号, e.g. 株政发〔2021〕5号"),
    )
    city = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="plans")
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    file = models.FileField(_("file"), upload_to="plans/files/", blank=True, max_length=200)
    is_synthetic = models.BooleanField(_("synthetic demo record"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-start_year", "title"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.end_year < self.start_year:
            raise ValidationError({"end_year": _("The last year is before the first year.")})


class Target(models.Model):
    """A goal of a plan: an indicator of the registry, its baseline and its target."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    indicator_code = models.CharField(
        _("indicator code"), max_length=80, help_text=_("A code of the indicator registry.")
    )
    description = models.CharField(_("goal"), max_length=300, blank=True)
    baseline_value = models.DecimalField(_("baseline value"), max_digits=14, decimal_places=2)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"))
    target_value = models.DecimalField(_("target value"), max_digits=14, decimal_places=2)
    target_year = models.PositiveSmallIntegerField(_("target year"))
    is_synthetic = models.BooleanField(_("synthetic demo record"), default=False)
    off_track_flagged_year = models.PositiveSmallIntegerField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["plan", "indicator_code"]

    def __str__(self) -> str:
        return f"{self.indicator_code} → {self.target_value} ({self.target_year})"

    def clean(self) -> None:
        from zhizao.core import figures

        if figures.get(self.indicator_code) is None:
            raise ValidationError(
                {"indicator_code": _("No indicator with this code is registered.")}
            )
        if self.target_year < self.baseline_year:
            raise ValidationError(
                {"target_year": _("The target year is before the baseline year.")}
            )


class Action(models.Model):
    """An improvement action of a plan (a chain's quality improvement, a measure)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("title"), max_length=200, validators=[validate_plain_text])
    chain = models.CharField(
        _("industry chain"), max_length=32, choices=IndustryChain.choices, blank=True
    )
    is_synthetic = models.BooleanField(_("synthetic demo record"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["plan", "pk"]

    def __str__(self) -> str:
        return self.title


class TaskQuerySet(models.QuerySet["Task"]):
    def visible_to(self, user: AnyUser) -> TaskQuerySet:
        """Bureau staff: the tasks of their regions' plans; departments: their own tasks."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        department = _department_id(user)
        if department is not None:
            return self.filter(
                Q(lead_department_id=department) | Q(supporting_departments__id=department)
            ).distinct()
        return self.filter(action__plan__city__in=staff_regions(user))

    def reportable_by(self, user: AnyUser) -> TaskQuerySet:
        """Progress is reported by the lead department (or a superuser)."""
        if user.is_authenticated and user.is_superuser:
            return self
        department = _department_id(user)
        if department is None:
            return self.none()
        return self.filter(lead_department_id=department)


class Task(models.Model):
    """A task of an action: who leads it, who supports it, by when, where."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=300, validators=[validate_plain_text])
    lead_department = models.ForeignKey(
        Organization,
        verbose_name=_("lead department"),
        on_delete=models.PROTECT,
        related_name="led_plan_tasks",
    )
    supporting_departments = models.ManyToManyField(
        Organization,
        verbose_name=_("supporting departments"),
        blank=True,
        related_name="supported_plan_tasks",
    )
    deadline = models.DateField(_("deadline"))
    chain = models.CharField(
        _("industry chain"), max_length=32, choices=IndustryChain.choices, blank=True
    )
    park = models.ForeignKey(
        Region,
        verbose_name=_("park or district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_tasks",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    overdue_flagged_at = models.DateTimeField(_("flagged overdue"), null=True, blank=True)
    is_synthetic = models.BooleanField(_("synthetic demo record"), default=False)
    history = HistoricalRecords()

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["deadline", "pk"]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: date) -> bool:
        return self.deadline < today and self.status in (
            TaskStatus.NOT_STARTED,
            TaskStatus.IN_PROGRESS,
        )


def progress_document_path(instance: ProgressReport, filename: str) -> str:
    return f"plans/progress/{instance.task_id}/{uuid.uuid4().hex}.pdf"


class ProgressReport(models.Model):
    """A department's report on a task for one period (text, a figure, a document)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="progress_reports")
    period = models.CharField(_("period"), max_length=8, help_text=_("2021, 2021Q3 or 202109"))
    text = models.TextField(_("progress"))
    value = models.DecimalField(_("figure"), max_digits=14, decimal_places=2, null=True, blank=True)
    document = models.FileField(
        _("document"), upload_to=progress_document_path, blank=True, max_length=200
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("reported"), auto_now_add=True)
    is_synthetic = models.BooleanField(_("synthetic demo record"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-reported_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.task} {self.period}"


class DataSetQuerySet(models.QuerySet["DataSet"]):
    def visible_to(self, user: AnyUser) -> DataSetQuerySet:
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        department = _department_id(user)
        if department is not None:
            return self.filter(department_id=department)
        return self.filter(department__region__in=staff_regions(user))


class DataSet(models.Model):
    """A named set of figures one department submits per period (DHIS2's data set)."""

    name = models.CharField(_("name"), max_length=200, validators=[validate_plain_text])
    name_en = models.CharField(_("English name"), max_length=300, blank=True)
    department = models.ForeignKey(
        Organization,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="plan_data_sets",
    )
    period_type = models.CharField(_("period type"), max_length=16, choices=PeriodType.choices)
    due_days = models.PositiveSmallIntegerField(
        _("days to submit"),
        default=30,
        help_text=_("A period's submission is due this many days after the period ends."),
    )
    first_period = models.CharField(_("first period"), max_length=8)
    is_synthetic = models.BooleanField(_("synthetic demo record"), default=False)
    history = HistoricalRecords()

    objects = DataSetQuerySet.as_manager()

    class Meta:
        verbose_name = _("data set")
        verbose_name_plural = _("data sets")
        ordering = ["department__name", "name"]

    def __str__(self) -> str:
        return self.name


class DataElement(models.Model):
    """One figure of a data set, with its validation rules."""

    data_set = models.ForeignKey(DataSet, on_delete=models.CASCADE, related_name="elements")
    figure_code = models.CharField(
        _("figure"), max_length=80, help_text=_("A department figure (dept.…).")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    min_value = models.DecimalField(
        _("lowest value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("highest value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    comparison = models.CharField(
        _("comparison"), max_length=4, choices=Comparison.choices, blank=True
    )
    compared_with = models.ForeignKey(
        "self",
        verbose_name=_("compared with"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    change_threshold = models.DecimalField(
        _("change needing an explanation (%)"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("A change against the last period above this share asks for an explanation."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("data element")
        verbose_name_plural = _("data elements")
        ordering = ["data_set", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["data_set", "figure_code"], name="plans_element_figure_unique"
            ),
            models.UniqueConstraint(
                fields=["figure_code"], name="plans_element_one_source_per_figure"
            ),
        ]

    def __str__(self) -> str:
        return self.figure_code

    @property
    def figure(self):  # type: ignore[no-untyped-def]
        return BY_CODE[self.figure_code]

    @property
    def label(self) -> str:
        from zhizao.core.display import is_chinese

        name = BY_CODE[self.figure_code].name
        return name[0] if is_chinese() else name[1]

    def clean(self) -> None:
        if self.figure_code not in BY_CODE:
            raise ValidationError(
                {
                    "figure_code": _(
                        "Not a department figure: a figure another app computes from its "
                        "records is never also submitted (one source per figure)."
                    )
                }
            )


class SubmissionQuerySet(models.QuerySet["Submission"]):
    def visible_to(self, user: AnyUser) -> SubmissionQuerySet:
        """Bureau staff: submissions of the departments in their regions; a department user:
        its own department's."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        department = _department_id(user)
        if department is not None:
            return self.filter(data_set__department_id=department)
        return self.filter(data_set__department__region__in=staff_regions(user))

    def approved(self) -> SubmissionQuerySet:
        return self.filter(status=SubmissionStatus.APPROVED)


class Submission(models.Model):
    """One data set's values for one period (2021, 2021Q1, 202103)."""

    data_set = models.ForeignKey(DataSet, on_delete=models.PROTECT, related_name="submissions")
    period = models.CharField(_("period"), max_length=8)
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.DRAFT,
        db_index=True,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    return_reason = models.CharField(_("reason for return"), max_length=500, blank=True)
    is_synthetic = models.BooleanField(_("synthetic demo record"), default=False)
    history = HistoricalRecords()

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-period", "data_set__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["data_set", "period"], name="plans_submission_one_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.data_set} {self.period}"

    @property
    def is_locked(self) -> bool:
        return self.status == SubmissionStatus.APPROVED


class SubmissionValueQuerySet(models.QuerySet["SubmissionValue"]):
    def approved(self) -> SubmissionValueQuerySet:
        return self.filter(submission__status=SubmissionStatus.APPROVED)


class SubmissionValue(models.Model):
    """One figure's value in a submission, with the explanation a rule asked for."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="values")
    element = models.ForeignKey(DataElement, on_delete=models.PROTECT, related_name="values")
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    explanation = models.CharField(_("explanation"), max_length=500, blank=True)
    is_synthetic = models.BooleanField(_("synthetic demo record"), default=False)
    history = HistoricalRecords()

    objects = SubmissionValueQuerySet.as_manager()

    class Meta:
        verbose_name = _("submitted value")
        verbose_name_plural = _("submitted values")
        ordering = ["submission", "element__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "element"], name="plans_value_one_per_element"
            )
        ]

    def __str__(self) -> str:
        return f"{self.element.figure_code} = {self.value}"


def evidence_path(instance: EvidenceDocument, filename: str) -> str:
    # Never the uploaded name: a random name under MEDIA_ROOT, which the web server does not serve.
    return f"plans/evidence/{instance.submission_id}/{uuid.uuid4().hex}.pdf"


class EvidenceDocument(models.Model):
    """A PDF backing a submission; served only through a permission-checked view."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evidence document")
        verbose_name_plural = _("evidence documents")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


def bureau_staff_of(region: Region) -> QuerySet[User]:
    """Active bureau staff whose region covers ``region`` (the city's staff for a city
    department): who is told about submissions and overdue tasks."""
    ancestors = [int(pk) for pk in region.path.strip("/").split("/") if pk]
    return User.objects.filter(is_active=True, role=Role.BUREAU_STAFF, region_id__in=ancestors)
