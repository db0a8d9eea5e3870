"""Engineering API: public pass rates; the caller's visible projects."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from zhizao.core.api_auth import api_auth, public_auth
from zhizao.core.figures import in_region
from zhizao.core.figures_api import check_year
from zhizao.core.models import Region
from zhizao.core.pagination import BoundedPagination
from zhizao.engineering import services
from zhizao.engineering.choices import Grouping, ProjectKind
from zhizao.engineering.models import Acceptance, Inspection, Project

router = Router(tags=["engineering"])


class RateOut(Schema):
    key: str
    label: str
    passed: int
    total: int
    rate: float
    low: float
    high: float


class RatesOut(Schema):
    first_acceptance: list[RateOut]
    inspections: list[RateOut]


class ProjectOut(Schema):
    id: int
    name: str
    kind: str
    region_id: int
    builder_id: int
    started_on: dt.date | None
    completed_on: dt.date | None
    is_synthetic: bool


def _rows(rows: list[services.RateRow]) -> list[dict[str, object]]:
    return [{**row.__dict__, "key": str(row.key)} for row in rows]


@router.get("/rates", response=RatesOut, auth=public_auth)
def rates(request: HttpRequest, year: int, by: str = "kind", city: str = "") -> dict[str, object]:
    """First-time acceptance and inspection pass rates by type, district or year."""
    check_year(year)
    if by not in Grouping.values:
        raise Http404
    region = Region.objects.city(city or "")
    if region is None:
        raise Http404
    first = Acceptance.objects.filter(in_region(region, "project__region"), attempt=1)
    checks = Inspection.objects.filter(in_region(region, "project__region")).exclude(
        project__kind=ProjectKind.CONSTRUCTION
    )
    if by != Grouping.YEAR:
        first, checks = first.filter(accepted_on__year=year), checks.filter(inspected_on__year=year)
    return {
        "first_acceptance": _rows(services.rates(first, by, "accepted_on")),
        "inspections": _rows(services.rates(checks, by, "inspected_on")),
    }


@router.get("/projects", response=list[ProjectOut], auth=api_auth)
@paginate(BoundedPagination)
def projects(request: HttpRequest, kind: str = "") -> QuerySet[Project]:
    rows = Project.objects.visible_to(request.auth)  # type: ignore[attr-defined]
    if kind:
        rows = rows.filter(kind=kind)
    return rows.order_by("name", "pk")
