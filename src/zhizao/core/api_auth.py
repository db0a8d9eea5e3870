"""Authentication shared by every API router: a bearer token (instruments, integrations) or the
browser session (with its CSRF check on unsafe methods), and an anonymous fallback for public
endpoints."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import DatabaseError, connection, transaction
from django.http import HttpRequest
from django.middleware.csrf import CsrfViewMiddleware
from django.utils import timezone, translation
from ninja.security.base import AuthBase

from zhizao.core.models import ApiToken, User

logger = logging.getLogger("zhizao.api")

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# ``last_used_at`` says roughly when a token was last used; writing it on every request made
# every bearer-token GET a database write, which waited behind a long import on SQLite.
LAST_USED_RESOLUTION = timedelta(minutes=1)
TOKEN_WRITE_WAIT_MS = 100


def _csrf_ok(request: HttpRequest) -> bool:
    check = CsrfViewMiddleware(lambda _request: None)  # type: ignore[arg-type]
    check.process_request(request)
    return check.process_view(request, lambda _request: None, (), {}) is None  # type: ignore[arg-type,return-value]


def _bearer(request: HttpRequest) -> str | None:
    """The raw token of an ``Authorization: Bearer …`` header; ``None`` for no header or any
    other scheme (Basic, Digest, …), which this API does not use."""
    header = request.headers.get("Authorization", "")
    scheme, _space, credentials = header.partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" else None


def record_token_use(token: ApiToken) -> None:
    """Note that ``token`` was used: at most once a minute, after (outside) any transaction
    the request runs in, and never failing the request (the value is informative only)."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return

    def write() -> None:
        try:
            with _short_lock_wait():
                ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        except DatabaseError:
            logger.warning("Could not record the use of API token %s.", token.prefix)

    transaction.on_commit(write)


@contextmanager
def _short_lock_wait() -> Iterator[None]:
    """On SQLite, wait at most :data:`TOKEN_WRITE_WAIT_MS` for another connection's write lock
    (an import holds it for its whole transaction) instead of the busy timeout: the request
    is not held up for an informative value. Other databases lock rows, not the database."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA busy_timeout = {TOKEN_WRITE_WAIT_MS}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(settings.SQLITE_BUSY_TIMEOUT_MS)}")


def _activate_language_of(request: HttpRequest, user: User) -> None:
    """A token client without a language cookie or ``?lang`` gets its user's language."""
    if request.GET.get("lang") or request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME):
        return
    if user.language:
        translation.activate(user.language)
        request.LANGUAGE_CODE = user.language


class ApiAuth(AuthBase):
    """Authenticates as the token's user or the session's user; ``None`` means 401."""

    openapi_type = "http"
    openapi_scheme = "bearer"

    def __call__(self, request: HttpRequest) -> User | None:
        raw = _bearer(request)
        if raw is not None:
            token = ApiToken.objects.authenticate(raw)
            if token is None:
                return None
            record_token_use(token)
            request.user = token.user
            _activate_language_of(request, token.user)
            return token.user
        user = request.user
        if isinstance(user, User) and user.is_authenticated:
            if request.method not in SAFE_METHODS and not _csrf_ok(request):
                return None
            return user
        return None


class PublicAuth(ApiAuth):
    """Like :class:`ApiAuth`, but lets anonymous readers in as the public. An authorization
    header of another scheme than Bearer is ignored: the public data is served."""

    def __call__(self, request: HttpRequest) -> User | AnonymousUser | None:  # type: ignore[override]
        if _bearer(request) is not None or request.user.is_authenticated:
            return super().__call__(request)
        return AnonymousUser()


api_auth = ApiAuth()
public_auth = PublicAuth()
