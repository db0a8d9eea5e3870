"""Who may change which honours. The services and the admin ask here (and through
``Honour.objects.editable_by``); nothing else decides.

- Everyone, the public included, reads the standing honours, their counts and holders.
- Bureau staff record honours other than government quality awards and correct or withdraw
  those of the cities they act in.
- Government quality award honours follow their published award result (the awards app pushes
  them in and out): nobody edits or withdraws them here.
"""

from __future__ import annotations

from zhizao.core.actors import is_system_actor
from zhizao.core.models import Region
from zhizao.core.permissions import AnyUser, is_staff_user, staff_regions
from zhizao.registry.models import Honour


def can_record_honour(user: AnyUser, city: Region | None = None) -> bool:
    """Bureau staff (of ``city``, when it is known), or the system actor (demo loader, imports)."""
    if is_system_actor(user):
        return True
    if city is None:
        return is_staff_user(user)
    return staff_regions(user).filter(pk=city.pk).exists()


def can_change_honour(user: AnyUser, honour: Honour) -> bool:
    """Correct or withdraw ``honour``: bureau staff of its city (an award's honour is then
    refused by the service with its reason: it follows the award result)."""
    return Honour.objects.editable_by(user).filter(pk=honour.pk).exists()
