"""Every change of an award record goes through a function here: permission-checked, validated,
atomic and audited. The award cycle is a state machine (:data:`choices.TRANSITIONS`): each move is
allowed to one role, checked against its stage's rules and logged in :class:`Transition`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from zhizao.awards import permissions
from zhizao.awards.choices import (
    ATTACHMENT_MAX_BYTES,
    CONFERRAL_MOVES,
    DECISION_MOVES,
    FINAL_STATUSES,
    MSG_ASSIGNED,
    MSG_CONFLICT_FOUND,
    MSG_OBJECTION_FILED,
    MSG_RESULT,
    MSG_REVOKED,
    MSG_STATUS_CHANGED,
    MSG_SUBMITTED,
    OBJECTION_EXCERPT_CHARS,
    OBJECTION_MAX_CHARS,
    REASON_REQUIRED,
    STAGE_STATUS,
    TRANSITIONS,
    AwardCategory,
    NoticeKind,
    ObjectionStatus,
    Outcome,
    ReviewStage,
    ReviewTrigger,
    Status,
    ValidityReviewOutcome,
)
from zhizao.awards.models import (
    Application,
    AssessorAssignment,
    Attachment,
    AwardEdition,
    AwardProgramme,
    AwardResult,
    ConflictDeclaration,
    ConsensusScore,
    FeedbackEntry,
    Objection,
    PublicNotice,
    Score,
    SelfAssessment,
    Transition,
    ValidityReview,
)
from zhizao.awards.scoring import (
    ITEM_CODES,
    eligibility_problems,
    quota_problem,
    stage_problems,
)
from zhizao.core.actors import acting_as, is_system_actor, system_actor
from zhizao.core.choices import RegionLevel, Role
from zhizao.core.models import Organization, Person, Region, User
from zhizao.core.notifications import notify
from zhizao.core.permissions import is_staff_user
from zhizao.core.uploads import check_pdf_upload
from zhizao.core.validators import validate_plain_text
from zhizao.indicators import excellence
from zhizao.indicators.errors import IndicatorError
from zhizao.registry import services as registry_services
from zhizao.registry.choices import HolderKind, HonourKind

CATEGORY_CODES = tuple(category.code for category in excellence.GBT19580_2012_CATEGORIES)


def _save(instance: Any, actor: User, reason: str = "") -> None:
    if reason:
        instance._change_reason = reason[:100]
    with acting_as(actor):
        instance.save()


def _when(value: dt.datetime | dt.date) -> str:
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value)
    return formats.date_format(value, "Y-m-d H:i" if isinstance(value, dt.datetime) else "Y-m-d")


def city_of(region: Region) -> Region:
    """The city-level region containing ``region`` (itself if it is a city)."""
    current: Region | None = region
    while current is not None:
        if current.level == RegionLevel.CITY:
            return current
        current = current.parent
    return region


def _org_users(organization: Organization) -> list[User]:
    return list(
        User.objects.filter(organization=organization, role=Role.ENTERPRISE, is_active=True)
    )


def _staff_for(application: Application) -> list[User]:
    region_ids = []
    region: Region | None = application.organization.region
    while region is not None:
        region_ids.append(region.pk)
        region = region.parent
    return list(
        User.objects.filter(role=Role.BUREAU_STAFF, region_id__in=region_ids, is_active=True)
    )


def _require_programme(
    actor: User | None, programme: AwardProgramme, city: Region | None = None
) -> None:
    """The awarding government's bureau only (``permissions.can_administer_programme``)."""
    if not permissions.can_administer_programme(actor, programme, city):  # type: ignore[arg-type]
        raise PermissionDenied(
            _("Only the bureau of the government that confers %(programme)s may do this.")
            % {"programme": programme.name}
        )


def _require_result(actor: User, result: AwardResult) -> None:
    _require_programme(actor, result.edition.programme, result.city)


def _require_staff(actor: User, application: Application | None = None) -> None:
    if application is None:
        if not is_staff_user(actor):
            raise PermissionDenied(_("Only bureau staff may do this."))
    elif not permissions.can_manage_application(actor, application):
        raise PermissionDenied(_("Only bureau staff responsible for the applicant may do this."))


# --- Editions ----------------------------------------------------------------------------------

EDITION_FIELDS = frozenset(
    {
        "opens_at",
        "submission_deadline",
        "announced_on",
        "award_quota",
        "nomination_quota",
        "min_years_in_operation",
        "incident_free_years",
        "objection_days",
        "blind_material_review",
        "feedback_release_on",
    }
)


def update_edition(actor: User, edition: AwardEdition, data: Mapping[str, Any]) -> AwardEdition:
    _require_programme(actor, edition.programme)
    unknown = set(data) - EDITION_FIELDS
    if unknown:
        raise ValidationError({field: [_("Unknown field.")] for field in sorted(unknown)})
    for field, value in data.items():
        setattr(edition, field, value)
    edition.full_clean()  # AwardEdition.clean: the deadline comes after the opening, …
    with transaction.atomic():
        _save(edition, actor)
    return edition


