import pytest
from django.test import Client

from zhizao.core import services
from zhizao.core.demo import synthetic_credit_code
from zhizao.core.models import ApiToken, Organization


def test_openapi_schema_and_docs(personas):
    client = Client()
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/organizations" in schema["paths"]
    assert client.get("/api/v1/docs").status_code == 200


def test_bad_credit_code_gets_field_errors_and_saves_nothing(personas):
    client = personas.client("officer")
    code = synthetic_credit_code("x", "430211")
    bad = code[:17] + ("0" if code[17] != "0" else "1")
    response = client.post(
        "/api/v1/organizations?lang=en",
        {
            "name": "坏代码公司",
            "credit_code": bad,
            "kind": "enterprise",
            "region_id": personas.tianyuan.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert "check character" in body["errors"]["credit_code"][0]
    assert not Organization.objects.filter(name="坏代码公司").exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "enterprise"}, "name"),
        ({"name": "x" * 201, "credit_code": "1", "kind": "enterprise", "region_id": 1}, "name"),
        ({"name": "a", "credit_code": "1", "kind": "rocket", "region_id": 1}, "kind"),
        (
            {"name": "a", "credit_code": "1", "kind": "enterprise", "region_id": 1, "evil": 1},
            "evil",
        ),
    ],
)
def test_schema_errors_are_422_with_the_field(personas, payload, field):
    response = personas.client("officer").post(
        "/api/v1/organizations", payload, content_type="application/json"
    )
    assert response.status_code == 422
    assert field in response.json()["errors"]


def test_unknown_region_is_a_field_error(personas):
    response = personas.client("officer").post(
        "/api/v1/organizations",
        {
            "name": "a",
            "credit_code": synthetic_credit_code("a", "430211"),
            "kind": "enterprise",
            "region_id": 999999,
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "region_id" in response.json()["errors"]


@pytest.mark.parametrize(
    "body", [b"{not json", b"[]", b'"text"', b"\xff\xfe", b'{"name": null}', b""]
)
def test_malformed_bodies_never_500(personas, body):
    response = personas.client("officer").post(
        "/api/v1/organizations", body, content_type="application/json"
    )
    assert 400 <= response.status_code < 500
    assert "detail" in response.json()


def test_session_writes_need_csrf(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.officer)
    response = client.patch(
        f"/api/v1/organizations/{personas.org_a.pk}",
        {"contact_name": "x"},
        content_type="application/json",
    )
    assert response.status_code == 401
    client.get("/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.patch(
        f"/api/v1/organizations/{personas.org_a.pk}",
        {"contact_name": "x"},
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 200


def test_bearer_token_authenticates_without_csrf(personas, django_capture_on_commit_callbacks):
    raw = services.issue_api_token(personas.officer, personas.officer, "instrument")
    client = Client(enforce_csrf_checks=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.patch(
            f"/api/v1/organizations/{personas.org_a.pk}",
            {"contact_name": "令牌"},
            content_type="application/json",
            headers={"Authorization": f"Bearer {raw}"},
        )
    assert response.status_code == 200
    assert ApiToken.objects.get().last_used_at is not None
    bad = client.get("/api/v1/me", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401
    assert ApiToken.objects.filter(key_hash=raw).count() == 0  # only the hash is stored


def test_list_paginates_and_filters(personas):
    client = Client()
    page = client.get("/api/v1/organizations?limit=2&offset=0").json()
    assert page["count"] == Organization.objects.count()
    assert len(page["items"]) == 2
    markets = client.get("/api/v1/organizations?kind=farmers_market").json()
    assert [item["name"] for item in markets["items"]] == [personas.market.name]
    district = client.get(f"/api/v1/organizations?region_id={personas.tianyuan.pk}").json()
    assert [item["name"] for item in district["items"]] == [personas.org_a.name]


def test_list_query_count_does_not_grow_with_rows(personas, django_assert_max_num_queries):
    from zhizao.core.testing import make_organization

    for index in range(30):
        make_organization(f"批量企业{index}", personas.tianyuan)
    client = Client()
    with django_assert_max_num_queries(3):
        assert client.get("/api/v1/organizations?limit=50").status_code == 200
    officer = personas.client("officer")
    officer.get("/console/organizations/")
    with django_assert_max_num_queries(10):
        assert officer.get("/console/organizations/").status_code == 200


def test_healthz_reports_the_database(db):
    body = Client().get("/healthz").json()
    assert body["status"] == "ok"
    assert body["database"] in {"sqlite", "postgresql"}


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/api/v1/organizations?q=%00", None),
        ("post", "/api/v1/organizations", '{"name": "a\\u0000b"}'),
    ],
)
def test_null_characters_are_refused_before_they_reach_the_database(personas, method, path, body):
    client = personas.client("officer")
    if body is None:
        response = getattr(client, method)(path)
    else:
        response = getattr(client, method)(path, body, content_type="application/json")
    assert response.status_code == 400
    assert "U+0000" in response.json()["detail"]
