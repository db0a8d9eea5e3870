"""Who may see which award records. Views, the API and services ask here; nothing else decides.

- Public: programmes, editions, published results, tallies and public notices.
- Enterprise users: their own organization's applications (and, once released, feedback).
- Assessors: applications assigned to them only; blind material review hides the applicant.
- Committee members: applications awaiting or past the committee decision.
- Bureau staff: applications of organizations in their regions; superusers: everything.

Who administers a programme (opens and edits its editions, confers, publishes and revokes its
results, reviews their validity) depends on its level (:func:`can_administer_programme`): a city
award its city's bureau (or the province's); a provincial award the province's bureau; a national
award the superuser, or a province's bureau for results credited to a city of that province (the
province records the national results of its cities). A district officer administers none.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from zhizao.awards.choices import FINAL_STATUSES, ReviewStage, Status
from zhizao.awards.models import (
    Application,
    AssessorAssignment,
    AwardProgramme,
    AwardResult,
    ConflictDeclaration,
    Transition,
)
from zhizao.core.choices import RegionLevel, Role
from zhizao.core.models import Organization, Region, User
from zhizao.core.permissions import AnyUser, is_staff_user, own_organization_id, staff_regions

COMMITTEE_STATUSES = (Status.COMMITTEE_DECISION, Status.PUBLIC_NOTICE, *FINAL_STATUSES)


def applications_visible_to(user: AnyUser) -> QuerySet[Application]:
    base = Application.objects.all()
    if not user.is_authenticated:
        return base.none()
    if user.is_superuser:
        return base
    if user.role == Role.BUREAU_STAFF:
        return base.filter(organization__region__in=staff_regions(user))
    if user.role == Role.ASSESSOR:
        return _conflicted(user, base.filter(assignments__assessor=user).distinct())
    if user.role == Role.COMMITTEE:
        return base.filter(status__in=COMMITTEE_STATUSES)
    org_id = own_organization_id(user)
    if user.role == Role.ENTERPRISE and org_id is not None:
        return base.filter(organization_id=org_id)
    return base.none()


# --- Conflicts of interest: checked at assignment and again on every access ------------------


def assessor_organization_ids(assessor: User) -> set[int]:
    """The organizations an assessor belongs to: their account's and their person record's."""
    ids: set[int] = set()
    if assessor.organization_id:
        ids.add(assessor.organization_id)
    if assessor.person_id and assessor.person and assessor.person.organization_id:
        ids.add(assessor.person.organization_id)
    return ids


def conflict_of_interest(assessor: User, application: Application) -> str | None:
    """Why ``assessor`` may not review ``application``, or None: they work in the applicant's
    group (itself, its parent group, its subsidiaries), declared a conflict with it, or — for an
    individual award — are the nominee."""
    name = assessor.get_username()
    if application.nominee_id is not None and assessor.person_id == application.nominee_id:
        return _("%(assessor)s is the nominee of this application.") % {"assessor": name}
    group = Organization.objects.get(pk=application.organization_id).group_ids()
    if assessor_organization_ids(assessor) & group:
        return _(
            "%(assessor)s works for the applicant, its parent group or one of its subsidiaries."
        ) % {"assessor": name}
    declared = ConflictDeclaration.objects.filter(assessor=assessor, organization_id__in=group)
    if declared.exists():
        return _("%(assessor)s has declared a conflict of interest with the applicant.") % {
            "assessor": name
        }
    return None


def _conflicted(user: User, applications: QuerySet[Application]) -> QuerySet[Application]:
    """``applications`` without those ``user`` has a conflict of interest with (the same rule
    as :func:`conflict_of_interest`, for a whole list: organization groups are symmetric)."""
    own = assessor_organization_ids(user) | set(
        ConflictDeclaration.objects.filter(assessor=user).values_list("organization_id", flat=True)
    )
    group: set[int] = set()
    for organization in Organization.objects.filter(pk__in=own):
        group |= organization.group_ids()
    kept = applications.exclude(organization_id__in=group)
    if user.person_id is not None:
        kept = kept.exclude(nominee_id=user.person_id)
    return kept


def can_view_application(user: AnyUser, application: Application) -> bool:
    return applications_visible_to(user).filter(pk=application.pk).exists()


def is_applicant(user: AnyUser, application: Application) -> bool:
    return bool(
        user.is_authenticated
        and user.role == Role.ENTERPRISE
        and user.organization_id == application.organization_id
    )


def can_manage_application(user: AnyUser, application: Application) -> bool:
    """Bureau staff responsible for the applicant's region."""
    if not is_staff_user(user):
        return False
    return bool(
        user.is_superuser
        or staff_regions(user).filter(pk=application.organization.region_id).exists()
    )


def _within(region: Region, ancestor: Region) -> bool:
    """``region`` is ``ancestor`` or lies below it (materialised paths, no query)."""
    return bool(ancestor.path) and region.path.startswith(ancestor.path)