EDITION_CREATE_FIELDS = EDITION_FIELDS | {"number", "year"}


def create_edition(actor: User, programme: AwardProgramme, data: Mapping[str, Any]) -> AwardEdition:
    """Staff open a new edition (第N届) of ``programme`` for applications. Every problem is
    reported on its field: a duplicate number, a deadline before the opening, no objection
    window, feedback released before the deadline."""
    _require_programme(actor, programme)
    unknown = set(data) - EDITION_CREATE_FIELDS
    if unknown:
        raise ValidationError({field: [_("Unknown field.")] for field in sorted(unknown)})
    edition = AwardEdition(programme=programme, **data)
    errors: dict[str, Any] = {}
    try:
        edition.full_clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if edition.opens_at is None:
        errors.setdefault("opens_at", []).append(_("Set the date applications open."))
    if edition.submission_deadline is None:
        errors.setdefault("submission_deadline", []).append(_("Set the submission deadline."))
    if edition.objection_days is not None and edition.objection_days < 1:
        errors.setdefault("objection_days", []).append(
            _("The public notice needs an objection window of at least one day.")
        )
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            _save(edition, actor)
    except IntegrityError:  # a concurrent request took the number first
        raise ValidationError(
            {
                "number": [
                    _("This programme already has an edition number %(number)d.")
                    % {"number": edition.number}
                ]
            }
        ) from None
    return edition


# --- Applications ------------------------------------------------------------------------------


def create_application(
    actor: User,
    edition: AwardEdition,
    *,
    category: str = AwardCategory.ORGANIZATION,
    nominee: Person | None = None,
    established_on: dt.date | None = None,
    summary: str = "",
) -> Application:
    if actor.role != Role.ENTERPRISE or actor.organization_id is None:
        raise PermissionDenied(_("Only an enterprise user may apply for an award."))
    if edition.is_historic:
        raise ValidationError(_("This edition is a historic record and takes no applications."))
    if not edition.is_open():
        raise ValidationError(_("This edition is not open for applications."))
    organization = actor.organization
    assert organization is not None
    if category == AwardCategory.INDIVIDUAL:
        if nominee is None or nominee.organization_id != organization.pk:
            raise ValidationError({"nominee": [_("Nominate a person of your own organization.")]})
    elif Application.objects.filter(
        edition=edition, organization=organization, category=AwardCategory.ORGANIZATION
    ).exists():
        raise ValidationError(_("Your organization has already applied for this edition."))
    application = Application(
        edition=edition,
        category=category,
        organization=organization,
        nominee=nominee if category == AwardCategory.INDIVIDUAL else None,
        established_on=established_on,
        summary=summary,
        created_by=actor,
    )
    application.full_clean(validate_constraints=False)
    with transaction.atomic():
        _save(application, actor)
    return application


def _require_editable(actor: User, application: Application) -> None:
    if not permissions.is_applicant(actor, application):
        raise PermissionDenied(_("Only the applicant organization may edit its application."))
    if application.status != Status.DRAFT:
        raise ValidationError(_("A submitted application can no longer be changed."))


def update_application(
    actor: User, application: Application, data: Mapping[str, Any]
) -> Application:
    _require_editable(actor, application)
    allowed = {"established_on", "summary", "declaration_accepted", "declared_no_incident"}
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError({field: [_("Unknown field.")] for field in sorted(unknown)})
    for field, value in data.items():
        setattr(application, field, value)
    if data.get("declaration_accepted"):
        application.declared_by = actor
    with transaction.atomic():
        _save(application, actor)
    return application


def save_self_assessment(
    actor: User, application: Application, item_code: str, narrative: str, results_data: str = ""
) -> SelfAssessment:
    _require_editable(actor, application)
    if item_code not in ITEM_CODES:
        raise ValidationError({"item_code": [_("Unknown GB/T 19580 item: %s.") % item_code]})
    with transaction.atomic(), acting_as(actor):
        entry, _created = SelfAssessment.objects.get_or_create(
            application=application, item_code=item_code
        )
        entry.narrative = narrative
        entry.results_data = results_data
        _save(entry, actor)
    return entry


def add_attachment(
    actor: User, application: Application, upload: UploadedFile[bytes]
) -> Attachment:
    _require_editable(actor, application)
    content = check_pdf_upload(upload, max_bytes=ATTACHMENT_MAX_BYTES, require_pdf_name=True)
    attachment = Attachment(
        application=application,
        original_name=(upload.name or "attachment.pdf")[-200:],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=actor,
    )
    upload.seek(0)
    attachment.file.save("attachment.pdf", upload, save=False)
    with transaction.atomic():
        _save(attachment, actor)
    return attachment


