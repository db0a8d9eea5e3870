"""The security audit log: what it records (logins, failures, lockouts, refusals, privilege
changes), that nothing can change or delete an event (the model, the query set and the
database's triggers), and that ``zhizao audit verify`` finds any change made behind the
triggers' back."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test import Client

from zhizao.core.actors import acting_as
from zhizao.core.choices import Role
from zhizao.core.testing import PASSWORD
from zhizao.security import services as events
from zhizao.security import triggers
from zhizao.security.choices import EventKind, Result
from zhizao.security.models import AppendOnlyError, SecurityEvent

pytestmark = pytest.mark.django_db


def _kinds(**filters: object) -> list[str]:
    return list(SecurityEvent.objects.filter(**filters).values_list("kind", flat=True))


def test_logins_failures_and_logouts_are_recorded_with_subject_address_and_result(personas):
    client = Client(REMOTE_ADDR="10.1.2.3")
    client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
    failed = SecurityEvent.objects.get(kind=EventKind.LOGIN_FAILED)
    assert (failed.subject, failed.result, failed.address) == ("alice", "failure", "10.1.2.3")
    assert failed.subject_id is None
    client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    login = SecurityEvent.objects.get(kind=EventKind.LOGIN)
    assert (login.subject, login.subject_id, login.result) == (
        "alice",
        personas.alice.pk,
        "success",
    )
    client.post("/accounts/logout/")
    assert _kinds(subject="alice") == ["login_failed", "login", "logout"]


def test_a_lockout_is_recorded(personas, settings):
    settings.AXES_FAILURE_LIMIT = 2
    client = Client(REMOTE_ADDR="10.9.9.9")
    for _ in range(3):
        client.post("/accounts/login/", {"username": "bob", "password": "wrong"})
    assert EventKind.LOCKED_OUT in _kinds(subject="bob")


def test_a_refused_request_is_recorded_on_pages_and_in_the_api(personas):
    tester = personas.client("tester")
    assert tester.get("/console/audit/").status_code == 403
    refused = SecurityEvent.objects.filter(kind=EventKind.PERMISSION_DENIED).last()
    assert refused is not None
    assert (refused.subject, refused.object, refused.result) == (
        "tester",
        "GET /console/audit/",
        Result.FAILURE,
    )
    api = "/api/v1/rapidtest/dashboard/market-month"
    assert personas.client("alice").get(api).status_code == 403
    refused = SecurityEvent.objects.filter(kind=EventKind.PERMISSION_DENIED).last()
    assert (refused.subject, refused.object) == ("alice", f"GET {api}")
    assert Client().get("/console/audit/").status_code == 302  # to the login page: no event
    assert SecurityEvent.objects.filter(kind=EventKind.PERMISSION_DENIED).count() == 2


def test_privilege_changes_name_the_acting_user_and_what_changed(personas):
    alice = personas.alice
    with acting_as(personas.admin):
        alice.role = Role.BUREAU_STAFF
        alice.save()
        alice.is_active = False
        alice.save()
        alice.set_password("another-password-1234")
        alice.save()
    changed = SecurityEvent.objects.get(kind=EventKind.ROLE_CHANGED, object="alice")
    assert changed.subject == "admin"
    assert changed.detail == {"role": [Role.ENTERPRISE, Role.BUREAU_STAFF]}
    assert _kinds(object="alice", subject="admin") == [
        "role_changed",
        "user_deactivated",
        "password_changed",
    ]
    assert SecurityEvent.objects.filter(kind=EventKind.USER_CREATED, object="bob").exists()


def test_no_one_can_change_or_delete_an_event(personas):
    event = events.record(EventKind.BACKUP, user=personas.admin, object="zhizao.tar")
    event.subject = "someone else"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        SecurityEvent.objects.filter(pk=event.pk).update(subject="x")
    with pytest.raises(AppendOnlyError):
        SecurityEvent.objects.all().delete()
    assert triggers.installed(connection)
    table = triggers.TABLE
    for sql in (f"UPDATE {table} SET subject = 'x'", f"DELETE FROM {table}"):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert SecurityEvent.objects.get(pk=event.pk).subject == "admin"


def _verify() -> str:
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def test_verify_finds_a_change_made_behind_the_triggers_back(personas):
    for index in range(5):
        events.record(EventKind.BACKUP, user=personas.admin, object=f"backup-{index}.tar")
    count = SecurityEvent.objects.count()
    assert f"intact: {count} events" in _verify()
    third = SecurityEvent.objects.order_by("seq")[2]
    with triggers.lifted(connection), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {triggers.TABLE} SET object = 'forged.tar' WHERE seq = %s", [third.seq]
        )
    with pytest.raises(CommandError, match=f"event #{third.seq} was changed") as raised:
        _verify()
    assert raised.value.returncode == 2
    assert "被修改" in str(raised.value)


def test_verify_finds_a_deleted_event_and_a_cut_off_end(personas):
    for index in range(4):
        events.record(EventKind.BACKUP, user=personas.admin, object=f"backup-{index}.tar")
    ordered = list(SecurityEvent.objects.order_by("seq"))
    with triggers.lifted(connection), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {triggers.TABLE} WHERE seq = %s", [ordered[1].seq])
    assert not events.verify().intact
    assert events.verify().broken_at == ordered[2].seq
    with triggers.lifted(connection), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {triggers.TABLE} WHERE seq >= %s", [ordered[1].seq])
    result = events.verify()
    assert result.broken_at is None
    assert "the last events were deleted" in result.reason_en


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_flush_puts_the_triggers_back(personas):
    call_command("flush", interactive=False, verbosity=0)
    assert triggers.installed(connection)
    assert SecurityEvent.objects.count() == 0
