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

from django.db.models import Q, QuerySet
from django.utils import timezone

from zhizao.awards.choices import FINAL_STATUSES, ReviewStage, Status
from zhizao.awards.models import Application, AwardProgramme, AwardResult
from zhizao.core.choices import RegionLevel, Role
from zhizao.core.models import Region
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


def _within(region: Region, ancestor: Region) -> bool:
    """``region`` is ``ancestor`` or lies below it (materialised paths, no query)."""
    return bool(ancestor.path) and region.path.startswith(ancestor.path)


def can_administer_programme(
    user: AnyUser, programme: AwardProgramme, city: Region | None = None
) -> bool:
    """May ``user`` act for the awarding government of ``programme`` (see the module doc)?
    ``city`` is the region a result is credited to (a city, or the applicant's district), when
    the action concerns one result."""
    if not is_staff_user(user):
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


def can_administer_result(user: AnyUser, result: AwardResult) -> bool:
    return can_administer_programme(user, result.edition.programme, result.city)


def can_confer(user: AnyUser, application: Application) -> bool:
    """Conferring a result from the cycle (after the public notice) is the awarding
    government's act: staff responsible for the applicant who also administer the programme."""
    return can_manage_application(user, application) and can_administer_programme(
        user, application.edition.programme, application.organization.region
    )


def is_assigned(user: AnyUser, application: Application, stage: str | None = None) -> bool:
    if not user.is_authenticated or user.role != Role.ASSESSOR:
        return False
    assignments = application.assignments.filter(assessor_id=user.pk)
    if stage:
        assignments = assignments.filter(stage=stage)
    return assignments.exists()


def hides_applicant(user: AnyUser, application: Application) -> bool:
    """Blind material review: an assessor reviewing only the material sees no applicant name."""
    if not application.edition.blind_material_review:
        return False
    if not user.is_authenticated or user.role != Role.ASSESSOR:
        return False
    return not is_assigned(user, application, ReviewStage.ONSITE)


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
