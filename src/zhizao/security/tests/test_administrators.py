"""三员分立 (GB/T 22239-2019 level 3): the system, security and audit administrators hold one
role each, none a superuser (the database refuses it); only the security administrator grants
roles, never its own; every grant is a security event naming who granted it; the three are
made by ``zhizao bootstrap-admins`` and listed by ``zhizao demo --logins``."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from zhizao.core.choices import Role
from zhizao.core.models import User
from zhizao.security import services
from zhizao.security.choices import EventKind
from zhizao.security.models import SecurityEvent
from zhizao.security.passwords import password_expired

pytestmark = pytest.mark.django_db


def test_an_administrator_cannot_also_be_a_superuser_in_the_database(personas):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=personas.auditor.pk).update(is_superuser=True)
    with pytest.raises(ValidationError):
        User(username="both", role=Role.SYSTEM_ADMIN, is_superuser=True).full_clean(
            exclude=["password"]
        )


def test_only_the_security_administrator_grants_roles_and_never_its_own(personas):
    for name in ("sysadmin", "auditor", "admin", "officer"):
        with pytest.raises(PermissionDenied):
            services.assign_role(getattr(personas, name), personas.alice, Role.ASSESSOR)
    with pytest.raises(PermissionDenied):
        services.assign_role(personas.secadmin, personas.secadmin, Role.SYSTEM_ADMIN)
    with pytest.raises(PermissionDenied):  # nor a system administrator its own
        services.assign_role(personas.sysadmin, personas.sysadmin, Role.SECURITY_ADMIN)
    with pytest.raises(ValidationError):
        services.assign_role(personas.secadmin, personas.admin, Role.AUDIT_ADMIN)

    services.assign_role(personas.secadmin, personas.assessor, Role.AUDIT_ADMIN)
    event = SecurityEvent.objects.filter(kind=EventKind.ROLE_CHANGED).last()
    assert event.subject == "secadmin"
    assert event.object == "assessor"
    assert event.detail == {"role": [Role.ASSESSOR, Role.AUDIT_ADMIN]}
    # One role per account: the new one replaced the old.
    assert User.objects.get(pk=personas.assessor.pk).role == Role.AUDIT_ADMIN


def test_the_system_administrator_opens_accounts_without_a_role(personas):
    with pytest.raises(PermissionDenied):
        services.create_account(personas.secadmin, username="x1", password="Open-sesame-9917")
    with pytest.raises(ValidationError):
        services.create_account(personas.sysadmin, username="x2", password="123")
    user = services.create_account(
        personas.sysadmin, username="x3", password="Open-sesame-9917", region=personas.city
    )
    assert user.role == ""
    created = SecurityEvent.objects.get(kind=EventKind.USER_CREATED, object="x3")
    assert created.subject == "sysadmin"
    services.set_account_active(personas.sysadmin, user, False)
    assert SecurityEvent.objects.filter(kind=EventKind.USER_DEACTIVATED, object="x3").exists()
    with pytest.raises(PermissionDenied):
        services.set_account_active(personas.sysadmin, personas.sysadmin, False)


def test_the_security_administrator_lifts_a_lockout(personas, client):
    for _attempt in range(5):
        client.post("/accounts/login/", {"username": "bob", "password": "wrong"})
    locked = client.post("/accounts/login/", {"username": "bob", "password": "persona-password"})
    assert locked.status_code == 429
    with pytest.raises(PermissionDenied):
        services.unlock_account(personas.sysadmin, "bob")
    assert services.unlock_account(personas.secadmin, "bob") >= 1
    assert SecurityEvent.objects.filter(kind=EventKind.UNLOCKED, subject="secadmin").exists()
    again = client.post("/accounts/login/", {"username": "bob", "password": "persona-password"})
    assert again.status_code == 302


def test_only_the_audit_administrator_reads_and_exports_the_log(personas):
    assert personas.client("admin").get("/security/events/").status_code == 403
    assert personas.client("sysadmin").get("/security/events/").status_code == 403
    auditor = personas.client("auditor")
    page = auditor.get("/security/events/?kind=user_created")
    assert page.status_code == 200
    assert "sysadmin" in page.content.decode()
    export = auditor.get("/security/events/export.csv")
    assert export["Content-Disposition"] == 'attachment; filename="security-log.csv"'
    rows = export.content.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("seq,at,kind")
    assert len(rows) > 10
    assert SecurityEvent.objects.filter(kind=EventKind.LOG_EXPORTED, subject="auditor").exists()
    verified = auditor.post("/security/events/verify/")
    assert verified.status_code == 302
    assert SecurityEvent.objects.filter(kind=EventKind.LOG_VERIFIED, result="success").exists()


def test_bootstrap_admins_creates_the_three_once_with_passwords_to_change(db, capsys):
    call_command("bootstrap-admins")
    out = capsys.readouterr().out
    admins = {u.role: u for u in User.objects.filter(role__in=Role.values)}
    assert set(admins) == {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN}
    for user in admins.values():
        assert not user.is_superuser
        assert user.username in out
        assert password_expired(user)  # the printed password must be changed at first login
    with pytest.raises(Exception, match=r"already|已有"):
        call_command("bootstrap-admins")


def test_the_demo_lists_the_three_administrators(db, capsys):
    from zhizao.core import demo

    demo.load_all(lambda line: None, only="core")
    call_command("demo", "--only", "core", "--logins")
    out = capsys.readouterr().out
    for username, role in (
        ("sysadmin", "system_admin"),
        ("secadmin", "security_admin"),
        ("auditor", "audit_admin"),
    ):
        assert f"  {username}" in out
        assert role in out
