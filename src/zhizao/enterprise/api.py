"""Enterprise API: search, and the profile by unified social credit code with the same rule as
the page (the private part only for the enterprise's own users and bureau staff of its
region). A malformed or unknown credit code is a 404 whose ``detail`` says which."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from zhizao.core.api_auth import public_auth
from zhizao.core.models import Organization
from zhizao.core.pagination import BoundedPagination
from zhizao.enterprise.filters import (
    CreditCodeNotFound,
    organization_by_credit_code,
    search_organizations,
)
from zhizao.enterprise.profile import build_profile

router = Router(tags=["enterprises"])


class EnterpriseOut(Schema):
    credit_code: str
    name: str
    name_en: str
    kind: str
    industry_chain: str
    region: str
    is_synthetic: bool

    @staticmethod
    def resolve_region(organization: Organization) -> str:
        return organization.region.code or organization.region.name


class SectionOut(Schema):
    key: str
    title: str
    columns: list[dict[str, str]]
    rows: list[dict[str, Any]]


class ProfileOut(Schema):
    enterprise: EnterpriseOut
    public: list[SectionOut]
    private: list[SectionOut] | None


@router.get("", response=list[EnterpriseOut], auth=public_auth)
@paginate(BoundedPagination)
def enterprises(request: HttpRequest, q: str = "", chain: str = "") -> list[Organization]:
    return search_organizations(q, chain)  # type: ignore[return-value]


@router.get("/{credit_code}/profile", response=ProfileOut, auth=public_auth)
def profile(request: HttpRequest, credit_code: str) -> dict[str, Any]:
    try:
        organization = organization_by_credit_code(credit_code)
    except CreditCodeNotFound as missing:
        raise HttpError(404, missing.reason) from None
    built = build_profile(organization, request.user)
    return {
        "enterprise": organization,
        "public": [data.as_json() for data in built.public],
        "private": None if built.private is None else [data.as_json() for data in built.private],
    }
