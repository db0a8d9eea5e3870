"""Every change to plans, tasks and department submissions (docs/decisions/0004).

Plans: :func:`create_plan`, :func:`add_target`, :func:`add_action`, :func:`add_task`,
:func:`report_progress`, :func:`flag_overdue`. Submissions: :func:`open_submission`,
:func:`enter_values`, :func:`add_evidence`, :func:`submit_submission`,
:func:`return_submission`, :func:`approve_submission` (which locks the period),
:func:`unlock_submission` and :func:`import_submissions` (XLSX, all or nothing). The rules a
submission must pass are checked by one validator, :func:`check_values`, for the form and the
import alike.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhizao.core import figures
from zhizao.core.actors import acting_as, is_system_actor
from zhizao.core.models import Organization, Region, User
from zhizao.core.notifications import notify
from zhizao.core.permissions import is_staff_user, staff_regions
from zhizao.core.uploads import check_pdf_upload
from zhizao.indicators import targets as engine
from zhizao.plans import periods, permissions
from zhizao.plans.choices import (
    EDITABLE_STATUSES,
    MSG_SUBMISSION_APPROVED,
    MSG_SUBMISSION_RETURNED,
    MSG_SUBMISSION_SUBMITTED,
    MSG_TARGET_OFF_TRACK,
    MSG_TASK_OVERDUE,
    OPEN_TASK_STATUSES,
    Comparison,
    SubmissionStatus,
    TaskStatus,
)
from zhizao.plans.models import (
    Action,
    DataElement,
    DataSet,
    EvidenceDocument,
    Plan,
    ProgressReport,
    Submission,
    SubmissionValue,
    Target,
    Task,
    bureau_staff_of,
)

# --- Plans ---------------------------------------------------------------------------------------


def _require_planner(actor: User, city: Region) -> None:
    if is_system_actor(actor):
        return
    if not (is_staff_user(actor) and staff_regions(actor).filter(pk=city.pk).exists()):
        raise PermissionDenied(_("Only bureau staff of the plan's region may change its plans."))


def _save(instance: Any, reason: str = "") -> None:
    instance.full_clean()
    if reason:
        instance._change_reason = reason[:100]
    instance.save()


def create_plan(actor: User, data: Mapping[str, Any]) -> Plan:
    plan = Plan(**data)
    _require_planner(actor, plan.city)
    with transaction.atomic(), acting_as(actor):
        _save(plan)
    return plan


def add_target(actor: User, plan: Plan, data: Mapping[str, Any]) -> Target:
    _require_planner(actor, plan.city)
    target = Target(plan=plan, **data)
    with transaction.atomic(), acting_as(actor):
        _save(target)
    return target


def add_action(actor: User, plan: Plan, data: Mapping[str, Any]) -> Action:
    _require_planner(actor, plan.city)
    action = Action(plan=plan, **data)
    with transaction.atomic(), acting_as(actor):
        _save(action)
    return action


def add_task(
    actor: User,
    action: Action,
    data: Mapping[str, Any],
    supporting: Iterable[Organization] = (),
) -> Task:
    _require_planner(actor, action.plan.city)
    task = Task(action=action, **data)
    with transaction.atomic(), acting_as(actor):
        _save(task)
        task.supporting_departments.set(list(supporting))
    return task


def report_progress(
    actor: User,
    task: Task,
    period: str,
    text: str,
    *,
    value: Decimal | None = None,
    status: str = "",
    document: UploadedFile[bytes] | None = None,
    is_synthetic: bool = False,
) -> ProgressReport:
    """The lead department's report on ``task`` for ``period``; it may move the task's status."""
    if not (is_system_actor(actor) or permissions.can_report_progress(actor, task)):
        raise PermissionDenied(_("Only the task's lead department may report its progress."))
    errors: dict[str, list[str]] = {}
    if not text.strip():
        errors["text"] = [_("Describe the progress made in the period.")]
    if status and status not in TaskStatus.values:
        errors["status"] = [_("Choose a task status from the list.")]
    try:
        periods.parse(_period_type_of(period), period)
    except ValidationError as error:
        errors.update(error.message_dict)
    content = b""
    if document is not None:
        try:
            content = check_pdf_upload(document)
        except ValidationError as error:
            errors["document"] = error.message_dict["file"]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), acting_as(actor):
        locked = Task.objects.select_for_update().get(pk=task.pk)
        report = ProgressReport(
            task=locked,
            period=period,
            text=text.strip(),
            value=value,
            reported_by=actor,
            is_synthetic=is_synthetic,
        )
        if document is not None and content:
            document.seek(0)
            report.document.save("progress.pdf", document, save=False)
        report.save()
        if status and status != locked.status:
            locked.status = status
            locked.save(update_fields=["status"])
    return report


def _period_type_of(code: str) -> str:
    from zhizao.plans.choices import PeriodType

    if "Q" in code:
        return PeriodType.QUARTERLY
    return PeriodType.MONTHLY if len(code) == 6 else PeriodType.YEARLY


@dataclass(frozen=True)
class TargetStanding:
    """A target against the registry's current figure: the value, the trajectory's value for
    the year, whether it is on track and the figure's drill-down."""

    target: Target
    year: int
    value: Decimal | int | None
    expected: float
    on_track: bool | None
    url: str
    unit: str
    synthetic: bool
    title: str


