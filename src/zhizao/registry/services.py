"""Changes to the honours registry. Government quality awards are pushed in and out by the app
that runs them, through :func:`record_award_honour` and :func:`revoke_award_honour` (service
calls, not signals): the awards app depends on the registry, never the other way round."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from zhizao.core.actors import acting_as
from zhizao.core.models import Organization, Person, Region, User
from zhizao.core.notifications import notify
from zhizao.registry import permissions
from zhizao.registry.choices import (
    AWARD_KINDS,
    KIND_LEVEL,
    MSG_HONOUR_WITHDRAWN,
    HonourKind,
    HonourLevel,
)
from zhizao.registry.models import Honour

# Kinds shown on the public page even when the city holds none (the article's list).
ARTICLE_KINDS = tuple(kind for kind in HonourKind if kind != HonourKind.GOVERNOR_AWARD_NOMINATION)


@dataclass(frozen=True)
class AwardHonour:
    """A published government quality award as the registry records it. The app that runs
    the awards fills it in from its result; the registry knows nothing else of awards."""

    kind: str
    year: int
    holder_kind: str
    holder_name: str
    city: Region
    evidence: str
    organization: Organization | None = None
    person: Person | None = None
    is_synthetic: bool = False


def record_award_honour(actor: User, honour: Honour | None, award: AwardHonour) -> Honour:
    """Add the honour of a published award (``honour`` None), or refresh ``honour`` from it.

    Called by the awards service that publishes the result, inside its transaction, after it
    checked ``actor``'s right to publish (the awards' level rules, which the registry does not
    know); the honour's history names ``actor``. The caller keeps the link to the honour."""
    if award.kind not in AWARD_KINDS:
        raise ValidationError({"kind": [_("Only government quality awards are recorded here.")]})
    with transaction.atomic(), acting_as(actor):
        if honour is None:
            honour = Honour()
        else:
            honour = Honour.objects.select_for_update().get(pk=honour.pk)
        for field, value in asdict(award).items():
            setattr(honour, field, value)
        honour.level = KIND_LEVEL[award.kind]
        honour.revoked_at = None
        honour.full_clean()
        honour.save()
    return honour


def revoke_award_honour(actor: User, honour: Honour, when: dt.datetime) -> Honour:
    """Mark the honour of a revoked award revoked (a history row naming ``actor``). Called by
    the awards service that revokes the result, inside its transaction."""
    with transaction.atomic(), acting_as(actor):
        locked = Honour.objects.select_for_update().get(pk=honour.pk)
        if not locked.is_award:
            raise ValidationError(_("Only a government quality award's honour is revoked here."))
        if locked.revoked_at is None:
            locked.revoked_at = when
            locked.save(update_fields=["revoked_at"])
    return locked


HONOUR_FIELDS = frozenset(
    {
        "kind",
        "year",
        "holder_kind",
        "holder_name",
        "organization",
        "person",
        "city",
        "evidence",
        "is_synthetic",
    }
)


def create_honour(actor: User, data: Mapping[str, Any]) -> Honour:
    """Record an honour other than a government quality award (those come from results).
    Bureau staff of the honour's city, or the system actor (the demo loader, imports)."""
    city = data.get("city")
    if not permissions.can_record_honour(actor, city if isinstance(city, Region) else None):
        raise PermissionDenied(_("Only bureau staff of the honour's city record honours."))
    unknown = set(data) - HONOUR_FIELDS
    if unknown:
        raise ValidationError({field: [_("Unknown field.")] for field in sorted(unknown)})
    if data.get("kind") in AWARD_KINDS:
        raise ValidationError(
            {"kind": [_("Quality award honours are recorded from published award results.")]}
        )
    honour = Honour(**data)
    if honour.kind in KIND_LEVEL:
        honour.level = KIND_LEVEL[honour.kind]
    honour.created_by = actor
    honour.full_clean()
    with transaction.atomic(), acting_as(actor):
        honour.save()
    return honour