def record_eligibility_check(
    actor: User, application: Application, *, passed: bool, note: str = ""
) -> Application:
    """Staff record the incident check: the override for an incident outside the city's
    incident records (``passed=False`` makes the applicant ineligible); the records themselves
    are read by :func:`eligibility_problems`."""
    _require_staff(actor, application)
    if application.status != Status.ELIGIBILITY_REVIEW:
        raise ValidationError(_("Eligibility is checked during the eligibility review only."))
    application.incident_check_passed = passed
    application.incident_check_note = note
    application.incident_checked_by = actor
    with transaction.atomic():
        _save(application, actor)
    return application


# --- Assessors -----------------------------------------------------------------------------------


def recheck_conflicts(
    actor: User | None, *, organizations: Iterable[int] = (), people: Iterable[int] = ()
) -> list[tuple[AssessorAssignment, str]]:
    """After an organization's group or a person's organization changed (core calls this):
    the assignments of applications still in the cycle that now have a conflict of interest,
    each with its reason. Their assessors already lose access (the check runs on every
    access); the responsible staff are told so that they can assign someone else."""
    group: set[int] = set()
    for organization in Organization.objects.filter(pk__in=list(organizations)):
        group |= organization.group_ids()
    people = list(people)
    if not group and not people:
        return []
    candidates = (
        AssessorAssignment.objects.exclude(application__status__in=FINAL_STATUSES)
        .filter(
            Q(application__organization_id__in=group)
            | Q(assessor__organization_id__in=group)
            | Q(assessor__person__organization_id__in=group)
            | Q(assessor__person_id__in=people)
            | Q(application__nominee_id__in=people)
        )
        .select_related(
            "assessor__person", "application__organization__region", "application__edition"
        )
        .distinct()
    )
    found = []
    for assignment in candidates:
        reason = permissions.conflict_of_interest(assignment.assessor, assignment.application)
        if reason is None:
            continue
        found.append((assignment, reason))
        _tell_staff_of_conflict(assignment, reason)
    return found


def _tell_staff_of_conflict(assignment: AssessorAssignment, reason: str) -> None:
    application = assignment.application
    notify(
        _staff_for(application),
        MSG_CONFLICT_FOUND,
        {
            "application": application.code,
            "organization": application.organization.name,
            "edition": str(application.edition),
            "assessor": assignment.assessor.get_username(),
            "stage": ReviewStage(assignment.stage).label,
            "reason": reason,
        },
    )


def declare_conflict(actor: User, organization: Organization, reason: str) -> ConflictDeclaration:
    if actor.role != Role.ASSESSOR:
        raise PermissionDenied(_("Only assessors declare conflicts of interest."))
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason for the conflict.")]})
    with transaction.atomic(), acting_as(actor):
        declaration, _created = ConflictDeclaration.objects.get_or_create(
            assessor=actor, organization=organization, defaults={"reason": reason}
        )
        # A declared conflict removes the assessor from unscored reviews of that group.
        AssessorAssignment.objects.filter(
            assessor=actor,
            application__organization_id__in=organization.group_ids(),
            scores__isnull=True,
        ).delete()
        declaration.reason = reason
        _save(declaration, actor)
    return declaration


def assign_assessor(
    actor: User, application: Application, assessor: User, stage: str
) -> AssessorAssignment:
    _require_staff(actor, application)
    if assessor.role != Role.ASSESSOR or not assessor.is_active:
        raise ValidationError({"assessor": [_("%s is not an assessor.") % assessor.get_username()]})
    if stage not in ReviewStage.values:
        raise ValidationError({"stage": [_("Unknown review stage.")]})
    if application.is_final or application.status in (
        Status.COMMITTEE_DECISION,
        Status.PUBLIC_NOTICE,
        Status.DRAFT,
    ):
        raise ValidationError(
            _("Assessors can be assigned only while the application is reviewed.")
        )
    conflict = permissions.conflict_of_interest(assessor, application)
    if conflict:
        raise ValidationError({"assessor": [_("Conflict of interest: %s") % conflict]})
    if AssessorAssignment.objects.filter(
        application=application, assessor=assessor, stage=stage
    ).exists():
        raise ValidationError({"assessor": [_("This assessor is already assigned.")]})
    assignment = AssessorAssignment(
        application=application, assessor=assessor, stage=stage, assigned_by=actor
    )
    with transaction.atomic():
        _save(assignment, actor)
        notify(
            [assessor],
            MSG_ASSIGNED,
            {
                "application": application.code,
                "edition": str(application.edition),
                "stage": ReviewStage(stage).label,
            },
        )
    return assignment


def _check_rating(percent: int, field: str = "percent") -> None:
    try:
        excellence.check_rating(percent)
    except IndicatorError as error:
        raise ValidationError({field: [str(error)]}) from None


def _validate_ratings(ratings: Mapping[str, tuple[int, str]]) -> None:
    """Every rated item is a GB/T 19580 item and every rating a valid GB/Z 19579 band step;
    otherwise nothing is saved and each bad item is named."""
    errors: dict[str, list[str]] = {}
    for code, (percent, _comment) in ratings.items():
        if code not in ITEM_CODES:
            errors.setdefault(code, []).append(_("Unknown GB/T 19580 item."))
            continue
        try:
            excellence.check_rating(percent)
        except IndicatorError as error:
            errors.setdefault(code, []).append(str(error))
    if errors:
        raise ValidationError(errors)


