"""Who may see which award records. Views, the API and services ask here; nothing else decides.

- Public: programmes, editions, published results, tallies and public notices.
- Enterprise users: their own organization's applications (and, once released, feedback).
- Assessors: applications assigned to them only; blind material review hides the applicant.
- Committee members: applications awaiting or past the committee decision.
- Bureau staff: applications of organizations in their regions; superusers: everything.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils import timezone

from zhizao.awards.choices import FINAL_STATUSES, ReviewStage, Status
from zhizao.awards.models import Application, AssessorAssignment, AwardResult
from zhizao.core.choices import Role
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
        return base.filter(assignments__assessor=user).distinct()
    if user.role == Role.COMMITTEE:
        return base.filter(status__in=COMMITTEE_STATUSES)
    org_id = own_organization_id(user)
    if user.role == Role.ENTERPRISE and org_id is not None:
        return base.filter(organization_id=org_id)
    return base.none()


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


def is_assigned(user: AnyUser, application: Application, stage: str | None = None) -> bool:
    if not user.is_authenticated or user.role != Role.ASSESSOR:
        return False
    assignments = application.assignments.filter(assessor_id=user.pk)
    if stage:
        assignments = assignments.filter(stage=stage)
    return assignments.exists()


def hidden_applicants(user: AnyUser, applications: Iterable[Application]) -> set[int]:
    """Blind material review: the applications (pks) whose applicant name ``user`` may not see,
    as an assessor reviewing only the material. One query for a whole list."""
    blind = {app.pk for app in applications if app.edition.blind_material_review}
    if not blind or not user.is_authenticated or user.role != Role.ASSESSOR:
        return set()
    onsite = AssessorAssignment.objects.filter(
        assessor_id=user.pk, stage=ReviewStage.ONSITE, application_id__in=blind
    ).values_list("application_id", flat=True)
    return blind - set(onsite)


def hides_applicant(user: AnyUser, application: Application) -> bool:
    return application.pk in hidden_applicants(user, [application])


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