def target_standing(target: Target, year: int) -> TargetStanding:
    indicator = figures.get(target.indicator_code)
    expected = engine.trajectory_value(
        target.baseline_year,
        float(target.baseline_value),
        target.target_year,
        float(target.target_value),
        year,
    )
    if indicator is None:
        return TargetStanding(target, year, None, expected, None, "", "", False, "")
    figure = indicator.compute(target.plan.city, year)
    on_track = (
        None
        if figure.value is None
        else engine.on_track(float(figure.value), expected, indicator.direction)
    )
    return TargetStanding(
        target,
        year,
        figure.value,
        expected,
        on_track,
        figure.url,
        figure.unit,
        figure.synthetic,
        indicator.title,
    )


@dataclass
class Flagged:
    tasks: int = 0
    targets: int = 0


def flag_overdue(actor: User, today: date | None = None) -> Flagged:
    """Tell the bureau (once per task; once per target and year) about tasks past their
    deadline and targets off their trajectory. Run by the system (``zhizao plans_flag_overdue``)."""
    if not (is_system_actor(actor) or (actor.is_authenticated and actor.is_superuser)):
        raise PermissionDenied(_("Overdue tasks are flagged by the system."))
    today = today or timezone.localdate()
    flagged = Flagged()
    with transaction.atomic(), acting_as(actor):
        overdue = (
            Task.objects.select_for_update()
            .filter(deadline__lt=today, status__in=OPEN_TASK_STATUSES, overdue_flagged_at=None)
            .select_related("action__plan__city", "lead_department")
        )
        for task in overdue:
            notify(
                bureau_staff_of(task.action.plan.city),
                MSG_TASK_OVERDUE,
                {
                    "task": task.title,
                    "plan": task.action.plan.title,
                    "department": task.lead_department.name,
                    "deadline": task.deadline.isoformat(),
                },
            )
            task.overdue_flagged_at = timezone.now()
            task.save(update_fields=["overdue_flagged_at"])
            flagged.tasks += 1
        year = today.year - 1  # the last full year
        for target in Target.objects.select_for_update().select_related("plan__city"):
            if target.off_track_flagged_year == year or year < target.baseline_year:
                continue
            standing = target_standing(target, year)
            if standing.on_track is not False:
                continue
            notify(
                bureau_staff_of(target.plan.city),
                MSG_TARGET_OFF_TRACK,
                {
                    "indicator": standing.title,
                    "plan": target.plan.title,
                    "value": standing.value,
                    "expected": round(standing.expected, 2),
                    "year": year,
                },
            )
            target.off_track_flagged_year = year
            target.save(update_fields=["off_track_flagged_year"])
            flagged.targets += 1
    return flagged


# --- Submissions ---------------------------------------------------------------------------------