def record_scores(
    actor: User,
    assignment: AssessorAssignment,
    ratings: Mapping[str, tuple[int, str]],
) -> list[Score]:
    """Record an assessor's ratings (item code → (percent, comment)), all or nothing."""
    if actor.pk != assignment.assessor_id:
        raise PermissionDenied(_("Only the assigned assessor may score this application."))
    application = assignment.application
    conflict = permissions.conflict_of_interest(actor, application)
    if conflict:
        raise PermissionDenied(_("Conflict of interest: %s") % conflict)
    if application.status != STAGE_STATUS[ReviewStage(assignment.stage)]:
        raise ValidationError(_("Scores are recorded only while the stage is under review."))
    _validate_ratings(ratings)
    saved: list[Score] = []
    with transaction.atomic():
        existing = {score.item_code: score for score in assignment.scores.all()}
        for code, (percent, comment) in ratings.items():
            score = existing.get(code) or Score(assignment=assignment, item_code=code)
            score.percent = percent
            score.comment = comment
            _save(score, actor)
            saved.append(score)
    return saved


def record_consensus(
    actor: User,
    application: Application,
    stage: str,
    ratings: Mapping[str, tuple[int, str]],
) -> list[ConsensusScore]:
    """Record the consensus meeting's agreed ratings, separately from the individual ones."""
    if not (
        permissions.is_assigned(actor, application, stage)
        or permissions.can_manage_application(actor, application)
    ):
        raise PermissionDenied(
            _("Only the stage's assessors or responsible staff record consensus scores.")
        )
    if application.status != STAGE_STATUS[ReviewStage(stage)]:
        raise ValidationError(_("Consensus is recorded only while the stage is under review."))
    _validate_ratings(ratings)
    saved = []
    with transaction.atomic():
        existing = {
            row.item_code: row
            for row in ConsensusScore.objects.filter(application=application, stage=stage)
        }
        for code, (percent, comment) in ratings.items():
            row = existing.get(code) or ConsensusScore(
                application=application, stage=stage, item_code=code, recorded_by=actor
            )
            row.percent = percent
            row.comment = comment
            row.recorded_by = actor
            _save(row, actor)
            saved.append(row)
    return saved


# --- The state machine -------------------------------------------------------------------------


def _role_allows(actor: User, application: Application, role: str) -> bool:
    if role == Role.ENTERPRISE:
        return permissions.is_applicant(actor, application)
    if role == Role.BUREAU_STAFF:
        return permissions.can_manage_application(actor, application)
    if role == Role.ASSESSOR:
        stage = next((s for s, st in STAGE_STATUS.items() if st == application.status), None)
        return permissions.is_assigned(actor, application, stage)
    if role == Role.COMMITTEE:
        return actor.is_authenticated and actor.role == Role.COMMITTEE
    return False


def _may_move(actor: User, application: Application, key: tuple[str, str]) -> bool:
    role = TRANSITIONS.get(key)
    if role is None or not _role_allows(actor, application, role):
        return False
    return key not in CONFERRAL_MOVES or permissions.can_confer(actor, application)


def _contradicts_decision(application: Application, to_status: str) -> bool:
    """Conferring another outcome than the committee decided is never on offer."""
    if application.status != Status.PUBLIC_NOTICE or to_status not in (
        Status.AWARDED,
        Status.NOMINATED,
    ):
        return False
    expected = Status.AWARDED if application.proposed_outcome == Outcome.AWARD else Status.NOMINATED
    return to_status != expected


@dataclass(frozen=True)
class Move:
    """A move ``actor`` may make from the application's status, with what stands in its way now
    (empty: it can be made now)."""

    to_status: str
    problems: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return str(Status(self.to_status).label)

    @property
    def possible(self) -> bool:
        return not self.problems


def moves(actor: User, application: Application, *, now: dt.datetime | None = None) -> list[Move]:
    """The one answer to "which buttons does this user get": every plain transition the actor's
    role and scope allow from the current status (not the committee's decision, which has its
    form, nor an outcome the committee did not decide), each with the rules that still block it.
    :func:`transition` refuses exactly what this reports as not possible."""
    now = now or timezone.now()
    found = []
    for key in TRANSITIONS:
        if key[0] != application.status or key in DECISION_MOVES:
            continue
        if not _may_move(actor, application, key) or _contradicts_decision(application, key[1]):
            continue
        found.append(Move(key[1], tuple(_guard(application, key[1], now))))
    return found


def allowed_transitions(
    actor: User, application: Application, *, now: dt.datetime | None = None
) -> list[str]:
    """The statuses ``actor`` can move the application to now."""
    return [move.to_status for move in moves(actor, application, now=now) if move.possible]


