"""Fund API: the public programmes with their totals, and the grants a user may read."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from zhizao.core.api_auth import api_auth, public_auth
from zhizao.core.pagination import BoundedPagination
from zhizao.funds import permissions
from zhizao.funds.models import FundGrant, FundProgramme

router = Router(tags=["funds"])


class ProgrammeOut(Schema):
    code: str
    kind: str
    level: str
    year: int
    name: str
    name_en: str
    authority: str
    budget: Decimal
    granted_total: Decimal
    is_synthetic: bool


class GrantOut(Schema):
    id: int
    programme: str
    organization: str
    credit_code: str
    amount: Decimal
    paid_total: Decimal
    granted_on: dt.date
    award_result_id: int | None
    source_ref: str
    is_synthetic: bool

    @staticmethod
    def resolve_programme(grant: FundGrant) -> str:
        return grant.programme.code

    @staticmethod
    def resolve_organization(grant: FundGrant) -> str:
        return grant.organization.name

    @staticmethod
    def resolve_credit_code(grant: FundGrant) -> str:
        return grant.organization.credit_code


@router.get("/programmes", response=list[ProgrammeOut], auth=public_auth)
@paginate(BoundedPagination)
def programmes(request: HttpRequest) -> list[FundProgramme]:
    return FundProgramme.objects.order_by("-year", "code")  # type: ignore[return-value]


@router.get("/grants", response=list[GrantOut], auth=api_auth)
@paginate(BoundedPagination)
def grants(request: HttpRequest, programme: str = "") -> list[FundGrant]:
    rows = permissions.grants_visible_to(request.user).select_related("programme", "organization")
    if programme:
        rows = rows.filter(programme__code=programme)
    return rows.order_by("-granted_on", "pk")  # type: ignore[return-value]
