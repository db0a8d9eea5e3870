"""Who may do what with snapshots and publications (views, API, services and navigation ask
here).

- Published snapshots are public: everyone reads the published figures of a region and year.
- Bureau staff of a region (or of a region above it) take snapshots of it and publish them.
"""

from __future__ import annotations

from zhizao.core.models import Region
from zhizao.core.permissions import AnyUser, is_staff_user, staff_regions


def can_manage(user: AnyUser, region: Region) -> bool:
    """Take snapshots of ``region`` and publish them: bureau staff of the region or above."""
    if not is_staff_user(user):
        return False
    return any(
        region.path.startswith(path) for path in staff_regions(user).values_list("path", flat=True)
    )
