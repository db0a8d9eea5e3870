"""Login throttling (django-axes): a username is locked whichever address tries it, and an
address is locked whichever usernames it tries (issue 10). A successful login is a security
event in axes' access log, not a change of the user record."""

from django.conf import settings
from django.test import Client
from django.urls import reverse

from zhizao.core.testing import PASSWORD

LIMIT = settings.AXES_FAILURE_LIMIT


def _login(username, password, address):
    return Client(REMOTE_ADDR=address).post(
        reverse("core:login"), {"username": username, "password": password}
    )


def test_a_locked_username_stays_locked_from_another_address(personas):
    for attempt in range(LIMIT):
        _login("alice", "wrong", f"10.0.0.{attempt + 1}")
    response = _login("alice", PASSWORD, "10.9.9.9")
    assert response.status_code == 429
    # Another user from that fresh address is not affected.
    assert _login("bob", PASSWORD, "10.9.9.9").status_code == 302


def test_one_address_cannot_try_many_usernames(personas):
    for attempt in range(LIMIT):
        _login(f"guess{attempt}", "wrong", "10.1.1.1")
    assert _login("bob", PASSWORD, "10.1.1.1").status_code == 429
    # bob himself is not locked elsewhere.
    assert _login("bob", PASSWORD, "10.2.2.2").status_code == 302


def test_below_the_limit_a_correct_password_logs_in(personas):
    for attempt in range(LIMIT - 1):
        _login("alice", "wrong", f"10.3.0.{attempt + 1}")
    assert _login("alice", PASSWORD, "10.3.9.9").status_code == 302
