"""Reports API: the snapshots the caller may read a report on (published ones for everyone,
every snapshot of their regions for bureau staff), each with its report's download links."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema
from ninja.pagination import paginate

from zhizao.core.api_auth import public_auth
from zhizao.core.figures_api import check_year
from zhizao.core.pagination import BoundedPagination
from zhizao.reports.choices import ReportFormat, SnapshotState
from zhizao.reports.filters import filter_snapshots
from zhizao.reports.models import Snapshot

router = Router(tags=["reports"])


class SnapshotOut(Schema):
    id: int
    region: str
    region_code: str
    year: int
    computed_at: dt.datetime | None
    code_version: str
    published: bool
    report: str
    downloads: dict[str, str]


def _out(snapshot: Snapshot) -> dict[str, Any]:
    return {
        "id": snapshot.pk,
        "region": snapshot.region.name,
        "region_code": snapshot.region.code,
        "year": snapshot.year,
        "computed_at": snapshot.computed_at,
        "code_version": snapshot.code_version,
        "published": bool(snapshot.publications.all()),
        "report": reverse("reports:detail", args=[snapshot.pk]),
        "downloads": {
            fmt: reverse("reports:download", args=[snapshot.pk, fmt]) for fmt in ReportFormat.values
        },
    }


@router.get("/snapshots", response=list[SnapshotOut], auth=public_auth)
@paginate(BoundedPagination)
def snapshots(
    request: HttpRequest, city: str = "", year: int | None = None
) -> list[dict[str, Any]]:
    check_year(year)
    rows = filter_snapshots(
        Snapshot.objects.visible_to(request.auth),  # type: ignore[attr-defined]
        {"city": city, "year": year},
    )
    found = (
        rows.filter(state=SnapshotState.DONE)
        .select_related("region")
        .prefetch_related("publications")
        .order_by("-computed_at", "-pk")
    )
    return [_out(snapshot) for snapshot in found]
