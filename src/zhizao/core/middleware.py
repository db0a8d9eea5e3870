"""Language selection: zh-Hans unless the user chose English with the switch (a cookie)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _


class LanguageMiddleware:
    """Activate the language from the language cookie or the ``lang`` query parameter (for
    links and API clients), else the default, zh-Hans. The browser's Accept-Language is ignored
    on purpose: the platform's first language is Chinese wherever it is opened."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        requested = request.GET.get("lang") or request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = requested if requested in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class NullCharacterMiddleware:
    """Refuse requests whose path, query string or body carries a NUL character (U+0000).

    PostgreSQL cannot store NUL in text, so such a value would otherwise end as a server error
    deep in a query. Every body is inspected whatever its declared content type (a JSON body
    sent as ``text/plain`` is still parsed as JSON), except multipart uploads: their files (PDF,
    XLSX) may contain NUL bytes, and their text fields and CSV cells are checked by the forms'
    and the importer's control-character rule (``core.validators``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._carries_null(request):
            message = _("Null characters (U+0000) are not allowed in requests.")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message, "errors": {}}, status=400)
            return HttpResponseBadRequest(message)
        return self.get_response(request)

    def _carries_null(self, request: HttpRequest) -> bool:
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query or "\x00" in request.path:
            return True
        if request.method in ("POST", "PUT", "PATCH") and not (
            request.content_type or ""
        ).startswith("multipart/"):
            body = request.body
            return b"\x00" in body or b"\\u0000" in body or b"%00" in body
        return False