Entry = tuple[Decimal | None, str]  # (value, explanation)


def _previous_values(data_set: DataSet, period: periods.Period) -> dict[int, Decimal]:
    """The approved values of the period before ``period``, by element."""
    rows = SubmissionValue.objects.approved().filter(
        submission__data_set=data_set, submission__period=period.previous().code
    )
    return {row.element_id: row.value for row in rows}


def check_values(
    data_set: DataSet,
    period: periods.Period,
    entries: Mapping[int, Entry],
    *,
    elements: list[DataElement] | None = None,
) -> dict[str, list[str]]:
    """The data set's rules against one period's ``entries`` (element id → value, explanation):
    every value present, in its range, in its comparison, and a change against the last
    period's approved value above the element's threshold explained. Errors by field
    (``value_<id>``, ``explanation_<id>``); the one validator of the form and the import."""
    elements = elements if elements is not None else list(data_set.elements.all())
    previous = _previous_values(data_set, period)
    errors: dict[str, list[str]] = {}
    values = {pk: entry[0] for pk, entry in entries.items()}
    for element in elements:
        value, explanation = entries.get(element.pk, (None, ""))
        key = f"value_{element.pk}"
        label = element.label
        if value is None:
            errors.setdefault(key, []).append(_("%(figure)s: enter a value.") % {"figure": label})
            continue
        if element.min_value is not None and value < element.min_value:
            errors.setdefault(key, []).append(
                _("%(figure)s: %(value)s is below the lowest value allowed, %(limit)s.")
                % {"figure": label, "value": value, "limit": element.min_value}
            )
        if element.max_value is not None and value > element.max_value:
            errors.setdefault(key, []).append(
                _("%(figure)s: %(value)s is above the highest value allowed, %(limit)s.")
                % {"figure": label, "value": value, "limit": element.max_value}
            )
        other = element.compared_with
        if element.comparison and other is not None and values.get(other.pk) is not None:
            limit = values[other.pk]
            assert limit is not None
            broken = (element.comparison == Comparison.LTE and value > limit) or (
                element.comparison == Comparison.GTE and value < limit
            )
            if broken:
                errors.setdefault(key, []).append(
                    _("%(figure)s: %(value)s must be %(comparison)s %(other)s (%(limit)s).")
                    % {
                        "figure": label,
                        "value": value,
                        "comparison": Comparison(element.comparison).label,
                        "other": other.label,
                        "limit": limit,
                    }
                )
        before = previous.get(element.pk)
        if (
            element.change_threshold is not None
            and engine.needs_explanation(
                None if before is None else float(before),
                float(value),
                float(element.change_threshold),
            )
            and not explanation.strip()
        ):
            change = engine.change_percent(float(before or 0), float(value))
            errors.setdefault(f"explanation_{element.pk}", []).append(
                _(
                    "%(figure)s changed from %(before)s in %(period)s to %(value)s "
                    "(%(change)s), more than %(threshold)s%%: explain the change."
                )
                % {
                    "figure": label,
                    "before": before,
                    "period": period.previous().code,
                    "value": value,
                    "change": "—" if change is None else f"{change:+.1f}%",
                    "threshold": element.change_threshold,
                }
            )
    return errors


def _require_entry(actor: User, data_set: DataSet) -> None:
    if not (is_system_actor(actor) or permissions.can_enter(actor, data_set)):
        raise PermissionDenied(_("Only the data set's department may enter its figures."))


def _require_review(actor: User, data_set: DataSet) -> None:
    if not (is_system_actor(actor) or permissions.can_review(actor, data_set)):
        raise PermissionDenied(
            _("Only bureau staff of the department's region may review its submissions.")
        )


def open_submission(
    actor: User, data_set: DataSet, period_code: str, *, is_synthetic: bool = False
) -> Submission:
    """The data set's submission for the period (a new draft if there is none)."""
    _require_entry(actor, data_set)
    period = periods.parse(data_set.period_type, period_code)
    if period < periods.parse(data_set.period_type, data_set.first_period):
        raise ValidationError(
            {"period": _("This data set starts at %(first)s.") % {"first": data_set.first_period}}
        )
    with transaction.atomic(), acting_as(actor):
        submission, _created = Submission.objects.get_or_create(
            data_set=data_set,
            period=period.code,
            defaults={"year": period.year, "is_synthetic": is_synthetic},
        )
    return submission


