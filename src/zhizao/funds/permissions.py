"""Who may see and change the fund ledger.

- Programmes (name, level, year, budget, totals) are public.
- Applications, documents, grants and payments are private: the applicant organization's own
  users and bureau staff of its region read them (``core.permissions``).
- Bureau staff administer a programme run in their region or above it (the city's bureau keeps
  the provincial fund's records of its own applicants), deciding for applicants of their regions.
- Enterprise users apply for their own organization.
"""

from __future__ import annotations

from django.db.models import QuerySet

from zhizao.core.choices import Role
from zhizao.core.models import Organization, Region
from zhizao.core.permissions import (
    AnyUser,
    is_staff_user,
    organizations_with_private_access,
    own_organization_id,
    staff_regions,
)
from zhizao.funds.models import FundApplication, FundGrant, FundPayment, FundProgramme


def _ancestors_or_self(region: Region) -> list[int]:
    return [int(pk) for pk in region.path.strip("/").split("/") if pk]


def can_administer(user: AnyUser, programme: FundProgramme) -> bool:
    """Staff of the programme's region (or below it) or of a region below the programme's."""
    if not is_staff_user(user):
        return False
    if user.is_superuser:
        return True
    region = getattr(user, "region", None)
    if region is None:
        return False
    return staff_regions(user).filter(
        pk=programme.region_id
    ).exists() or programme.region_id in _ancestors_or_self(region)


def can_decide_for(user: AnyUser, programme: FundProgramme, organization: Organization) -> bool:
    """Review, grant and pay for ``organization``: administers the programme and is staff of
    the organization's region."""
    return (
        can_administer(user, programme)
        and staff_regions(user).filter(pk=organization.region_id).exists()
    )


def can_apply(user: AnyUser, programme: FundProgramme, organization: Organization) -> bool:
    """The organization's own enterprise users (not its market testers or service-provider
    accounts), or staff recording for it."""
    if (
        own_organization_id(user) == organization.pk
        and getattr(user, "role", "") == Role.ENTERPRISE
    ):
        return True
    return can_decide_for(user, programme, organization)


def administered_programmes(user: AnyUser) -> QuerySet[FundProgramme]:
    if not is_staff_user(user):
        return FundProgramme.objects.none()
    if user.is_superuser:
        return FundProgramme.objects.all()
    region = getattr(user, "region", None)
    ancestors = _ancestors_or_self(region) if region is not None else []
    return FundProgramme.objects.filter(region__in=staff_regions(user)) | (
        FundProgramme.objects.filter(region_id__in=ancestors)
    )


def applications_visible_to(user: AnyUser) -> QuerySet[FundApplication]:
    return FundApplication.objects.filter(organization__in=organizations_with_private_access(user))


def grants_visible_to(user: AnyUser) -> QuerySet[FundGrant]:
    return FundGrant.objects.filter(organization__in=organizations_with_private_access(user))


def payments_visible_to(user: AnyUser) -> QuerySet[FundPayment]:
    return FundPayment.objects.filter(grant__in=grants_visible_to(user))


def can_view_application(user: AnyUser, application: FundApplication) -> bool:
    return applications_visible_to(user).filter(pk=application.pk).exists()
