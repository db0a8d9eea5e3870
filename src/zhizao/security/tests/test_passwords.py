"""Password expiry and history (GB/T 22239 身份鉴别 a): a password older than
ZHIZAO_PASSWORD_MAX_AGE_DAYS must be changed before anything else; none of the last five may be
used again; each change is a security event. Time is moved with a fixed clock, never slept."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from zhizao.core.testing import PASSWORD
from zhizao.security.choices import EventKind
from zhizao.security.models import PasswordHistory, SecurityEvent
from zhizao.security.passwords import password_expired

pytestmark = pytest.mark.django_db


def _at(moment):
    """Every ``timezone.now()`` the code asks for, fixed at ``moment``."""
    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_an_expired_password_must_be_changed_before_anything_else(personas, settings):
    assert settings.ZHIZAO_PASSWORD_MAX_AGE_DAYS == 90
    officer = personas.officer
    client = personas.client("officer")
    assert client.get("/console/").status_code == 200
    later = officer.password_changed_at + timedelta(days=90, seconds=1)
    with _at(later):
        assert password_expired(officer)
        client.force_login(officer)  # a new session (the old one ended when idle)
        page = client.get("/console/organizations/")
        assert page.status_code == 302
        assert page["Location"].startswith("/security/password/?next=/console/organizations/")
        api = client.get("/api/v1/me")
        assert api.status_code == 403
        assert "expired" in api.json()["detail"] or "过期" in api.json()["detail"]
        form = client.get("/security/password/")
        assert form.status_code == 200
        assert "security/password_change.html" in [t.name for t in form.templates]
        changed = client.post(
            "/security/password/?next=/console/",
            {
                "old_password": PASSWORD,
                "new_password1": "Fresh-quality-2027",
                "new_password2": "Fresh-quality-2027",
                "next": "/console/organizations/",
            },
        )
        assert changed.status_code == 302
        assert changed["Location"] == "/console/organizations/"
        assert client.get("/console/organizations/").status_code == 200
    officer.refresh_from_db()
    assert officer.password_changed_at == later
    event = SecurityEvent.objects.filter(kind=EventKind.PASSWORD_CHANGED).last()
    assert event is not None
    assert event.object == "officer"


def test_a_day_before_expiry_nothing_is_asked_and_zero_disables_expiry(personas, settings):
    officer = personas.officer
    client = personas.client("officer")
    with _at(officer.password_changed_at + timedelta(days=89, hours=23)):
        client.force_login(officer)
        assert client.get("/console/").status_code == 200
    settings.ZHIZAO_PASSWORD_MAX_AGE_DAYS = 0
    with _at(officer.password_changed_at + timedelta(days=3650)):
        assert not password_expired(officer)
        client.force_login(officer)
        assert client.get("/console/").status_code == 200


def test_an_account_from_before_the_field_counts_from_when_it_joined(personas):
    alice = personas.alice
    type(alice).objects.filter(pk=alice.pk).update(password_changed_at=None)
    alice.refresh_from_db()
    with _at(alice.date_joined + timedelta(days=91)):
        assert password_expired(alice)


def test_none_of_the_last_five_passwords_can_be_used_again(personas):
    bob = personas.bob
    passwords = [f"Bob-quality-{n}-pass" for n in range(6)]
    for password in passwords:
        validate_password(password, bob)
        bob.set_password(password)
        bob.save()
    assert PasswordHistory.objects.filter(user=bob).count() == 5
    for reused in passwords[1:]:  # the current one and the four before it
        with pytest.raises(ValidationError) as refused:
            validate_password(reused, bob)
        assert "password_reused" in [e.code for e in refused.value.error_list]
    validate_password(passwords[0], bob)  # the sixth-last may come back
    validate_password(PASSWORD, bob)
    changes = SecurityEvent.objects.filter(kind=EventKind.PASSWORD_CHANGED, object="bob")
    assert changes.count() == 6


def test_the_change_page_refuses_a_reused_password_with_the_reason(personas):
    client = personas.client("alice")
    response = client.post(
        "/security/password/",
        {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    assert timezone.now() - personas.alice.password_changed_at < timedelta(minutes=5)
