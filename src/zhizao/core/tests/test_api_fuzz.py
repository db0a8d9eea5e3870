"""Property-based fuzzing of the whole REST API from its own OpenAPI schema (schemathesis):
whatever a client sends — malformed bodies, wrong types, huge numbers, unknown ids — the API
never answers with a server error."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from zhizao.core import services

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


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


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@pytest.mark.django_db
def test_no_request_makes_a_server_error(case, personas, keep_test_connection):
    token = services.issue_api_token(personas.officer, personas.officer, "fuzz")
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"}, checks=[not_a_server_error]
    )