def _lock_editable(submission: Submission) -> Submission:
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.status not in EDITABLE_STATUSES:
        if locked.status == SubmissionStatus.APPROVED:
            raise ValidationError(
                _("This period is approved and locked: the bureau must unlock it first.")
            )
        raise ValidationError(_("This submission is under review and cannot be changed."))
    return locked


def enter_values(actor: User, submission: Submission, entries: Mapping[int, Entry]) -> Submission:
    """Save values and explanations into a draft or returned submission (rules are checked on
    submission)."""
    _require_entry(actor, submission.data_set)
    elements = {element.pk: element for element in submission.data_set.elements.all()}
    unknown = set(entries) - set(elements)
    if unknown:
        raise ValidationError(_("A value was given for a figure not in this data set."))
    with transaction.atomic(), acting_as(actor):
        locked = _lock_editable(submission)
        existing = {row.element_id: row for row in locked.values.all()}
        for pk, (value, explanation) in entries.items():
            row = existing.get(pk)
            if value is None:
                if row is not None:
                    row.delete()
                continue
            if row is None:
                row = SubmissionValue(
                    submission=locked, element=elements[pk], is_synthetic=locked.is_synthetic
                )
            if row.pk is not None and (row.value, row.explanation) == (value, explanation.strip()):
                continue
            row.value = value
            row.explanation = explanation.strip()[:500]
            row.save()
    return locked


def add_evidence(
    actor: User, submission: Submission, upload: UploadedFile[bytes]
) -> EvidenceDocument:
    """Attach a PDF (checked by its first bytes, ``%PDF-``) to an editable submission."""
    _require_entry(actor, submission.data_set)
    content = check_pdf_upload(upload)
    with transaction.atomic(), acting_as(actor):
        locked = _lock_editable(submission)
        document = EvidenceDocument(
            submission=locked,
            original_name=(upload.name or "evidence.pdf")[-200:],
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_by=actor,
        )
        upload.seek(0)
        document.file.save("evidence.pdf", upload, save=False)
        document.save()
    return document


def submit_submission(actor: User, submission: Submission) -> Submission:
    """Send a draft or returned submission to the bureau: every rule must pass and at least one
    evidence document be attached; the bureau's staff are told on commit."""
    data_set = submission.data_set
    _require_entry(actor, data_set)
    with transaction.atomic(), acting_as(actor):
        locked = _lock_editable(submission)
        period = periods.parse(data_set.period_type, locked.period)
        entries = {row.element_id: (row.value, row.explanation) for row in locked.values.all()}
        errors = check_values(data_set, period, entries)
        if not locked.evidence.exists():
            errors.setdefault("evidence", []).append(
                _("Attach at least one evidence document (PDF) before submitting.")
            )
        if errors:
            raise ValidationError(errors)
        locked.status = SubmissionStatus.SUBMITTED
        locked.submitted_by = actor
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["status", "submitted_by", "submitted_at"])
        notify(
            bureau_staff_of(data_set.department.region),
            MSG_SUBMISSION_SUBMITTED,
            {"data_set": data_set.name, "period": locked.period, "department": data_set.department},
        )
    return locked


def _department_users(data_set: DataSet) -> Iterable[User]:
    from zhizao.core.choices import Role

    return User.objects.filter(
        is_active=True, role=Role.DEPARTMENT, organization_id=data_set.department_id
    )


def _lock_submitted(submission: Submission) -> Submission:
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.status != SubmissionStatus.SUBMITTED:
        raise ValidationError(_("Only a submission awaiting review can be returned or approved."))
    return locked


