"""Core's shared pieces that replaced per-app copies: ``request_actor``, ``Region.objects.city``
and the admin bases (``ServiceAdmin`` saves through the services as the signed-in superuser,
handing them the record as it was before the form changed it)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse

from zhizao.core import services
from zhizao.core.actors import request_actor
from zhizao.core.demo import synthetic_credit_code
from zhizao.core.models import ApiToken, Organization, Person, Region

pytestmark = pytest.mark.django_db


def test_request_actor_is_the_signed_in_user_and_refuses_nobody(personas):
    request = RequestFactory().get("/")
    request.user = personas.alice
    assert request_actor(request) == personas.alice
    request.user = AnonymousUser()
    with pytest.raises(PermissionDenied):
        request_actor(request)
    del request.user
    with pytest.raises(PermissionDenied):
        request_actor(request)


def test_the_city_lookup(city, settings):
    assert Region.objects.city() == city
    assert Region.objects.city("430211").name == "天元区"
    assert Region.objects.city("999999") is None
    settings.ZHIZAO_CITY_CODE = "430100"
    assert Region.objects.city().name == "长沙市"


def _organization_form(organization: Organization, **changes: object) -> dict[str, object]:
    data = {
        "name": organization.name,
        "name_en": organization.name_en,
        "credit_code": organization.credit_code,
        "kind": organization.kind,
        "region": organization.region_id,
        "industry_chain": organization.industry_chain,
        "parent": organization.parent_id or "",
        "address": organization.address,
        "contact_name": organization.contact_name,
        "contact_phone": organization.contact_phone,
        "contact_email": organization.contact_email,
        "is_synthetic": "on" if organization.is_synthetic else "",
    }
    data.update(changes)
    return data


def test_the_organization_admin_saves_through_the_service(personas, monkeypatch):
    seen: list[tuple[object, set[int]]] = []
    monkeypatch.setattr(
        services,
        "AFFILIATION_HOOKS",
        [lambda actor, organizations, people: seen.append((actor, organizations))],
    )
    client = personas.client("admin")
    url = reverse("admin:core_organization_change", args=[personas.org_b.pk])
    response = client.post(url, _organization_form(personas.org_b, parent=personas.org_a.pk))
    assert response.status_code == 302
    org_b = Organization.objects.get(pk=personas.org_b.pk)
    assert org_b.parent == personas.org_a
    assert org_b.history.latest().history_user == personas.admin
    # The service saw the old parent (none) and told the apps the group changed.
    assert seen == [(personas.admin, {personas.org_b.pk})]
    # Bad input stays a field error on the page; nothing saved.
    response = client.post(url, _organization_form(org_b, credit_code="123"))
    assert response.status_code == 200
    assert Organization.objects.get(pk=org_b.pk).credit_code == org_b.credit_code

    add = reverse("admin:core_organization_add")
    data = _organization_form(personas.org_a, name="丙测试企业有限公司", parent="")
    data["credit_code"] = synthetic_credit_code("丙测试企业有限公司", "430211")
    assert client.post(add, data).status_code == 302
    added = Organization.objects.get(name="丙测试企业有限公司")
    assert added.history.latest().history_user == personas.admin


def test_the_person_admin_saves_through_the_service(personas):
    client = personas.client("admin")
    response = client.post(
        reverse("admin:core_person_add"),
        {"name": "张三", "name_en": "", "organization": personas.org_a.pk, "title": "总经理"},
    )
    assert response.status_code == 302
    person = Person.objects.get(name="张三")
    assert person.history.latest().history_user == personas.admin


def test_api_tokens_are_read_only_and_revoked_by_the_service(personas):
    raw = services.issue_api_token(personas.alice, personas.alice, "仪器")
    token = ApiToken.objects.get()
    with pytest.raises(PermissionDenied):
        services.revoke_api_token(personas.bob, token)
    assert ApiToken.objects.authenticate(raw) is not None
    client = personas.client("admin")
    assert client.get(reverse("admin:core_apitoken_add")).status_code == 403
    response = client.post(
        reverse("admin:core_apitoken_changelist"),
        {"action": "revoke_tokens", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    assert client.get(reverse("admin:core_apitoken_change", args=[token.pk])).status_code == 200
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ApiToken.objects.authenticate(raw) is None
