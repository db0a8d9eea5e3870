"""Authentication shared by every API router: a bearer token (instruments, integrations) or the
browser session (with its CSRF check on unsafe methods), and an anonymous fallback for public
endpoints."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.middleware.csrf import CsrfViewMiddleware
from django.utils import timezone
from ninja.security.base import AuthBase

from zhizao.core.models import ApiToken, User

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _csrf_ok(request: HttpRequest) -> bool:
    check = CsrfViewMiddleware(lambda _request: None)  # type: ignore[arg-type]
    check.process_request(request)
    return check.process_view(request, lambda _request: None, (), {}) is None  # type: ignore[arg-type,return-value]


class ApiAuth(AuthBase):
    """Authenticates as the token's user or the session's user; ``None`` means 401."""

    openapi_type = "http"
    openapi_scheme = "bearer"

    def __call__(self, request: HttpRequest) -> User | None:
        header = request.headers.get("Authorization", "")
        if header.lower().startswith("bearer "):
            token = ApiToken.objects.authenticate(header[7:].strip())
            if token is None:
                return None
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
            request.user = token.user
            return token.user
        user = request.user
        if isinstance(user, User) and user.is_authenticated:
            if request.method not in SAFE_METHODS and not _csrf_ok(request):
                return None
            return user
        return None


class PublicAuth(ApiAuth):
    """Like :class:`ApiAuth`, but lets anonymous readers in as the public."""

    def __call__(self, request: HttpRequest) -> User | AnonymousUser | None:  # type: ignore[override]
        if request.headers.get("Authorization") or request.user.is_authenticated:
            return super().__call__(request)
        return AnonymousUser()


api_auth = ApiAuth()
public_auth = PublicAuth()
