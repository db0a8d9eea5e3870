"""Permission matrix: every persona against every core page and API endpoint."""

import pytest
from django.urls import reverse

from zhizao.core.demo import synthetic_credit_code

ALL = [
    "anonymous",
    "officer",
    "district_officer",
    "alice",
    "bob",
    "tester",
    "provider",
    "assessor",
    "committee",
    "admin",
]
LOGGED_IN = [name for name in ALL if name != "anonymous"]
STAFF = ["officer", "admin"]


def expected(name, allowed, *, anonymous=302, other=403):
    if name in allowed:
        return 200
    return anonymous if name == "anonymous" else other


@pytest.mark.parametrize("name", ALL)
def test_front_page_and_health_are_public(personas, name):
    client = personas.client(name)
    assert client.get(reverse("core:home")).status_code == 200
    assert client.get(reverse("core:healthz")).status_code == 200


@pytest.mark.parametrize("name", ALL)
def test_console_needs_login(personas, name):
    response = personas.client(name).get(reverse("core:console"))
    assert response.status_code == (302 if name == "anonymous" else 200)


@pytest.mark.parametrize("name", ALL)
def test_organization_detail_of_org_a(personas, name):
    # org_a is in 天元区: city staff, 天元区 staff, alice (its user) and the superuser see it.
    response = personas.client(name).get(
        reverse("core:organization_detail", args=[personas.org_a.pk])
    )
    assert response.status_code == expected(name, {"officer", "district_officer", "alice", "admin"})


@pytest.mark.parametrize("name", ALL)
def test_organization_detail_of_org_b(personas, name):
    # org_b is in 石峰区: the 天元区 officer may not see it.
    response = personas.client(name).get(
        reverse("core:organization_detail", args=[personas.org_b.pk])
    )
    assert response.status_code == expected(name, {"officer", "bob", "admin"})


@pytest.mark.parametrize("name", ALL)
def test_organization_create_page(personas, name):
    response = personas.client(name).get(reverse("core:organization_create"))
    assert response.status_code == expected(name, {"officer", "district_officer", "admin"})


@pytest.mark.parametrize("name", ALL)
def test_organization_edit_page(personas, name):
    response = personas.client(name).get(
        reverse("core:organization_edit", args=[personas.org_b.pk])
    )
    assert response.status_code == expected(name, {"officer", "admin"})


@pytest.mark.parametrize("name", ALL)
def test_audit_trail_page(personas, name):
    """Staff open the audit page, but see only the changes of records they may see: the 天元区
    officer must not read 石峰区 org_b's private contact changes (issue 9)."""
    from zhizao.core import services

    services.update_organization(
        personas.officer, personas.org_b, {"contact_phone": "0731-9999999"}
    )
    response = personas.client(name).get(reverse("core:audit_log"))
    assert response.status_code == expected(name, {"officer", "district_officer", "admin"})
    if response.status_code == 200:
        sees_b = "0731-9999999" in response.content.decode()
        assert sees_b == (name in {"officer", "admin"})


@pytest.mark.parametrize("name", ALL)
def test_organization_list_shows_only_what_the_role_may_see(personas, name):
    response = personas.client(name).get(reverse("core:organization_list"))
    if name == "anonymous":
        assert response.status_code == 302
        return
    assert response.status_code == 200
    body = response.content.decode()
    sees_a = personas.org_a.name in body
    sees_b = personas.org_b.name in body
    assert sees_a == (name in {"officer", "district_officer", "alice", "admin"})
    assert sees_b == (name in {"officer", "bob", "admin"})


@pytest.mark.parametrize("name", ALL)
def test_api_organization_detail_private_fields(personas, name):
    response = personas.client(name).get(f"/api/v1/organizations/{personas.org_a.pk}")
    assert response.status_code == 200
    private = "contact_phone" in response.json()
    assert private == (name in {"officer", "district_officer", "alice", "admin"})


@pytest.mark.parametrize("name", ALL)
def test_api_create_organization(personas, name):
    payload = {
        "name": f"{name}的新公司",
        "credit_code": synthetic_credit_code(name, "430211"),
        "kind": "enterprise",
        "region_id": personas.tianyuan.pk,
    }
    response = personas.client(name).post(
        "/api/v1/organizations", payload, content_type="application/json"
    )
    allowed = {"officer", "district_officer", "admin"}
    if name == "anonymous":
        assert response.status_code == 401
    else:
        assert response.status_code == (201 if name in allowed else 403), response.content


@pytest.mark.parametrize("name", ALL)
def test_api_patch_contact_of_org_a(personas, name):
    response = personas.client(name).patch(
        f"/api/v1/organizations/{personas.org_a.pk}",
        {"contact_name": "王五"},
        content_type="application/json",
    )
    allowed = {"officer", "district_officer", "alice", "admin"}
    if name == "anonymous":
        assert response.status_code == 401
    else:
        assert response.status_code == (200 if name in allowed else 403)


@pytest.mark.parametrize("name", ALL)
def test_api_delete_organization(personas, name):
    response = personas.client(name).delete(
        f"/api/v1/organizations/{personas.provider_org.pk}?lang=en"
    )
    if name == "anonymous":
        assert response.status_code == 401
    elif name in STAFF:
        # still referenced by the provider's login: refused with a clear 400, not deleted
        assert response.status_code == 400
        assert "referenced" in response.json()["errors"]["__all__"][0]
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("name", ALL)
def test_api_people_are_never_public(personas, name):
    response = personas.client(name).get("/api/v1/people")
    assert response.status_code == (401 if name == "anonymous" else 200)
