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


def test_behind_a_proxy_the_forwarded_client_address_is_throttled(personas, settings):
    settings.ZHIZAO_BEHIND_PROXY = True

    def via_proxy(username, password, client):
        return Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"1.2.3.4, {client}").post(
            reverse("core:login"), {"username": username, "password": password}
        )

    for attempt in range(LIMIT):
        via_proxy(f"guess{attempt}", "wrong", "203.0.113.7")
    assert via_proxy("bob", PASSWORD, "203.0.113.7").status_code == 429
    # Everyone else behind the same proxy still logs in.
    assert via_proxy("bob", PASSWORD, "203.0.113.8").status_code == 302
