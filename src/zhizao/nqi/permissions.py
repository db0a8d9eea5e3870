"""Who may keep the quality-infrastructure records. The services ask here; nothing else
decides. (Who may see a service request: ``ServiceRequest.objects.visible_to``.)"""

from __future__ import annotations

from typing import Any

from zhizao.core import permissions
from zhizao.core.actors import is_system_actor
from zhizao.core.models import Region


def may_keep(actor: Any, region: Region | None) -> bool:
    """Bureau staff of ``region`` (or above it), superusers and the system actor."""
    if is_system_actor(actor):
        return True
    if region is None or not permissions.is_staff_user(actor):
        return False
    return permissions.staff_regions(actor).filter(pk=region.pk).exists()
