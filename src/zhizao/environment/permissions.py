"""Who may open environmental quality's staff pages (views and navigation ask here)."""

from __future__ import annotations

from zhizao.core.choices import RegionLevel
from zhizao.core.models import Region
from zhizao.core.permissions import AnyUser, is_staff_user, staff_regions


def completeness_cities(user: AnyUser) -> list[Region]:
    """The cities whose data completeness the user sees: bureau staff of the whole city."""
    if not is_staff_user(user):
        return []
    return list(staff_regions(user).filter(level=RegionLevel.CITY).order_by("code"))


def can_see_completeness(user: AnyUser) -> bool:
    return bool(completeness_cities(user))
