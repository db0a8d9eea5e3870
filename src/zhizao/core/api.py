"""Core API: regions, organizations, people and the current user."""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from zhizao.core import permissions, services
from zhizao.core.actors import request_actor
from zhizao.core.api_auth import api_auth, public_auth
from zhizao.core.choices import IndustryChain, OrganizationKind
from zhizao.core.filters import filter_organizations
from zhizao.core.models import Organization, Region, User
from zhizao.core.pagination import BoundedPagination

router = Router(tags=["core"])


class RegionOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    level: str
    parent_id: int | None


class OrganizationPublicOut(Schema):
    id: int
    name: str
    name_en: str
    credit_code: str
    kind: str
    region_id: int
    industry_chain: str
    parent_id: int | None
    is_synthetic: bool


class OrganizationOut(OrganizationPublicOut):
    address: str
    contact_name: str
    contact_phone: str
    contact_email: str


class OrganizationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=200)
    name_en: str = Field("", max_length=300)
    credit_code: str = Field(max_length=24)
    kind: OrganizationKind
    region_id: int
    industry_chain: IndustryChain = IndustryChain.NONE
    parent_id: int | None = None
    address: str = Field("", max_length=300)
    contact_name: str = Field("", max_length=100)
    contact_phone: str = Field("", max_length=32)
    contact_email: str = Field("", max_length=254)


class OrganizationPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, max_length=200)
    name_en: str | None = Field(None, max_length=300)
    credit_code: str | None = Field(None, max_length=24)
    kind: OrganizationKind | None = None
    region_id: int | None = None
    industry_chain: IndustryChain | None = None
    parent_id: int | None = None
    address: str | None = Field(None, max_length=300)
    contact_name: str | None = Field(None, max_length=100)
    contact_phone: str | None = Field(None, max_length=32)
    contact_email: str | None = Field(None, max_length=254)


class OrganizationFilter(FilterSchema):
    q: str = ""
    kind: str = ""
    region_id: int | None = None
    industry_chain: str = ""


class PersonOut(Schema):
    id: int
    name: str
    name_en: str
    organization_id: int | None
    title: str


class MeOut(Schema):
    username: str
    role: str
    region_id: int | None
    organization_id: int | None
    is_superuser: bool


def _user(request: HttpRequest) -> User | AnonymousUser:
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, User) else AnonymousUser()


def _resolve(data: dict[str, Any]) -> dict[str, Any]:
    """Turn ``region_id``/``parent_id`` into records; an unknown id is a field error."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    resolved = dict(data)
    errors: dict[str, list[str]] = {}
    if "region_id" in resolved:
        region_id = resolved.pop("region_id")
        region = Region.objects.filter(pk=region_id).first()
        if region is None:
            errors["region_id"] = [_("Unknown region %(id)s.") % {"id": region_id}]
        resolved["region"] = region
    if "parent_id" in resolved:
        parent_id = resolved.pop("parent_id")
        parent = Organization.objects.filter(pk=parent_id).first() if parent_id else None
        if parent_id and parent is None:
            errors["parent_id"] = [_("Unknown organization %(id)s.") % {"id": parent_id}]
        resolved["parent"] = parent
    if errors:
        raise ValidationError(errors)
    return resolved


@router.get("/regions", response=list[RegionOut], auth=public_auth)
@paginate(BoundedPagination)
def list_regions(request: HttpRequest) -> Any:
    return Region.objects.all()


@router.get("/organizations", response=list[OrganizationPublicOut], auth=public_auth)
@paginate(BoundedPagination)
def list_organizations(request: HttpRequest, filters: Query[OrganizationFilter]) -> Any:
    region = Region.objects.filter(pk=filters.region_id).first() if filters.region_id else None
    return filter_organizations(
        Organization.objects.order_by("name"),
        q=filters.q,
        kind=filters.kind,
        region=region,
        industry_chain=filters.industry_chain,
    )


@router.get(
    "/organizations/{org_id}",
    response={200: OrganizationOut | OrganizationPublicOut},
    auth=public_auth,
)
def get_organization(request: HttpRequest, org_id: int) -> Any:
    organization = get_object_or_404(Organization, pk=org_id)
    if permissions.can_view_private(_user(request), organization):
        return OrganizationOut.from_orm(organization)
    return OrganizationPublicOut.from_orm(organization)


@router.post("/organizations", response={201: OrganizationOut}, auth=api_auth)
def create_organization(request: HttpRequest, payload: OrganizationIn) -> Any:
    organization = services.create_organization(request_actor(request), _resolve(payload.dict()))
    return Status(201, organization)


@router.patch("/organizations/{org_id}", response=OrganizationOut, auth=api_auth)
def update_organization(request: HttpRequest, org_id: int, payload: OrganizationPatch) -> Any:
    organization = get_object_or_404(Organization, pk=org_id)
    data = _resolve(payload.dict(exclude_unset=True))
    return services.update_organization(request_actor(request), organization, data)


@router.delete("/organizations/{org_id}", response={204: None}, auth=api_auth)
def delete_organization(request: HttpRequest, org_id: int) -> Any:
    organization = get_object_or_404(Organization, pk=org_id)
    services.delete_organization(request_actor(request), organization)
    return Status(204, None)


@router.get("/people", response=list[PersonOut], auth=api_auth)
@paginate(BoundedPagination)
def list_people(request: HttpRequest) -> Any:
    return permissions.people_visible_to(request_actor(request)).order_by("name")


@router.get("/me", response=MeOut, auth=api_auth)
def me(request: HttpRequest) -> Any:
    return request_actor(request)
