"""A bearer-token request writes the token's ``last_used_at`` at most once a minute and outside
any transaction, so reads do not queue behind a long import's write lock (issue 10)."""

from datetime import timedelta

import pytest
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zhizao.core import services
from zhizao.core.models import ApiToken


def _writes(queries):
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("UPDATE")]


def test_last_used_at_is_written_at_most_once_a_minute(
    personas, django_capture_on_commit_callbacks
):
    raw = services.issue_api_token(personas.officer, personas.officer, "t")
    headers = {"Authorization": f"Bearer {raw}"}
    client = Client()
    # The test runs inside a transaction: the write waits for its commit, as it waits for the
    # end of any transaction a request runs in.
    with (
        django_capture_on_commit_callbacks() as pending,
        CaptureQueriesContext(connection) as during,
    ):
        assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert _writes(during.captured_queries) == []
    assert len(pending) == 1
    with CaptureQueriesContext(connection) as first:
        pending[0]()
    assert len(_writes(first.captured_queries)) == 1
    used = ApiToken.objects.get().last_used_at
    assert used is not None
    with CaptureQueriesContext(connection) as second:
        assert client.get("/api/v1/regions", headers=headers).status_code == 200
        assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert _writes(second.captured_queries) == []
    assert ApiToken.objects.get().last_used_at == used
    ApiToken.objects.update(last_used_at=timezone.now() - timedelta(minutes=2))
    with (
        CaptureQueriesContext(connection) as later,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert len(_writes(later.captured_queries)) == 1
    refreshed = ApiToken.objects.get().last_used_at
    assert refreshed is not None
    assert refreshed > used - timedelta(minutes=1)


def test_a_failed_write_of_last_used_at_does_not_fail_the_request(
    personas, monkeypatch, django_capture_on_commit_callbacks
):
    from django.db import OperationalError

    raw = services.issue_api_token(personas.officer, personas.officer, "t")

    def locked(self, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(type(ApiToken.objects.all()), "update", locked)
    with django_capture_on_commit_callbacks(execute=True) as pending:
        response = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert len(pending) == 1
    assert response.status_code == 200
    assert response.json()["username"] == "officer"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_token_get_succeeds_while_another_connection_holds_a_write_transaction(personas):
    """What a long import does: another connection holds a write transaction (on SQLite, the
    database's one write lock). A token GET whose last_used_at write is due still answers at
    once (before: the write waited the busy timeout and failed, "database is locked")."""
    raw = services.issue_api_token(personas.officer, personas.officer, "t")
    headers = {"Authorization": f"Bearer {raw}"}
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("BEGIN IMMEDIATE" if other.vendor == "sqlite" else "BEGIN")
            cursor.execute("UPDATE core_messagetemplate SET subject_zh = subject_zh")
            response = Client().get("/api/v1/me", headers=headers)
            assert response.status_code == 200
            assert response.json()["username"] == "officer"
            assert Client().get("/api/v1/regions", headers=headers).status_code == 200
            cursor.execute("ROLLBACK")
    finally:
        other.close()