def can_decide(actor: User, application: Application) -> bool:
    """The committee's decision form is offered to committee members while the application
    awaits it."""
    return bool(
        actor.is_authenticated
        and actor.role == Role.COMMITTEE
        and application.status == Status.COMMITTEE_DECISION
    )


def _lock_edition(edition: AwardEdition) -> AwardEdition:
    return AwardEdition.objects.select_for_update().get(pk=edition.pk)


def _guard(application: Application, to_status: str, now: dt.datetime) -> list[str]:
    frm = application.status
    edition = application.edition
    if (frm, to_status) == (Status.DRAFT, Status.SUBMITTED):
        problems = []
        if edition.submission_deadline and now > edition.submission_deadline:
            problems.append(
                _(
                    "The submission deadline of %(edition)s was %(deadline)s; "
                    "late applications are not accepted."
                )
                % {"edition": edition, "deadline": _when(edition.submission_deadline)}
            )
        if edition.opens_at and now < edition.opens_at:
            problems.append(_("Applications open on %(date)s.") % {"date": _when(edition.opens_at)})
        if not application.declaration_accepted:
            problems.append(_("Accept the declaration before submitting."))
        if edition.incident_free_years and not application.declared_no_incident:
            problems.append(
                _(
                    "Declare that there was no major quality-safety incident "
                    "in the last %(n)d years."
                )
                % {"n": edition.incident_free_years}
            )
        if not application.self_assessments.exclude(narrative="").exists():
            problems.append(_("Write the self-assessment of at least one item."))
        return problems
    if (frm, to_status) == (Status.ELIGIBILITY_REVIEW, Status.MATERIAL_REVIEW):
        return eligibility_problems(application)
    if (frm, to_status) == (Status.MATERIAL_REVIEW, Status.ONSITE_REVIEW):
        return stage_problems(application, ReviewStage.MATERIAL)
    if (frm, to_status) == (Status.ONSITE_REVIEW, Status.COMMITTEE_DECISION):
        return stage_problems(application, ReviewStage.ONSITE)
    if frm == Status.PUBLIC_NOTICE and to_status in (Status.AWARDED, Status.NOMINATED):
        problems = []
        notice = application.notice
        if notice is not None and notice.objections_open(now):
            problems.append(
                _("The objection window is open until %(date)s.")
                % {"date": _when(notice.objection_ends_at)}  # type: ignore[arg-type]
            )
        if application.objections.filter(status=ObjectionStatus.OPEN).exists():
            problems.append(_("An objection is still open."))
        expected = (
            Status.AWARDED if application.proposed_outcome == Outcome.AWARD else Status.NOMINATED
        )
        if to_status != expected:
            problems.append(_("The outcome must be the one the committee decided."))
        else:
            quota = quota_problem(
                edition,
                Outcome.AWARD if to_status == Status.AWARDED else Outcome.NOMINATION,
                pending=False,
            )
            if quota:
                problems.append(quota)
        return problems
    return []


def transition(
    actor: User,
    application: Application,
    to_status: str,
    reason: str = "",
    *,
    now: dt.datetime | None = None,
) -> Application:
    """Move ``application`` to ``to_status`` if ``actor``'s role and scope may and the stage's
    rules hold (exactly what :func:`moves` offers). The committee decides with :func:`decide`."""
    return _transition(actor, application, to_status, reason, now=now, decision=False)


@transaction.atomic
def _transition(
    actor: User,
    application: Application,
    to_status: str,
    reason: str = "",
    *,
    now: dt.datetime | None,
    decision: bool,
) -> Application:
    now = now or timezone.now()
    original = application
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("edition__programme", "organization__region", "notice")
        .get(pk=application.pk)
    )
    key = (application.status, to_status)
    role = TRANSITIONS.get(key)
    if role is None:
        raise ValidationError(
            _("An application cannot move from “%(from)s” to “%(to)s”.")
            % {"from": Status(application.status).label, "to": Status(to_status).label}
        )
    if key in DECISION_MOVES and not decision:
        raise ValidationError(_("The committee records its decision with the decision form."))
    if not _role_allows(actor, application, role):
        raise PermissionDenied(
            _("Only %(role)s may move an application from “%(from)s” to “%(to)s”.")
            % {
                "role": Role(role).label,
                "from": Status(application.status).label,
                "to": Status(to_status).label,
            }
        )
    if not _may_move(actor, application, key):
        _require_programme(actor, application.edition.programme, application.organization.region)
    if key in REASON_REQUIRED and not reason.strip():
        raise ValidationError({"reason": [_("Give a reason for this decision.")]})
    problems = _guard(application, to_status, now)
    if problems:
        raise ValidationError(problems)
    frm = application.status
    application.status = to_status
    if to_status == Status.SUBMITTED:
        application.submitted_at = now
    _save(application, actor, reason)
    Transition.objects.create(
        application=application,
        from_status=frm,
        to_status=to_status,
        actor=actor,
        role=actor.role or "superuser",
        reason=reason,
        at=now,
    )
    if to_status in (Status.AWARDED, Status.NOMINATED):
        _publish_from_application(actor, application, now)
    context = {
        "application": application.code,
        "organization": application.organization.name,
        "edition": str(application.edition),
        "status": Status(to_status).label,
        "reason": reason,
    }
    if to_status == Status.SUBMITTED:
        notify(_staff_for(application), MSG_SUBMITTED, context)
    notify(_org_users(application.organization), MSG_STATUS_CHANGED, context)
    original.refresh_from_db()
    return application


