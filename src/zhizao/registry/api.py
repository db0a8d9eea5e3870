"""Registry API: public counts by honour kind and the holders of each kind."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from zhizao.core.api_auth import public_auth
from zhizao.core.models import Region
from zhizao.core.pagination import BoundedPagination
from zhizao.registry import services
from zhizao.registry.models import Honour

router = Router(tags=["registry"])


class CountOut(Schema):
    kind: str
    label: str
    level: str
    count: int
    synthetic: int


class HonourOut(Schema):
    id: int
    kind: str
    level: str
    year: int | None
    holder_kind: str
    holder_name: str
    organization_id: int | None
    evidence: str
    is_synthetic: bool


def _city(code: str) -> Region:
    region = Region.objects.city(code)
    if region is None:
        raise Http404
    return region


@router.get("/counts", response=list[CountOut], auth=public_auth)
def counts(request: HttpRequest, city: str = "") -> list[services.KindCount]:
    return services.counts_by_kind(_city(city))


@router.get("/honours", response=list[HonourOut], auth=public_auth)
@paginate(BoundedPagination)
def honours(request: HttpRequest, kind: str = "", city: str = "") -> list[Honour]:
    rows = Honour.objects.standing().filter(city=_city(city))
    if kind:
        rows = rows.filter(kind=kind)
    return rows.order_by("kind", "holder_name", "pk")  # type: ignore[return-value]
