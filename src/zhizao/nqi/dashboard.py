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
    synthetic: bool = False

    @property
    def element_counts(self) -> list[tuple[str, int]]:
        return list(self.by_element.items())

    @property
    def stage_counts(self) -> list[tuple[str, int]]:
        return list(self.by_stage.items())


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
            "is_synthetic",
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
                synthetic=any(i["is_synthetic"] for i in items),
            )
        )
    return result


MEASURES = ("requests", "served", "on_time", "rated")


def pilot_requests(
    city: Region,
    year: int,
    pilot: OneStopPilot,
    measure: str = "requests",
    *,
    element: str = "",
    stage: str = "",
) -> Any:
    """The requests behind one number of a pilot's row (the drill-down of the dashboard):
    ``requests`` all filed in the year, ``served`` and ``on_time`` the delivered ones with a
    start (what the enterprises-served, median turnaround and on-time figures are computed
    from), ``rated`` those with a rating; optionally of one NQI element or lifecycle stage."""
    rows = filed(city, year).filter(pilot=pilot)
    if measure in ("served", "on_time"):
        rows = rows.filter(
            status__in=SERVED_STATUSES, accepted_at__isnull=False, delivered_at__isnull=False
        )
    elif measure == "rated":
        rows = rows.filter(rating__isnull=False)
    if element:
        rows = rows.filter(offering__element=element)
    if stage:
        rows = rows.filter(offering__stage=stage)
    return rows.select_related("enterprise", "offering", "provider").order_by("filed_at", "pk")