def can_administer_programme(
    user: AnyUser, programme: AwardProgramme, city: Region | None = None
) -> bool:
    """May ``user`` act for the awarding government of ``programme`` (see the module doc)?
    ``city`` is the region a result is credited to (a city, or the applicant's district), when
    the action concerns one result."""
    if not isinstance(user, User) or not is_staff_user(user):
        return False
    if user.is_superuser:
        return True
    region = user.region
    if region is None:
        return False
    awarding = programme.region
    if awarding is None:  # national: the superuser, or the province for its own cities
        return region.level == RegionLevel.PROVINCE and city is not None and _within(city, region)
    return _within(awarding, region)


def programmes_administered_by(user: AnyUser) -> QuerySet[AwardProgramme]:
    """Programmes whose editions ``user`` may open and edit."""
    if not is_staff_user(user):
        return AwardProgramme.objects.none()
    programmes = AwardProgramme.objects.select_related("region")
    return programmes.filter(pk__in=[p.pk for p in programmes if can_administer_programme(user, p)])


def can_confer(user: AnyUser, application: Application) -> bool:
    """Conferring a result from the cycle (after the public notice) is the awarding
    government's act: staff responsible for the applicant who also administer the programme."""
    return can_manage_application(user, application) and can_administer_programme(
        user, application.edition.programme, application.organization.region
    )


def is_assigned(user: AnyUser, application: Application, stage: str | None = None) -> bool:
    """``user`` is an assessor assigned to ``application`` (at ``stage``) with no conflict of
    interest now: a conflict that arose after the assignment (a new employer, a changed group)
    closes the application and its scores again."""
    if not user.is_authenticated or user.role != Role.ASSESSOR:
        return False
    assignments = application.assignments.filter(assessor_id=user.pk)
    if stage:
        assignments = assignments.filter(stage=stage)
    return assignments.exists() and conflict_of_interest(user, application) is None


# Statuses up to and including the material review: a blind material review keeps the applicant
# hidden from every assessor until it is over, whatever else they are assigned to.
BEFORE_ONSITE = (
    Status.DRAFT,
    Status.SUBMITTED,
    Status.ELIGIBILITY_REVIEW,
    Status.MATERIAL_REVIEW,
)


def hidden_applicants(
    user: AnyUser, applications: Iterable[Application], stage: str | None = None
) -> set[int]:
    """Blind material review, per stage: the applications (pks) whose applicant ``user`` may not
    see. An assessor never sees the applicant on the material review's pages
    (``stage="material"``), nor anywhere while the material review is not over; afterwards only
    the on-site assessors see it (the visit reveals it). One query for a whole list."""
    if not user.is_authenticated or user.role != Role.ASSESSOR:
        return set()
    blind = [app for app in applications if app.edition.blind_material_review]
    if not blind:
        return set()
    if stage == ReviewStage.MATERIAL:
        return {app.pk for app in blind}
    hidden = {app.pk for app in blind if app.status in BEFORE_ONSITE}
    rest = {app.pk for app in blind} - hidden
    if stage == ReviewStage.ONSITE or not rest:
        return hidden
    onsite = AssessorAssignment.objects.filter(
        assessor_id=user.pk, stage=ReviewStage.ONSITE, application_id__in=rest
    ).values_list("application_id", flat=True)
    return hidden | (rest - set(onsite))


def hides_applicant(user: AnyUser, application: Application, stage: str | None = None) -> bool:
    return application.pk in hidden_applicants(user, [application], stage)


def can_view_scores(user: AnyUser, application: Application) -> bool:
    if can_manage_application(user, application):
        return True
    if user.is_authenticated and user.role == Role.COMMITTEE:
        return application.status in COMMITTEE_STATUSES
    return is_assigned(user, application)


def feedback_released(application: Application) -> bool:
    release = application.edition.feedback_release_on
    return bool(application.is_final and release and timezone.localdate() >= release)


def can_download_feedback(user: AnyUser, application: Application) -> bool:
    if can_manage_application(user, application):
        return True
    return is_applicant(user, application) and feedback_released(application)


def can_view_attachment(user: AnyUser, application: Application) -> bool:
    if is_applicant(user, application) or can_manage_application(user, application):
        return True
    return is_assigned(user, application)


def results_visible_to(user: AnyUser) -> QuerySet[AwardResult]:
    """The public sees published results only; staff also see unpublished drafts."""
    if is_staff_user(user):
        return AwardResult.objects.all()
    return AwardResult.objects.published()


def visible_results_filter() -> Q:
    return Q(published_at__isnull=False)


def transition_actor_label(viewer: AnyUser, transition: Transition) -> str:
    """Who made a move, as ``viewer`` may see it: staff responsible for the application see
    names; everyone else sees the role of assessors and committee members, never who they are."""
    role = (
        str(Role(transition.role).label) if transition.role in Role.values else _("Administrator")
    )
    if transition.role in (Role.ASSESSOR, Role.COMMITTEE) and not can_manage_application(
        viewer, transition.application
    ):
        return role
    return f"{transition.actor.get_username()} ({role})"
