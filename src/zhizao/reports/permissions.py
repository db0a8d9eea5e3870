"""Who may do what with snapshots and publications (views, API, services and navigation ask
here).

- Published snapshots are public: everyone reads the published figures of a region and year.
- Bureau staff of a region (or of a region above it) take snapshots of it and publish them,
  read the report on any of its snapshots and edit its narrative.
"""

from __future__ import annotations

from zhizao.core.models import Region
from zhizao.core.permissions import AnyUser, is_staff_user, staff_regions
from zhizao.reports.models import Snapshot


def can_manage(user: AnyUser, region: Region) -> bool:
    """Take snapshots of ``region`` and publish them: bureau staff of the region or above."""
    if not is_staff_user(user):
        return False
    return any(
        region.path.startswith(path) for path in staff_regions(user).values_list("path", flat=True)
    )


def can_read(user: AnyUser, snapshot: Snapshot) -> bool:
    """A report on ``snapshot``: published ones to everyone, the others to its region's staff."""
    return Snapshot.objects.visible_to(user).filter(pk=snapshot.pk).exists()


def can_see_console(user: AnyUser) -> bool:
    """The narrative editor's console link: staff who manage the platform's city (the editor
    edits the city's report; a district officer manages the district's snapshots only)."""
    if not is_staff_user(user):
        return False
    city = Region.objects.city()
    return city is not None and can_manage(user, city)
