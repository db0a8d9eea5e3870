"""Incidents API: the public per-domain summary; the caller's visible incidents."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from zhizao.core.api_auth import api_auth, public_auth
from zhizao.core.figures_api import check_year
from zhizao.core.models import Region
from zhizao.core.pagination import BoundedPagination
from zhizao.incidents import services
from zhizao.incidents.choices import RECORDS_FROM_YEAR, Domain
from zhizao.incidents.models import Incident

router = Router(tags=["incidents"])


class DomainOut(Schema):
    domain: str
    years_without_major: int
    major: int


class IncidentOut(Schema):
    id: int
    domain: str
    title: str
    occurred_on: dt.date
    region_id: int
    deaths: int
    injured: int
    affected: int
    suggested_grade: str
    grade: str
    status: str
    is_synthetic: bool


@router.get("/summary", response=list[DomainOut], auth=public_auth)
def summary(request: HttpRequest, year: int, city: str = "") -> list[dict[str, object]]:
    """Per domain: years without a major incident up to ``year`` and that year's major ones."""
    check_year(year)
    region = Region.objects.city(city or "")
    if region is None or year < RECORDS_FROM_YEAR:
        raise Http404
    return [
        {
            "domain": domain.value,
            "years_without_major": services.years_without_major(region, year, domain),
            "major": services.records_between(region, year, year)
            .filter(domain=domain)
            .major()
            .count(),
        }
        for domain in Domain
    ]


@router.get("/", response=list[IncidentOut], auth=api_auth)
@paginate(BoundedPagination)
def incidents(request: HttpRequest, year: int | None = None) -> QuerySet[Incident]:
    check_year(year)
    rows = Incident.objects.visible_to(request.auth)  # type: ignore[attr-defined]
    if year is not None:
        rows = rows.filter(occurred_on__year=year)
    return rows.order_by("-occurred_on", "-pk")
