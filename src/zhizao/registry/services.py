"""Changes to the honours registry. Award results flow in through :func:`record_award_result`,
which the awards app calls when a result is published (a service call, not a signal)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from zhizao.core.actors import acting_as, is_system_actor
from zhizao.core.models import Organization, Region, User
from zhizao.core.notifications import notify
from zhizao.core.permissions import is_staff_user, staff_regions
from zhizao.registry.choices import AWARD_KINDS, KIND_LEVEL, HolderKind, HonourKind
from zhizao.registry.models import Honour

if TYPE_CHECKING:
    from zhizao.awards.models import AwardResult

# (award programme code, outcome) -> honour kind
PROGRAMME_KINDS: dict[tuple[str, str], str] = {
    ("china-quality-award", "award"): HonourKind.CHINA_QUALITY_AWARD,
    ("china-quality-award", "nomination"): HonourKind.CHINA_QUALITY_AWARD_NOMINATION,
    ("hunan-governor-quality-award", "award"): HonourKind.GOVERNOR_AWARD,
    ("hunan-governor-quality-award", "nomination"): HonourKind.GOVERNOR_AWARD_NOMINATION,
    ("zhuzhou-mayor-quality-award", "award"): HonourKind.MAYOR_AWARD,
}

# Kinds shown on the public page even when the city holds none (the article's list).
ARTICLE_KINDS = tuple(kind for kind in HonourKind if kind != HonourKind.GOVERNOR_AWARD_NOMINATION)


def record_award_result(actor: User, result: AwardResult) -> Honour | None:
    """Add (or refresh) the honour of a published award result; None if no kind maps to it.

    Called by the awards service that publishes ``result`` (which checked ``actor``'s right to),
    inside its transaction; the honour's history names ``actor``."""
    kind = PROGRAMME_KINDS.get((result.edition.programme.code, result.outcome))
    if kind is None or result.published_at is None:
        return None
    with transaction.atomic(), acting_as(actor):
        honour = Honour.objects.select_for_update().filter(award_result=result).first() or Honour(
            award_result=result
        )
        honour.kind = kind
        honour.level = KIND_LEVEL[kind]
        honour.year = result.edition.year
        honour.holder_kind = (
            HolderKind.PERSON
            if result.person_id or result.holder_title
            else HolderKind.ORGANIZATION
        )
        honour.holder_name = result.name_as_awarded
        honour.organization = result.organization
        honour.person = result.person
        honour.city = result.city
        honour.evidence = f"{result.edition} · {result.get_outcome_display()}"
        honour.is_synthetic = result.is_synthetic
        honour.revoked_at = result.revoked_at
        honour.full_clean(exclude=["award_result"])
        honour.save()
    return honour


def revoke_award_result(actor: User, result: AwardResult, when: dt.datetime) -> list[Honour]:
    """Mark the honours of a revoked award result revoked (each save writes a history row
    naming ``actor``). Called by the awards service that revokes ``result``."""
    revoked = []
    with transaction.atomic(), acting_as(actor):
        for honour in Honour.objects.select_for_update().filter(
            award_result=result, revoked_at__isnull=True
        ):
            honour.revoked_at = when
            honour.save(update_fields=["revoked_at"])
            revoked.append(honour)
    return revoked


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
    Bureau staff, or the system actor (the demo loader, imports)."""
    if not (is_staff_user(actor) or is_system_actor(actor)):
        raise PermissionDenied(_("Only bureau staff record honours."))
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


MSG_HONOUR_WITHDRAWN = "registry_honour_withdrawn"


def withdraw_honour(actor: User, honour: Honour, reason: str) -> Honour:
    """Withdraw an honour recorded by hand (a trademark cancelled, a benchmark title lost):
    bureau staff of the honour's city; the holder's users are told once it is committed.
    Quality awards leave the registry only through the award's revocation.

    The worked example of the service contract (docs/decisions/0004-service-contract.md)."""
    if not staff_regions(actor).filter(pk=honour.city_id).exists():
        raise PermissionDenied(_("Only bureau staff of this honour's city may withdraw it."))
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason for the withdrawal.")]})
    with transaction.atomic(), acting_as(actor):
        locked = Honour.objects.select_for_update().get(pk=honour.pk)
        if locked.award_result_id is not None:
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


def organization_honours(organization: Organization) -> list[Honour]:
    return list(
        Honour.objects.standing()
        .filter(organization=organization)
        .order_by("level", "-year", "kind")
    )
