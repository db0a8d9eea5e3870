"""The one-stop pilot dashboard: per pilot zone and industry chain, the year's requests by NQI
element and lifecycle stage, enterprises served, median turnaround, on-time share and mean
satisfaction (formulas from ``zhizao.indicators.service``). The city's totals are the registered
figures ``nqi.onestop.*``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zhizao.core.models import Region
from zhizao.indicators import service
from zhizao.nqi.choices import SERVED_STATUSES, Element, Stage
from zhizao.nqi.indicators import filed
from zhizao.nqi.models import OneStopPilot


@dataclass(frozen=True)
class PilotRow:
    pilot: OneStopPilot
    requests: int
    by_element: dict[str, int]
    by_stage: dict[str, int]
    served: int
    median_days: float | None
    on_time_share: float | None
    satisfaction: float | None


def pilot_rows(city: Region, year: int) -> list[PilotRow]:
    """One row per pilot of ``city``; two queries in all."""
    rows: dict[int, list[Any]] = {}
    for values in (
        filed(city, year)
        .filter(pilot__isnull=False)
        .values(
            "pilot_id",
            "enterprise_id",
            "status",
            "offering__element",
            "offering__stage",
            "accepted_at",
            "delivered_at",
            "promised_days",
            "rating",
        )
    ):
        rows.setdefault(values["pilot_id"], []).append(values)
    result = []
    for pilot in OneStopPilot.objects.filter(city=city):
        items = rows.get(pilot.pk, [])
        done = [
            item
            for item in items
            if item["status"] in SERVED_STATUSES and item["accepted_at"] and item["delivered_at"]
        ]
        days = [(i["delivered_at"] - i["accepted_at"]).total_seconds() / 86400 for i in done]
        result.append(
            PilotRow(
                pilot=pilot,
                requests=len(items),
                by_element={
                    e: sum(1 for i in items if i["offering__element"] == e) for e in Element.values
                },
                by_stage={
                    s: sum(1 for i in items if i["offering__stage"] == s) for s in Stage.values
                },
                served=len({i["enterprise_id"] for i in done}),
                median_days=service.median_turnaround(days),
                on_time_share=service.on_time_share(days, [i["promised_days"] for i in done]),
                satisfaction=service.mean_rating([i["rating"] for i in items if i["rating"]]),
            )
        )
    return result