def decide(actor: User, application: Application, outcome: str, reason: str = "") -> Application:
    """The committee's decision: an award or nomination goes to public notice (公示) with the
    edition's objection window, within the edition's quota; "not awarded" ends the cycle."""
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": [_("Unknown outcome.")]})
    original = application
    with transaction.atomic():
        application = _locked_application(original)
        if not (actor.is_authenticated and actor.role == Role.COMMITTEE):
            raise PermissionDenied(_("Only award committee members decide."))
        if application.status != Status.COMMITTEE_DECISION:
            raise ValidationError(_("The application is not awaiting the committee's decision."))
        if outcome == Outcome.NOT_AWARDED:
            _transition(actor, original, Status.NOT_AWARDED, reason, now=None, decision=True)
            return original
        edition = _lock_edition(application.edition)
        problem = quota_problem(edition, outcome, pending=True, exclude_application=application)
        if problem:
            raise ValidationError({"outcome": [problem]})
        now = timezone.now()
        notice = PublicNotice(
            edition=edition,
            kind=NoticeKind.PRE_AWARD,
            title=_("Public notice of the proposed %(outcome)s: %(edition)s")
            % {"outcome": Outcome(outcome).label, "edition": edition},
            body=_(
                "%(name)s is proposed for the %(outcome)s. Objections may be raised with the "
                "market regulation bureau until the date below."
            )
            % {"name": application.organization.name, "outcome": Outcome(outcome).label},
            published_at=now,
            objection_ends_at=now + dt.timedelta(days=edition.objection_days),
            published_by=actor,
        )
        _save(notice, actor)
        application.proposed_outcome = outcome
        application.notice = notice
        _save(application, actor)
        _transition(actor, original, Status.PUBLIC_NOTICE, reason, now=now, decision=True)
    return original


def _locked_application(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("edition__programme", "organization__region", "notice", "nominee")
        .get(pk=application.pk)
    )


def record_objection(actor: User, application: Application, text: str) -> Objection:
    _require_staff(actor, application)
    if not text.strip():
        raise ValidationError({"text": [_("Write the objection.")]})
    with transaction.atomic():
        # Locked: the award cannot be conferred while this objection is recorded.
        application = _locked_application(application)
        if application.status != Status.PUBLIC_NOTICE or application.notice is None:
            raise ValidationError(_("The application is not under public notice."))
        if not application.notice.objections_open():
            raise ValidationError(
                _("The objection window closed on %(date)s.")
                % {"date": _when(application.notice.objection_ends_at)}  # type: ignore[arg-type]
            )
        objection = Objection(application=application, text=text, recorded_by=actor)
        _save(objection, actor)
    return objection


HTML_TAG = re.compile(r"<\s*/?\s*[A-Za-z!?][^>]*>")


def _objection_window_problem(application: Application, now: dt.datetime) -> str | None:
    notice = application.notice
    if (
        application.status != Status.PUBLIC_NOTICE
        or notice is None
        or notice.kind != NoticeKind.PRE_AWARD
        or notice.objection_ends_at is None
    ):
        return _("This application is not under public notice; objections are not accepted.")
    if not notice.objections_open(now):
        return _("The objection window closed on %(date)s.") % {
            "date": _when(notice.objection_ends_at)
        }
    return None


def file_public_objection(
    application: Application,
    *,
    objector_name: str,
    objector_contact: str,
    text: str,
    now: dt.datetime | None = None,
) -> Objection:
    """Anyone, signed in or not, files an objection to a public notice (公示) while its
    objection window is open. Name, contact and text are required; the text is plain text of
    at most :data:`OBJECTION_MAX_CHARS` characters. The responsible staff are notified; the
    award cannot be conferred while the objection is open."""
    now = now or timezone.now()
    objector_name = objector_name.strip()
    objector_contact = objector_contact.strip()
    text = text.strip()
    errors: dict[str, list[str]] = {}
    for field, value, max_length, missing in (
        ("objector_name", objector_name, 100, _("Give your name.")),
        (
            "objector_contact",
            objector_contact,
            200,
            _("Give a telephone number, e-mail or address so that staff can reach you."),
        ),
    ):
        if not value:
            errors[field] = [missing]
        elif len(value) > max_length:
            errors[field] = [
                _("At most %(max)d characters are accepted (this has %(n)d).")
                % {"max": max_length, "n": len(value)}
            ]
        else:
            try:
                validate_plain_text(value)
            except ValidationError as error:
                errors[field] = list(error.messages)
    if not text:
        errors["text"] = [_("Write the objection.")]
    elif len(text) > OBJECTION_MAX_CHARS:
        errors["text"] = [
            _("The objection is %(n)d characters long; at most %(max)d are accepted.")
            % {"n": len(text), "max": OBJECTION_MAX_CHARS}
        ]
    elif HTML_TAG.search(text):
        errors["text"] = [_("HTML is not accepted; write the objection as plain text.")]
    with transaction.atomic():
        # Lock the application: the award cannot be conferred while this objection is filed.
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("notice", "organization__region", "edition__programme")
            .get(pk=application.pk)
        )
        problem = _objection_window_problem(locked, now)
        if problem:
            raise ValidationError(problem)
        if errors:
            raise ValidationError(errors)
        objection = Objection(
            application=locked,
            objector_name=objector_name,
            objector_contact=objector_contact,
            text=text,
            received_at=now,
        )
        _save(objection, system_actor())  # filed by the public, received by the system
        notify(
            _staff_for(locked),
            MSG_OBJECTION_FILED,
            {
                "application": locked.code,
                "organization": locked.organization.name,
                "edition": str(locked.edition),
                "objector": objector_name,
                "excerpt": text[:OBJECTION_EXCERPT_CHARS],
            },
        )
    return objection


