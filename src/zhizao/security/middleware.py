"""Every refused request (403), on a page or in the API, is a security event; a logged-in
session is renewed as it is used (the idle-session timeout); an expired password must be
changed before anything else."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext

from zhizao.core.api_errors import API_PREFIX, error_response
from zhizao.security import services as events
from zhizao.security.choices import EventKind, Result
from zhizao.security.passwords import password_expired


class RefusalMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 403:
            user = getattr(request, "user", None)
            events.record(
                EventKind.PERMISSION_DENIED,
                result=Result.FAILURE,
                user=user,
                subject="" if user is not None and user.is_authenticated else "anonymous",
                object=f"{request.method} {request.path}"[:300],
                request=request,
            )
        return response


RENEWED = "zhizao_renewed"
RENEW_EVERY_SECONDS = 60


def mark_renewed(request: HttpRequest) -> None:
    request.session[RENEWED] = int(time.time())


class SessionRenewalMiddleware:
    """Renew a logged-in session (its expiry moves to ``SESSION_COOKIE_AGE`` from now) when it
    is used, at most once a minute, so a session ends after ``ZHIZAO_SESSION_IDLE_MINUTES``
    without use but a working user is never logged out, and most requests write nothing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            renewed = request.session.get(RENEWED, 0)
            if not isinstance(renewed, int) or time.time() - renewed >= RENEW_EVERY_SECONDS:
                mark_renewed(request)
        return self.get_response(request)


# Paths an account whose password has expired may still open: the change itself, logging out,
# the language switch and static files.
EXPIRED_PASSWORD_ALLOWED = ("/security/password/", "/accounts/logout/", "/i18n/", "/static/")


class PasswordExpiryMiddleware:
    """Send a logged-in account whose password is older than ``ZHIZAO_PASSWORD_MAX_AGE_DAYS``
    to change it, and refuse everything else until it has (pages: a redirect to the change
    form; the API: 403 with the reason). Reads only the user already loaded: no query."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(EXPIRED_PASSWORD_ALLOWED)
            and password_expired(user)
        ):
            if request.path.startswith(API_PREFIX):
                return error_response(
                    403, gettext("Your password has expired: change it before going on.")
                )
            return redirect_to_login(
                request.get_full_path(), reverse("security:password_change"), "next"
            )
        return self.get_response(request)
