"""Every API error is JSON ``{"detail", "errors"}`` in the request's language (issue 10,
"Errors in the API's shape"); public operations serve the public whatever other authorization
scheme a client sends; the schema documents each operation's error responses."""

import base64

import pytest
from django.test import Client, override_settings

from zhizao.core import services
from zhizao.core.models import User


def assert_error_shape(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert isinstance(body["detail"], str)
    assert body["detail"]
    assert isinstance(body["errors"], dict)
    for messages in body["errors"].values():
        assert isinstance(messages, list)
        assert all(isinstance(m, str) for m in messages)
    return body


def test_method_not_allowed_is_json_and_keeps_allow(personas):
    response = Client().put("/api/v1/regions")
    body = assert_error_shape(response, 405)
    assert "GET" in response["Allow"]
    assert body["detail"] == "此处不允许使用该请求方法。"


def test_unknown_api_path_is_json_404(personas):
    assert_error_shape(Client().get("/api/v1/no-such-thing"), 404)


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
def test_body_over_the_size_limit_is_json_413(personas):
    response = personas.client("officer").post(
        "/api/v1/organizations?lang=en",
        b'{"name": "' + b"x" * 2048 + b'"}',
        content_type="application/json",
    )
    body = assert_error_shape(response, 413)
    assert body["detail"] == "The request body is too large."


def test_unexpected_exception_is_json_500(personas, monkeypatch):
    from zhizao.core import api as core_api

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(core_api, "filter_organizations", explode)
    response = Client().get("/api/v1/organizations?lang=en")
    body = assert_error_shape(response, 500)
    assert "boom" not in body["detail"]


@pytest.mark.parametrize(
    "header",
    [
        "Basic " + base64.b64encode(b"officer:persona-password").decode(),
        "Digest username=officer",
        "Token abc",
    ],
)
def test_public_endpoints_ignore_other_authorization_schemes(personas, header):
    response = Client().get("/api/v1/regions", headers={"Authorization": header})
    assert response.status_code == 200
    assert response.json()["count"] > 0
    private = Client().get(
        f"/api/v1/organizations/{personas.org_a.pk}", headers={"Authorization": header}
    )
    assert private.status_code == 200
    assert "contact_phone" not in private.json()


def test_a_bad_bearer_token_is_still_refused_on_public_endpoints(personas):
    response = Client().get("/api/v1/regions", headers={"Authorization": "Bearer nope"})
    assert_error_shape(response, 401)


def test_private_endpoint_without_credentials_is_json_401_in_chinese(personas):
    body = assert_error_shape(Client().get("/api/v1/me"), 401)
    assert "登录" in body["detail"]


def test_permission_message_is_in_the_requests_language(personas):
    """The example of the issue: the message came back in English under zh-Hans."""
    token = services.issue_api_token(personas.alice, personas.alice, "t")
    payload = {
        "client_record_id": "x-1",
        "market": personas.market.pk,
        "product": "猪肉",
        "item": "克伦特罗",
        "value": "0",
        "tested_at": "2026-01-01T08:00:00+08:00",
    }
    headers = {"Authorization": f"Bearer {token}"}
    chinese = Client().post(
        "/api/v1/rapidtest/records", payload, content_type="application/json", headers=headers
    )
    assert assert_error_shape(chinese, 403)["detail"] == "您无权为该市场录入检测结果。"
    english = Client().post(
        "/api/v1/rapidtest/records?lang=en",
        payload,
        content_type="application/json",
        headers=headers,
    )
    assert assert_error_shape(english, 403)["detail"] == "You may not enter tests for this market."


def test_token_clients_get_their_users_language(personas):
    User.objects.filter(pk=personas.bob.pk).update(language="en")
    token = services.issue_api_token(personas.bob, personas.bob, "t")
    response = Client().post(
        "/api/v1/organizations",
        {"kind": "enterprise"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    body = assert_error_shape(response, 422)
    assert body["detail"] == "The request is not valid."
    assert body["errors"]["name"] == ["This field is required."]


def test_schema_errors_are_translated(personas):
    response = personas.client("officer").post(
        "/api/v1/organizations", {"kind": "enterprise"}, content_type="application/json"
    )
    body = assert_error_shape(response, 422)
    assert body["errors"]["name"] == ["此项为必填项。"]


def test_schema_marks_public_operations_token_optional_and_documents_errors(personas):
    schema = Client().get("/api/v1/openapi.json").json()
    regions = schema["paths"]["/api/v1/regions"]["get"]
    assert regions["security"] == [{}, {"ApiAuth": []}]
    me = schema["paths"]["/api/v1/me"]["get"]
    assert me["security"] == [{"ApiAuth": []}]
    assert "PublicAuth" not in schema["components"]["securitySchemes"]
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            codes = set(operation["responses"])
            for status in ("400", "401", "403", "404", "413", "422", "429", "500"):
                assert status in codes, (method, path, status)
            error = operation["responses"]["422"]["content"]["application/json"]["schema"]
            assert error == {"$ref": "#/components/schemas/Error"}
    assert schema["components"]["schemas"]["Error"]["required"] == ["detail", "errors"]


def test_an_unreadable_body_is_a_translated_400(personas):
    response = personas.client("officer").post(
        "/api/v1/organizations", b"{not json", content_type="application/json"
    )
    body = assert_error_shape(response, 400)
    assert body["detail"] == "请求体不是有效的 JSON。"


def test_a_filter_id_beyond_64_bits_is_not_a_server_error(personas):
    """Found by the fuzz test once it ran as the officer on the records list (OverflowError)."""
    client = personas.client("officer")
    huge = "-2758082329271579705344"
    response = client.get(f"/api/v1/rapidtest/records?market={huge}&ids=9{huge[1:]}")
    assert response.status_code < 500


def test_the_api_root_is_a_json_404_not_a_server_error(client):
    # django-ninja's root view raises Http404 when the docs live elsewhere.
    response = client.get("/api/v1/")
    assert response.status_code == 404
    assert set(response.json()) == {"detail", "errors"}