def resolve_objection(
    actor: User, objection: Objection, *, upheld: bool, resolution: str
) -> Objection:
    _require_staff(actor, objection.application)
    if not resolution.strip():
        raise ValidationError({"resolution": [_("Explain the resolution.")]})
    with transaction.atomic():
        objection = Objection.objects.select_for_update().get(pk=objection.pk)
        if objection.status != ObjectionStatus.OPEN:
            raise ValidationError(_("This objection is already resolved."))
        objection.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
        objection.resolution = resolution
        _save(objection, actor)
    return objection


# --- Results, the registry and revocation ------------------------------------------------------

# (award programme code, outcome) -> the honour kind the registry holds for it. Awards feeds the
# registry (registry.services.record_award_honour); the registry knows nothing of awards.
PROGRAMME_KINDS: dict[tuple[str, str], str] = {
    ("china-quality-award", Outcome.AWARD): HonourKind.CHINA_QUALITY_AWARD,
    ("china-quality-award", Outcome.NOMINATION): HonourKind.CHINA_QUALITY_AWARD_NOMINATION,
    ("hunan-governor-quality-award", Outcome.AWARD): HonourKind.GOVERNOR_AWARD,
    ("hunan-governor-quality-award", Outcome.NOMINATION): HonourKind.GOVERNOR_AWARD_NOMINATION,
    ("zhuzhou-mayor-quality-award", Outcome.AWARD): HonourKind.MAYOR_AWARD,
}


def _evidence(result: AwardResult) -> str:
    """The edition and outcome as the registry keeps them: a record, in Chinese whatever the
    language of the request that published it (第7届 湖南省省长质量奖 (2022) · 获奖)."""
    with translation.override("zh-hans"):
        return f"{result.edition} · {result.get_outcome_display()}"


def _award_honour(result: AwardResult) -> registry_services.AwardHonour | None:
    """The registry's record of a published ``result``; None for a programme it does not list."""
    kind = PROGRAMME_KINDS.get((result.edition.programme.code, result.outcome))
    if kind is None:
        return None
    person = bool(result.person_id or result.holder_title)
    return registry_services.AwardHonour(
        kind=kind,
        year=result.edition.year,
        holder_kind=HolderKind.PERSON if person else HolderKind.ORGANIZATION,
        holder_name=result.name_as_awarded,
        organization=result.organization,
        person=result.person,
        city=result.city,
        evidence=_evidence(result),
        is_synthetic=result.is_synthetic,
    )


def _publish(actor: User, result: AwardResult, now: dt.datetime) -> AwardResult:
    problem = quota_problem(
        _lock_edition(result.edition), result.outcome, pending=False, exclude_result=result
    )
    if problem:
        raise ValidationError({"outcome": [problem]})
    result.published_at = now
    award = _award_honour(result)
    if award is not None:
        result.honour = registry_services.record_award_honour(actor, result.honour, award)
    _save(result, actor)
    return result


def _publish_from_application(actor: User, application: Application, now: dt.datetime) -> None:
    outcome = Outcome.AWARD if application.status == Status.AWARDED else Outcome.NOMINATION
    nominee = application.nominee
    result = AwardResult(
        edition=application.edition,
        category=application.category,
        outcome=outcome,
        name_as_awarded=nominee.name if nominee else application.organization.name,
        holder_title=nominee.title if nominee else "",
        organization=application.organization,
        person=nominee,
        city=city_of(application.organization.region),
        application=application,
        source=_("Award cycle, application %s") % application.code,
    )
    _publish(actor, result, now)
    notify(
        _org_users(application.organization),
        MSG_RESULT,
        {
            "winner": result.name_as_awarded,
            "edition": str(application.edition),
            "outcome": Outcome(outcome).label,
        },
    )


