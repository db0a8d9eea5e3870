"""Property-based fuzzing of the whole REST API from its own OpenAPI schema (schemathesis):
whatever a client sends — malformed bodies, wrong types, huge numbers, unknown ids — and
whoever sends it (the public, a bureau officer's token, an enterprise user's token, a market
tester's token, an authorization scheme the API does not use), the API never answers with a
server error, and every error it answers has the documented shape
``{"detail": str, "errors": {field: [str, ...]}}`` (issue 10).

Bounded: a few examples per operation, each sent with every credential, so it stays fast in
``make test``."""

import base64
import json

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from zhizao.core import services

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())

BASIC = "Basic " + base64.b64encode(b"officer:persona-password").decode()


def documented_error_shape(ctx, response, case):
    """An error answers JSON ``{"detail": str, "errors": {str: [str]}}`` and nothing else."""
    if response.status_code < 400:
        return None
    content_type = response.headers.get("content-type", [""])
    content_type = content_type[0] if isinstance(content_type, list) else content_type
    assert content_type.startswith("application/json"), (
        f"{case.operation.label}: {response.status_code} answered {content_type!r}"
    )
    body = json.loads(response.content)
    assert isinstance(body, dict), body
    assert set(body) == {"detail", "errors"}, body
    assert isinstance(body["detail"], str), body
    assert body["detail"], body
    assert isinstance(body["errors"], dict), body
    for field, messages in body["errors"].items():
        assert isinstance(field, str), body
        assert isinstance(messages, list), body
        assert all(isinstance(message, str) for message in messages), body
    return None


@pytest.fixture
def keep_test_connection():
    """Call the WSGI app as Django's test client does: without closing the database connection
    at the end of each request, which would end the test's transaction (PostgreSQL)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def credentials(personas):
    """``Authorization`` headers of each kind of caller (``None``: the public)."""

    def bearer(user):
        return f"Bearer {services.issue_api_token(user, user, 'fuzz')}"

    return {
        "anonymous": None,
        "bureau staff": bearer(personas.officer),
        "enterprise": bearer(personas.alice),
        "market tester": bearer(personas.tester),
        "basic scheme": BASIC,
    }


@schema.parametrize()
@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@pytest.mark.django_db
def test_no_request_makes_a_server_error_or_an_undocumented_error(
    case, credentials, keep_test_connection
):
    for header in credentials.values():
        headers = {} if header is None else {"Authorization": header}
        case.call_and_validate(headers=headers, checks=[not_a_server_error, documented_error_shape])
