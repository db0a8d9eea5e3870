"""Sampling API: public pass rates; the caller's visible batches with their items."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from zhizao.core.api_auth import api_auth, public_auth
from zhizao.core.figures import in_region
from zhizao.core.figures_api import check_year
from zhizao.core.models import Region
from zhizao.core.pagination import BoundedPagination
from zhizao.sampling import services
from zhizao.sampling.choices import Grouping
from zhizao.sampling.models import SampledBatch

router = Router(tags=["sampling"])


class RateOut(Schema):
    key: str
    label: str
    passed: int
    total: int
    rate: float
    low: float
    high: float
    synthetic: bool


class ItemOut(Schema):
    name: str
    value: str
    limit: str
    unit: str
    verdict: str


class BatchOut(Schema):
    id: int
    report_number: str
    domain: str = Field(alias="plan.domain")
    category: str = Field(alias="category.name")
    product: str
    producer_id: int
    seller_id: int | None
    sampled_on: dt.date
    region_id: int
    verdict: str
    overturned_on_retest: bool
    is_synthetic: bool


class BatchDetailOut(BatchOut):
    items: list[ItemOut]
    standards: list[str]

    @staticmethod
    def resolve_items(obj: SampledBatch) -> list[object]:
        return list(obj.items.all())

    @staticmethod
    def resolve_standards(obj: SampledBatch) -> list[str]:
        return [standard.code for standard in obj.standards.all()]


@router.get("/pass-rates", response=list[RateOut], auth=public_auth)
def rates(
    request: HttpRequest, year: int, by: str = "domain", city: str = "", domain: str = ""
) -> list[dict[str, object]]:
    """Pass rates of the city's batches sampled in ``year`` by domain, category, district,
    producer or year, with Wilson 95% intervals."""
    check_year(year)
    if by not in Grouping.values:
        raise Http404
    region = Region.objects.city(city or "")
    if region is None:
        raise Http404
    batches = SampledBatch.objects.filter(in_region(region, "region"))
    if by != Grouping.YEAR:
        batches = batches.filter(sampled_on__year=year)
    if domain:
        batches = batches.filter(plan__domain=domain)
    return [{**row.__dict__, "key": str(row.key)} for row in services.pass_rates(batches, by)]


@router.get("/batches", response=list[BatchOut], auth=api_auth)
@paginate(BoundedPagination)
def batches(
    request: HttpRequest, year: int | None = None, verdict: str = ""
) -> QuerySet[SampledBatch]:
    check_year(year)
    rows = SampledBatch.objects.visible_to(request.auth).select_related(  # type: ignore[attr-defined]
        "plan", "category"
    )
    if year is not None:
        rows = rows.filter(sampled_on__year=year)
    if verdict:
        rows = rows.filter(verdict=verdict)
    return rows.order_by("-sampled_on", "-pk")


@router.get("/batches/{batch_id}", response=BatchDetailOut, auth=api_auth)
def batch(request: HttpRequest, batch_id: int) -> SampledBatch:
    found: SampledBatch = get_object_or_404(
        SampledBatch.objects.visible_to(request.auth)  # type: ignore[attr-defined]
        .select_related("plan", "category")
        .prefetch_related("items", "standards"),
        pk=batch_id,
    )
    return found
