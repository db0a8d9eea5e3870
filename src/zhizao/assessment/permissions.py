"""Who may do what with assessment templates and assessments (views, API, services, jobs and
navigation ask here).

- Templates (the province's items and points) are kept by bureau staff of a city or the
  province (and superusers); district staff neither see nor change them.
- A city's assessment, its self-scores, documents and evidence pack: bureau staff of that
  region or a region above it (``Assessment.objects.visible_to``). Other regions' staff,
  enterprises and the public see nothing of it.
"""

from __future__ import annotations

from zhizao.assessment.models import Assessment
from zhizao.core.choices import RegionLevel
from zhizao.core.models import Region
from zhizao.core.permissions import AnyUser, is_staff_user, staff_regions


def can_keep_templates(user: AnyUser) -> bool:
    """Read and edit templates: superusers, and bureau staff of a city or the province."""
    if not is_staff_user(user):
        return False
    if user.is_superuser:
        return True
    region = getattr(user, "region", None)
    return region is not None and region.level in (RegionLevel.CITY, RegionLevel.PROVINCE)


def can_use_assessments(user: AnyUser) -> bool:
    """The assessments list: bureau staff (each sees the assessments of their regions)."""
    return is_staff_user(user)


def can_assess(user: AnyUser, region: Region) -> bool:
    """Open and fill in ``region``'s assessment: bureau staff of the region or above."""
    return is_staff_user(user) and staff_regions(user).filter(pk=region.pk).exists()


def can_manage(user: AnyUser, assessment: Assessment) -> bool:
    return Assessment.objects.visible_to(user).filter(pk=assessment.pk).exists()
