"""Storing a rollup (``zhizao rollup DIR --store``) as figures of provinces and the nation.

The rollup itself is computed without Django by :mod:`zhizao.scaleout.rollup`; this service
writes its result: the pass rates of every province and of the nation (by month and year, by
category and all categories), and the annual air evaluation of every city with its ranking in
its province and the nation. A second store of the same years replaces their figures.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from zhizao.core.actors import acting_as, is_system_actor
from zhizao.core.models import Region, User
from zhizao.core.permissions import staff_regions
from zhizao.rollups.choices import RollupDataset, RollupLevel, RollupMeasure
from zhizao.rollups.models import RollupFigure
from zhizao.scaleout.rollup import Rollup


@dataclass(frozen=True)
class StoredRollup:
    created: int
    replaced: int
    years: list[int]


def _number(value: Any) -> float | None:
    if value is None or pd.isna(value):
        return None
    number = float(value)
    return None if math.isnan(number) else number


def _rank(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _figures(rollup: Rollup, source: str, regions: dict[str, Region]) -> list[RollupFigure]:
    now = timezone.now()
    common = {
        "engine": rollup.engine,
        "source": source[:500],
        "computed_at": now,
        "is_synthetic": rollup.synthetic,
    }
    rows: list[RollupFigure] = []
    rates = rollup.pass_rates[rollup.pass_rates["level"].isin(["province", "nation"])]
    for record in rates.to_dict("records"):
        code = str(record["region"])
        rows.append(
            RollupFigure(
                level=record["level"],
                region=regions.get(code),
                region_code=code,
                province_code=str(record["province"]),
                dataset=record["dataset"],
                measure=RollupMeasure.PASS_RATE,
                year=int(record["year"]),
                month=int(record["month"]),
                category=str(record["category"]),
                passed=int(record["passed"]),
                total=int(record["total"]),
                value=_number(record["rate"]),
                low=_number(record["low"]),
                high=_number(record["high"]),
                **common,
            )
        )
    cities = rollup.air[rollup.air["level"] == "city"]
    for record in cities.to_dict("records"):
        code = str(record["city"])
        for measure, value in (
            (RollupMeasure.COMPOSITE_INDEX, _number(record["composite"])),
            (RollupMeasure.GOOD_DAYS, float(record["good_days"])),
        ):
            rows.append(
                RollupFigure(
                    level=RollupLevel.CITY,
                    region=regions.get(code),
                    region_code=code,
                    province_code=str(record["province"]),
                    dataset=RollupDataset.AIR,
                    measure=measure,
                    year=int(record["year"]),
                    total=int(record["valid_days"]),
                    value=value,
                    rank_in_province=_rank(record["rank_in_province"])
                    if measure == RollupMeasure.COMPOSITE_INDEX
                    else None,
                    rank_in_nation=_rank(record["rank_in_nation"])
                    if measure == RollupMeasure.COMPOSITE_INDEX
                    else None,
                    **common,
                )
            )
    return rows


def _check_actor(actor: User, rows: list[RollupFigure]) -> None:
    """The system actor (the command line on the server) or a superuser stores anything; bureau
    staff store figures of their own regions only, never the nation's."""
    if is_system_actor(actor) or actor.is_superuser:
        return
    if any(row.level == RollupLevel.NATION for row in rows):
        raise PermissionDenied(_("Only an administrator may store figures of the nation."))
    allowed = set(staff_regions(actor).values_list("pk", flat=True))
    outside = sorted({row.region_code for row in rows if row.region_id not in allowed})
    if outside:
        raise PermissionDenied(
            _("You may store figures of your own regions only, not of %(codes)s.")
            % {"codes": ", ".join(outside)}
        )


def store_rollup(actor: User, rollup: Rollup, *, source: str) -> StoredRollup:
    """Store ``rollup``'s province, nation and city-air figures, replacing those of its years."""
    codes = (
        set(rollup.pass_rates["region"].astype(str))
        | set(rollup.air["city"].astype(str))
        | set(rollup.air["province"].astype(str))
    )
    regions = {region.code: region for region in Region.objects.filter(code__in=codes)}
    rows = _figures(rollup, source, regions)
    _check_actor(actor, rows)
    years = sorted({row.year for row in rows})
    datasets = sorted({row.dataset for row in rows})
    with transaction.atomic(), acting_as(actor):
        stored = RollupFigure.objects.select_for_update().filter(
            year__in=years, dataset__in=datasets
        )
        replaced = len(list(stored.values_list("pk", flat=True)))
        RollupFigure.objects.filter(year__in=years, dataset__in=datasets).delete()
        bulk_create_with_history(rows, RollupFigure, batch_size=1000)
    return StoredRollup(len(rows), replaced, years)
