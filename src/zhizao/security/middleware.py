"""Every refused request (403), on a page or in the API, is a security event."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from zhizao.security import events
from zhizao.security.choices import EventKind, Result


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
