"""Quality-infrastructure API: the public capability search and the one-stop catalogue's
ranked search (the same functions as the pages)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from zhizao.core.api_auth import public_auth
from zhizao.nqi import capability, search

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