def update_honour(actor: User, honour: Honour, data: Mapping[str, Any]) -> Honour:
    """Correct an honour recorded by hand: bureau staff of its city (and of the city it is
    moved to). A quality award's honour follows its award result and is not edited here."""
    if not permissions.can_change_honour(actor, honour):
        raise PermissionDenied(_("Only bureau staff of this honour's city may change it."))
    unknown = set(data) - HONOUR_FIELDS
    if unknown:
        raise ValidationError({field: [_("Unknown field.")] for field in sorted(unknown)})
    city = data.get("city")
    if isinstance(city, Region) and not permissions.can_record_honour(actor, city):
        raise PermissionDenied(_("Only bureau staff of the honour's city record honours."))
    if data.get("kind") in AWARD_KINDS:
        raise ValidationError(
            {"kind": [_("Quality award honours are recorded from published award results.")]}
        )
    with transaction.atomic(), acting_as(actor):
        locked = Honour.objects.select_for_update().get(pk=honour.pk)
        if locked.is_award:
            raise ValidationError(_("A quality award's honour follows its award result."))
        for field, value in data.items():
            setattr(locked, field, value)
        locked.level = KIND_LEVEL[locked.kind]
        locked.full_clean()
        locked.save()
    return locked


def withdraw_honour(actor: User, honour: Honour, reason: str) -> Honour:
    """Withdraw an honour recorded by hand (a trademark cancelled, a benchmark title lost):
    bureau staff of the honour's city; the holder's users are told once it is committed.
    Quality awards leave the registry only through the award's revocation.

    The worked example of the service contract (docs/decisions/0004-service-contract.md)."""
    if not permissions.can_change_honour(actor, honour):
        raise PermissionDenied(_("Only bureau staff of this honour's city may withdraw it."))
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason for the withdrawal.")]})
    with transaction.atomic(), acting_as(actor):
        locked = Honour.objects.select_for_update().get(pk=honour.pk)
        if locked.is_award:
            raise ValidationError(_("A quality award leaves the registry when it is revoked."))
        if locked.revoked_at is not None:
            raise ValidationError(_("This honour is already withdrawn."))
        locked.revoked_at = timezone.now()
        locked._change_reason = reason.strip()[:100]  # type: ignore[attr-defined]
        locked.save(update_fields=["revoked_at"])
        if locked.organization is not None:
            notify(
                User.objects.filter(organization=locked.organization, is_active=True),
                MSG_HONOUR_WITHDRAWN,
                {
                    "honour": locked.get_kind_display(),
                    "holder": locked.holder_name,
                    "reason": reason,
                },
            )
    return locked


@dataclass(frozen=True)
class KindCount:
    kind: str
    label: str
    level: str
    count: int
    synthetic: int


def counts_by_kind(city: Region) -> list[KindCount]:
    """Standing honours of ``city`` per kind, in the article's order."""
    rows = {
        row["kind"]: row
        for row in Honour.objects.standing()
        .filter(city=city)
        .values("kind")
        .annotate(n=Count("pk"), synthetic=Count("pk", filter=_synthetic_q()))
    }
    counts = []
    for kind in HonourKind:
        row = rows.get(kind.value)
        if row is None and kind not in ARTICLE_KINDS:
            continue
        counts.append(
            KindCount(
                kind=kind.value,
                label=str(kind.label),
                level=KIND_LEVEL[kind],
                count=row["n"] if row else 0,
                synthetic=row["synthetic"] if row else 0,
            )
        )
    return counts


def _synthetic_q() -> Any:
    from django.db.models import Q

    return Q(is_synthetic=True)


LEVEL_ORDER = {HonourLevel.CITY: 0, HonourLevel.PROVINCIAL: 1, HonourLevel.NATIONAL: 2}


def award_ladder(organization: Organization) -> list[Honour]:
    """The organization's standing government quality awards, from the city award up to the
    national award (the honours the awards app pushed in)."""
    honours = Honour.objects.standing().filter(organization=organization, kind__in=AWARD_KINDS)
    return sorted(honours, key=lambda h: (LEVEL_ORDER[HonourLevel(h.level)], h.year or 0, h.kind))


def organization_honours(organization: Organization) -> list[Honour]:
    return list(
        Honour.objects.standing()
        .filter(organization=organization)
        .order_by("level", "-year", "kind")
    )
