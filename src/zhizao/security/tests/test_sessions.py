"""Idle-session timeout (GB/T 22239 level 3): a session unused for ZHIZAO_SESSION_IDLE_MINUTES
ends, and use renews it (at most once a minute, so most requests write nothing)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from zhizao.security.middleware import RENEWED

pytestmark = pytest.mark.django_db


def _expiry(client: Client) -> datetime:
    expiry: datetime = Session.objects.get(session_key=client.session.session_key).expire_date
    return expiry


def test_a_session_ends_after_the_idle_time_and_each_request_renews_it(personas):
    assert settings.SESSION_COOKIE_AGE == settings.ZHIZAO_SESSION_IDLE_MINUTES * 60 == 1800
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    client = personas.client("officer")
    assert client.get("/console/").status_code == 200
    first = _expiry(client)
    assert abs(first - timezone.now() - timedelta(minutes=30)) < timedelta(minutes=1)
    # Used again within the minute: nothing is written.
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + timedelta(minutes=5)
    )
    assert client.get("/console/").status_code == 200
    assert _expiry(client) < timezone.now() + timedelta(minutes=6)
    # Used again a minute or more after the last renewal: the expiry moves on.
    session = client.session
    session[RENEWED] = session[RENEWED] - 61
    session.save()
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + timedelta(minutes=5)
    )
    assert client.get("/console/").status_code == 200
    assert _expiry(client) > timezone.now() + timedelta(minutes=29)
    # Idle past the limit: the next request is sent to the login page.
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get("/console/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
