"""Who may see and change rapid-test records.

- Market testers: enter and read their own market's tests and cases; record disposal.
- Bureau staff: everything for markets in their regions; correct, delete, close cases.
- Enterprise users, assessors, providers: nothing private.
- The public: the public board (快检公示) of each market only.
"""

from __future__ import annotations

from django.db.models import QuerySet

from zhizao.core.choices import MARKET_KINDS, Role
from zhizao.core.models import Organization
from zhizao.core.permissions import AnyUser, is_staff_user, staff_regions


def markets() -> QuerySet[Organization]:
    return Organization.objects.filter(kind__in=MARKET_KINDS)


def private_markets(user: AnyUser) -> QuerySet[Organization]:
    """Markets whose test records, cases and figures this user may read."""
    if not user.is_authenticated:
        return Organization.objects.none()
    if user.is_superuser:
        return markets()
    if user.role == Role.BUREAU_STAFF:
        return markets().filter(region__in=staff_regions(user))
    if user.role == Role.MARKET_TESTER and user.organization_id is not None:
        return markets().filter(pk=user.organization_id)
    return Organization.objects.none()


def can_enter(user: AnyUser, market: Organization) -> bool:
    return private_markets(user).filter(pk=market.pk).exists()


def can_manage(user: AnyUser, market: Organization) -> bool:
    """Correct or delete records, close cases: staff of the market's region."""
    return is_staff_user(user) and private_markets(user).filter(pk=market.pk).exists()


def can_see_dashboard(user: AnyUser) -> bool:
    return is_staff_user(user)