def return_submission(actor: User, submission: Submission, reason: str) -> Submission:
    """Send a submission back to its department with the reason (told on commit)."""
    _require_review(actor, submission.data_set)
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason for returning the submission.")]})
    with transaction.atomic(), acting_as(actor):
        locked = _lock_submitted(submission)
        locked.status = SubmissionStatus.RETURNED
        locked.return_reason = reason.strip()[:500]
        locked.reviewed_by = actor
        locked.reviewed_at = timezone.now()
        locked._change_reason = reason.strip()[:100]  # type: ignore[attr-defined]
        locked.save(update_fields=["status", "return_reason", "reviewed_by", "reviewed_at"])
        notify(
            _department_users(locked.data_set),
            MSG_SUBMISSION_RETURNED,
            {"data_set": locked.data_set.name, "period": locked.period, "reason": reason},
        )
    return locked


def approve_submission(actor: User, submission: Submission) -> Submission:
    """Approve a submission: its values become the figures' records and the period is locked."""
    _require_review(actor, submission.data_set)
    with transaction.atomic(), acting_as(actor):
        locked = _lock_submitted(submission)
        locked.status = SubmissionStatus.APPROVED
        locked.return_reason = ""
        locked.reviewed_by = actor
        locked.reviewed_at = timezone.now()
        locked.save(update_fields=["status", "return_reason", "reviewed_by", "reviewed_at"])
        notify(
            _department_users(locked.data_set),
            MSG_SUBMISSION_APPROVED,
            {"data_set": locked.data_set.name, "period": locked.period},
        )
    return locked


def unlock_submission(actor: User, submission: Submission, reason: str) -> Submission:
    """Reopen an approved period for correction (bureau staff, with the reason on the history
    row); its values stop counting until it is approved again."""
    _require_review(actor, submission.data_set)
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason for unlocking the period.")]})
    with transaction.atomic(), acting_as(actor):
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if locked.status != SubmissionStatus.APPROVED:
            raise ValidationError(_("Only an approved, locked period can be unlocked."))
        locked.status = SubmissionStatus.RETURNED
        locked.return_reason = reason.strip()[:500]
        locked.reviewed_by = actor
        locked.reviewed_at = timezone.now()
        locked._change_reason = f"unlock: {reason.strip()}"[:100]  # type: ignore[attr-defined]
        locked.save(update_fields=["status", "return_reason", "reviewed_by", "reviewed_at"])
        notify(
            _department_users(locked.data_set),
            MSG_SUBMISSION_RETURNED,
            {"data_set": locked.data_set.name, "period": locked.period, "reason": reason},
        )
    return locked


# --- Completeness --------------------------------------------------------------------------------


@dataclass
class Completeness:
    """One department's data sets for one period: expected, submitted, approved, overdue."""

    department: Organization
    period: str
    expected: int = 0
    submitted: int = 0
    approved: int = 0
    overdue: int = 0
    data_sets: list[str] = field(default_factory=list)


def completeness(actor: User, year: int, today: date | None = None) -> list[Completeness]:
    """Per department and period of ``year``: how many data sets were due, submitted (or
    approved), approved and overdue (due date passed, not submitted)."""
    today = today or timezone.localdate()
    data_sets = list(DataSet.objects.visible_to(actor).select_related("department"))
    statuses = {
        (row.data_set_id, row.period): row.status
        for row in Submission.objects.filter(data_set__in=data_sets, year=year)
    }
    rows: dict[tuple[int, str], Completeness] = {}
    for data_set in data_sets:
        for period in periods.ended_by(data_set.period_type, data_set.first_period, today):
            if period.year != year:
                continue
            row = rows.setdefault(
                (data_set.department_id, period.code),
                Completeness(data_set.department, period.code),
            )
            row.expected += 1
            row.data_sets.append(data_set.name)
            status = statuses.get((data_set.pk, period.code))
            if status in (SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED):
                row.submitted += 1
            if status == SubmissionStatus.APPROVED:
                row.approved += 1
            elif status != SubmissionStatus.SUBMITTED and period.due(data_set.due_days) < today:
                row.overdue += 1
    return sorted(rows.values(), key=lambda row: (row.department.name, row.period))
