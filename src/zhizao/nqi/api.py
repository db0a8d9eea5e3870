"""Quality-infrastructure API: the public capability search and the one-stop catalogue's
ranked search (the same functions as the pages), and the one-stop request workflow — file,
route, accept / decline, quote, deliver, close, accept and rate — each step the same service
function as the request page, with its role check. A request is looked up among those the
caller may see (``ServiceRequest.objects.visible_to``): others are 404."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from zhizao.core.actors import request_actor
from zhizao.core.api_auth import api_auth, public_auth
from zhizao.core.models import Organization
from zhizao.core.pagination import BoundedPagination
from zhizao.nqi import capability, search, services
from zhizao.nqi.models import ServiceOffering, ServiceRequest

router = Router(tags=["nqi"])


class CapabilityOut(Schema):
    body: str
    organization_id: int
    standard_code: str
    parameter: str
    product_category: str
    accreditation: str
    expired: bool
    turnaround_days: int
    score: int


class OfferingOut(Schema):
    id: int
    title: str
    title_en: str
    element: str
    stage: str
    score: float


@router.get("/capability", response=list[CapabilityOut], auth=public_auth)
def capability_search(request: HttpRequest, q: str = "") -> list[dict[str, object]]:
    return [
        {
            "body": str(match.body),
            "organization_id": match.body.organization_id,
            "standard_code": match.line.standard_code,
            "parameter": match.line.parameter,
            "product_category": match.line.product_category,
            "accreditation": match.line.accreditation.number,
            "expired": match.expired,
            "turnaround_days": match.body.turnaround_days,
            "score": match.score,
        }
        for match in capability.find(q[:200])
    ]


@router.get("/onestop/search", response=list[OfferingOut], auth=public_auth)
def onestop_search(request: HttpRequest, q: str = "") -> list[dict[str, object]]:
    return [
        {
            "id": hit.offering.pk,
            "title": hit.offering.title,
            "title_en": hit.offering.title_en,
            "element": hit.offering.element,
            "stage": hit.offering.stage,
            "score": hit.score,
        }
        for hit in search.rank(q[:500])
    ]


# --- One-stop requests -----------------------------------------------------------------------


class RequestOut(Schema):
    id: int
    text: str
    enterprise_id: int
    enterprise: str
    pilot_id: int | None
    offering_id: int | None
    provider_id: int | None
    status: str
    filed_at: dt.datetime
    routed_at: dt.datetime | None
    accepted_at: dt.datetime | None
    declined_at: dt.datetime | None
    decline_reason: str
    quoted_at: dt.datetime | None
    quote_amount: Decimal | None
    delivered_at: dt.datetime | None
    documents: str
    closed_at: dt.datetime | None
    rated_at: dt.datetime | None
    rating: int | None
    comment: str
    promised_days: int | None
    due_at: dt.datetime | None
    is_overdue: bool
    is_synthetic: bool

    @staticmethod
    def resolve_enterprise(obj: ServiceRequest) -> str:
        return obj.enterprise.name


class FileIn(Schema):
    text: str = Field(max_length=2000)
    offering_id: int | None = None


class RouteIn(Schema):
    offering_id: int
    provider_id: int


class DeclineIn(Schema):
    reason: str = Field(max_length=300)


class QuoteIn(Schema):
    amount: Decimal = Field(max_digits=12, decimal_places=2)


class DeliverIn(Schema):
    documents: str = Field(max_length=2000)


class RateIn(Schema):
    rating: int
    comment: str = Field("", max_length=500)


def _request(request: HttpRequest, pk: int) -> ServiceRequest:
    return get_object_or_404(
        ServiceRequest.objects.visible_to(request_actor(request)).select_related(
            "enterprise", "enterprise__region"
        ),
        pk=pk,
    )


def _out(item: ServiceRequest) -> ServiceRequest:
    """The request as stored, with its enterprise (for ``RequestOut``)."""
    return ServiceRequest.objects.select_related("enterprise").get(pk=item.pk)


@router.get("/onestop/requests", response=list[RequestOut], auth=api_auth)
@paginate(BoundedPagination)
def list_requests(request: HttpRequest, status: str = "") -> Any:
    """The requests the caller may see, newest first (optionally of one status)."""
    rows = ServiceRequest.objects.visible_to(request_actor(request)).select_related("enterprise")
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-filed_at", "-pk")


@router.get("/onestop/requests/{pk}", response=RequestOut, auth=api_auth)
def get_request(request: HttpRequest, pk: int) -> Any:
    return _request(request, pk)


@router.post("/onestop/requests", response={201: RequestOut}, auth=api_auth)
def file_request(request: HttpRequest, payload: FileIn) -> Any:
    """An enterprise user files a request in plain words, optionally naming the service."""
    offering = None
    if payload.offering_id is not None:
        offering = get_object_or_404(ServiceOffering, pk=payload.offering_id)
    filed = services.file_request(request_actor(request), payload.text, offering=offering)
    return Status(201, _out(filed))


@router.post("/onestop/requests/{pk}/route", response=RequestOut, auth=api_auth)
def route_request(request: HttpRequest, pk: int, payload: RouteIn) -> Any:
    """Bureau staff route the request to one provider of a service."""
    item = _request(request, pk)
    offering = get_object_or_404(ServiceOffering, pk=payload.offering_id)
    provider = get_object_or_404(Organization, pk=payload.provider_id)
    return _out(services.route_request(request_actor(request), item, offering, provider))


@router.post("/onestop/requests/{pk}/accept", response=RequestOut, auth=api_auth)
def accept_request(request: HttpRequest, pk: int) -> Any:
    return _out(services.accept_request(request_actor(request), _request(request, pk)))


@router.post("/onestop/requests/{pk}/decline", response=RequestOut, auth=api_auth)
def decline_request(request: HttpRequest, pk: int, payload: DeclineIn) -> Any:
    return _out(
        services.decline_request(request_actor(request), _request(request, pk), payload.reason)
    )


@router.post("/onestop/requests/{pk}/quote", response=RequestOut, auth=api_auth)
def quote_request(request: HttpRequest, pk: int, payload: QuoteIn) -> Any:
    return _out(
        services.quote_request(request_actor(request), _request(request, pk), payload.amount)
    )


@router.post("/onestop/requests/{pk}/deliver", response=RequestOut, auth=api_auth)
def deliver_request(request: HttpRequest, pk: int, payload: DeliverIn) -> Any:
    item = _request(request, pk)
    return _out(services.deliver_request(request_actor(request), item, payload.documents))


@router.post("/onestop/requests/{pk}/close", response=RequestOut, auth=api_auth)
def close_request(request: HttpRequest, pk: int) -> Any:
    return _out(services.close_request(request_actor(request), _request(request, pk)))


@router.post("/onestop/requests/{pk}/rate", response=RequestOut, auth=api_auth)
def rate_request(request: HttpRequest, pk: int, payload: RateIn) -> Any:
    """The enterprise accepts the delivery and rates it (1–5, with a comment)."""
    item = _request(request, pk)
    return _out(
        services.rate_request(request_actor(request), item, payload.rating, payload.comment)
    )
