"""Who may see and change the enterprise records.

- Chief quality officers and yearly performance are private: the organization's own users and
  bureau staff of its region (``core.permissions.organizations_with_private_access``) read
  them; the organization's enterprise users and those staff register officers; the enterprise
  reports its performance and staff of its region review it (or enter it themselves).
- Quality events are public (kind, topic, date, place, organizer, trainers, the participating
  organizations); the people who took part are shown to those who may read their
  organization's private records and to staff of the event's region. Staff of the event's
  region record events, attendance and materials; materials are read by those staff and by the
  users of participating organizations.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from zhizao.core.choices import Role
from zhizao.core.models import Organization
from zhizao.core.permissions import (
    AnyUser,
    is_staff_user,
    organizations_with_private_access,
    own_organization_id,
    staff_regions,
)
from zhizao.enterprise.models import (
    ChiefQualityOfficer,
    EnterprisePerformance,
    EventParticipation,
    QualityEvent,
)


def is_regional_staff(user: AnyUser, organization: Organization) -> bool:
    return is_staff_user(user) and staff_regions(user).filter(pk=organization.region_id).exists()


def is_enterprise_user_of(user: AnyUser, organization: Organization) -> bool:
    """An enterprise user of the organization (not a market tester or provider account)."""
    return (
        own_organization_id(user) == organization.pk
        and getattr(user, "role", "") == Role.ENTERPRISE
    )


def can_register_officer(user: AnyUser, organization: Organization) -> bool:
    return is_enterprise_user_of(user, organization) or is_regional_staff(user, organization)


def officers_visible_to(user: AnyUser) -> QuerySet[ChiefQualityOfficer]:
    return ChiefQualityOfficer.objects.filter(
        organization__in=organizations_with_private_access(user)
    )


def can_record_event(user: AnyUser, event: QualityEvent | None = None) -> bool:
    """Staff record events; an event is changed by staff of its region."""
    if not is_staff_user(user):
        return False
    return event is None or staff_regions(user).filter(pk=event.region_id).exists()


def events_recorded_by(user: AnyUser) -> QuerySet[QualityEvent]:
    return QualityEvent.objects.filter(region__in=staff_regions(user))


def participations_with_names(user: AnyUser) -> QuerySet[EventParticipation]:
    """Participations whose person this user may see."""
    if not user.is_authenticated:
        return EventParticipation.objects.none()
    return EventParticipation.objects.filter(
        Q(organization__in=organizations_with_private_access(user))
        | Q(event__region__in=staff_regions(user))
    )


def can_view_materials(user: AnyUser, event: QualityEvent) -> bool:
    if can_record_event(user, event):
        return True
    org_id = own_organization_id(user)
    return org_id is not None and event.participations.filter(organization_id=org_id).exists()


def can_report_performance(user: AnyUser, organization: Organization) -> bool:
    return is_enterprise_user_of(user, organization) or is_regional_staff(user, organization)


def performance_visible_to(user: AnyUser) -> QuerySet[EnterprisePerformance]:
    return EnterprisePerformance.objects.filter(
        organization__in=organizations_with_private_access(user)
    )