def record_historic_result(
    actor: User,
    edition: AwardEdition,
    *,
    category: str,
    outcome: str,
    name_as_awarded: str,
    city: Region,
    organization: Organization | None = None,
    person: Person | None = None,
    holder_title: str = "",
    is_synthetic: bool = False,
    source: str = "",
    publish: bool = True,
) -> AwardResult:
    """Record a result from a published list (no cycle was run here): the bureau that administers
    the programme's level, or the system actor (the demo loader)."""
    if not is_system_actor(actor):
        _require_programme(actor, edition.programme, city)
    if outcome == Outcome.NOT_AWARDED:
        raise ValidationError({"outcome": [_("Only awards and nomination awards are recorded.")]})
    result = AwardResult(
        edition=edition,
        category=category,
        outcome=outcome,
        name_as_awarded=name_as_awarded,
        holder_title=holder_title,
        organization=organization,
        person=person,
        city=city,
        is_synthetic=is_synthetic,
        source=source,
    )
    result.full_clean()
    with transaction.atomic():
        _save(result, actor)
        if publish:
            _publish(actor, result, timezone.now())
    return result


def _locked_result(result: AwardResult) -> AwardResult:
    return (
        AwardResult.objects.select_for_update(of=("self",))
        .select_related("edition__programme", "city")
        .get(pk=result.pk)
    )


def publish_result(actor: User, result: AwardResult) -> AwardResult:
    _require_result(actor, result)
    with transaction.atomic():
        result = _locked_result(result)
        if result.published_at is not None:
            raise ValidationError(_("This result is already published."))
        return _publish(actor, result, timezone.now())


def revoke_result(actor: User, result: AwardResult, reason: str) -> AwardResult:
    """Revoke an award with a reason and a public notice; the honour leaves the registry."""
    _require_result(actor, result)
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason for the revocation.")]})
    now = timezone.now()
    with transaction.atomic():
        result = _locked_result(result)
        if result.revoked_at is not None:
            raise ValidationError(_("This award is already revoked."))
        notice = PublicNotice(
            edition=result.edition,
            kind=NoticeKind.REVOCATION,
            title=_("Revocation of the %(outcome)s of %(name)s")
            % {"outcome": result.get_outcome_display(), "name": result.name_as_awarded},
            body=reason,
            published_at=now,
            published_by=actor,
        )
        _save(notice, actor)
        result.revoked_at = now
        result.revocation_reason = reason
        result.revocation_notice = notice
        _save(result, actor, reason)
        if result.honour is not None:
            registry_services.revoke_award_honour(actor, result.honour, now)
        if result.organization is not None:
            notify(
                _org_users(result.organization),
                MSG_REVOKED,
                {
                    "winner": result.name_as_awarded,
                    "edition": str(result.edition),
                    "reason": reason,
                },
            )
    return result


def open_validity_review(
    actor: User, result: AwardResult, trigger: str, note: str
) -> ValidityReview:
    """An incident or failed sampling during the validity period raises a review."""
    _require_result(actor, result)
    if trigger not in ReviewTrigger.values:
        raise ValidationError({"trigger": [_("Unknown trigger.")]})
    if result.revoked_at is not None:
        raise ValidationError(_("This award is already revoked."))
    if timezone.localdate() > result.valid_until:
        raise ValidationError(
            _("The award's validity period ended on %(date)s.")
            % {"date": _when(result.valid_until)}
        )
    review = ValidityReview(result=result, trigger=trigger, note=note, opened_by=actor)
    review.full_clean()
    with transaction.atomic():
        _save(review, actor)
    return review


def close_validity_review(
    actor: User, review: ValidityReview, outcome: str, reason: str = ""
) -> ValidityReview:
    _require_result(actor, review.result)
    if outcome not in (ValidityReviewOutcome.CONFIRMED, ValidityReviewOutcome.REVOKED):
        raise ValidationError({"outcome": [_("Choose to confirm or revoke the award.")]})
    with transaction.atomic():
        review = ValidityReview.objects.select_for_update().get(pk=review.pk)
        if review.outcome != ValidityReviewOutcome.OPEN:
            raise ValidationError(_("This review is already closed."))
        review.outcome = outcome
        review.closed_at = timezone.now()
        _save(review, actor, reason)
        if outcome == ValidityReviewOutcome.REVOKED:
            revoke_result(actor, review.result, reason or review.note)
    return review


# --- Feedback report ---------------------------------------------------------------------


def save_feedback(
    actor: User, application: Application, category_code: str, strengths: str, opportunities: str
) -> FeedbackEntry:
    _require_staff(actor, application)
    if category_code not in CATEGORY_CODES:
        raise ValidationError({"category_code": [_("Unknown GB/T 19580 category.")]})
    with transaction.atomic(), acting_as(actor):
        entry, _created = FeedbackEntry.objects.get_or_create(
            application=application, category_code=category_code
        )
        entry.strengths = strengths
        entry.opportunities = opportunities
        _save(entry, actor)
    return entry
