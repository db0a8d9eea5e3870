"""How many standards the local organizations drafted, by level and role — the registered
figures ``standards.<level>``, ``standards.<level>.led`` and ``standards.<level>.participated``.

As the article counts them ("led or joined 139 international … standards"): a standard counts
once for a region when at least one organization of the region is among its drafters; it counts
as *led* when one of them led it and as *participated* otherwise, so led + participated = the
total. Every registered edition counts, whatever its status (a revision is drafting work too).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from zhizao.core.models import Organization, Region
from zhizao.standards.choices import DraftingRole, StandardLevel
from zhizao.standards.models import Standard, StandardDrafter


@dataclass(frozen=True)
class LevelCount:
    level: str
    led: int
    participated: int

    @property
    def total(self) -> int:
        return self.led + self.participated


def counts_by_level(
    *, region: Region | None = None, organization: Organization | None = None
) -> list[LevelCount]:
    """Counts for the organizations of ``region`` (its whole subtree), or for one
    ``organization``, or for every organization; every level, in order. One query."""
    drafters = StandardDrafter.objects.all()
    if organization is not None:
        drafters = drafters.filter(organization=organization)
    if region is not None:
        drafters = drafters.filter(organization__region__in=region.subtree())
    led = drafters.filter(role=DraftingRole.LED).values("standard_id")
    rows = {
        row["level"]: row
        for row in Standard.objects.filter(pk__in=drafters.values("standard_id"))
        .values("level")
        .annotate(total=Count("pk"), led=Count("pk", filter=Q(pk__in=led)))
    }
    counts = []
    for level in StandardLevel.values:
        row = rows.get(level)
        led_count = row["led"] if row else 0
        counts.append(LevelCount(level, led_count, (row["total"] - led_count) if row else 0))
    return counts


def figure_values(
    *, region: Region | None = None, organization: Organization | None = None
) -> dict[str, int]:
    """``{"standards.national": 321, "standards.national.led": …, …}`` for the registry of
    figures (``zhizao figures``), which is built with the figures of issue 12."""
    values: dict[str, int] = {}
    for count in counts_by_level(region=region, organization=organization):
        values[f"standards.{count.level}"] = count.total
        values[f"standards.{count.level}.led"] = count.led
        values[f"standards.{count.level}.participated"] = count.participated
    return values
