"""Who may see and change which core records. Every view, API endpoint and service asks here;
nothing else decides.

- Anonymous public: published, public data only (organizations' register fields).
- Bureau staff: everything within their region and the regions below it.
- Enterprise users, market testers, service providers: their own organization's private records.
- Assessors and committee members: public data plus what their awards assignments open.
- Superusers: everything.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from zhizao.core.choices import ORGANIZATION_ROLES, Role
from zhizao.core.models import Organization, Person, Region, User

AnyUser = User | AnonymousUser


def is_staff_user(user: AnyUser) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role == Role.BUREAU_STAFF))


def can_read_audit_trail(user: AnyUser) -> bool:
    """The records' history (console audit page): bureau staff, scoped to what they see, and
    the audit administrator (三员分立), who reads all of it and changes nothing."""
    return is_staff_user(user) or bool(user.is_authenticated and user.role == Role.AUDIT_ADMIN)


def staff_regions(user: AnyUser) -> QuerySet[Region]:
    """Regions a bureau officer acts in (their region's subtree); all for superusers."""
    if not user.is_authenticated:
        return Region.objects.none()
    if user.is_superuser:
        return Region.objects.all()
    if user.role == Role.BUREAU_STAFF and user.region is not None:
        return user.region.subtree()
    return Region.objects.none()


def own_organization_id(user: AnyUser) -> int | None:
    if user.is_authenticated and user.role in ORGANIZATION_ROLES:
        return user.organization_id
    return None


def organizations_with_private_access(user: AnyUser) -> QuerySet[Organization]:
    """Organizations whose private fields and records this user may read."""
    if not user.is_authenticated:
        return Organization.objects.none()
    if user.is_superuser:
        return Organization.objects.all()
    if user.role == Role.BUREAU_STAFF:
        return Organization.objects.filter(region__in=staff_regions(user))
    org_id = own_organization_id(user)
    if org_id is not None:
        return Organization.objects.filter(pk=org_id)
    return Organization.objects.none()


def can_view_private(user: AnyUser, organization: Organization) -> bool:
    return organizations_with_private_access(user).filter(pk=organization.pk).exists()


def can_create_organization(user: AnyUser, region: Region | None) -> bool:
    if not is_staff_user(user):
        return False
    return region is None or staff_regions(user).filter(pk=region.pk).exists()


def can_change_organization(user: AnyUser, organization: Organization) -> bool:
    """Staff change organizations in their regions; an organization's own users change its
    contact details only (see ORGANIZATION_SELF_SERVICE_FIELDS)."""
    if is_staff_user(user):
        return staff_regions(user).filter(pk=organization.region_id).exists()
    return own_organization_id(user) == organization.pk


def can_delete_organization(user: AnyUser, organization: Organization) -> bool:
    return is_staff_user(user) and staff_regions(user).filter(pk=organization.region_id).exists()


ORGANIZATION_SELF_SERVICE_FIELDS = frozenset(
    {"name_en", "address", "contact_name", "contact_phone", "contact_email"}
)


def people_visible_to(user: AnyUser) -> QuerySet[Person]:
    """People are personal data: never public."""
    if not user.is_authenticated:
        return Person.objects.none()
    if user.is_superuser:
        return Person.objects.all()
    return Person.objects.filter(organization__in=organizations_with_private_access(user))


def users_visible_to(user: AnyUser) -> QuerySet[User]:
    """User accounts: staff see the accounts of their regions and of the organizations in them;
    everyone sees their own."""
    if not user.is_authenticated:
        return User.objects.none()
    if user.is_superuser:
        return User.objects.all()
    if user.role == Role.BUREAU_STAFF:
        return User.objects.filter(
            Q(region__in=staff_regions(user))
            | Q(organization__in=organizations_with_private_access(user))
            | Q(pk=user.pk)
        )
    return User.objects.filter(pk=user.pk)


def can_change_person(user: AnyUser, person: Person) -> bool:
    if person.organization is None:
        return bool(user.is_authenticated and user.is_superuser)
    return can_change_organization(user, person.organization)
