"""The one error body of the REST API, ``{"detail": "...", "errors": {"field": ["..."]}}``, for
every failure under ``/api/`` — also those Django answers before or around the API's own views:
a method the path does not allow (405), a body over the size limit (413), a path that does not
exist (404), an unexpected exception (500). Messages are in the request's language."""

from __future__ import annotations

import logging
from collections.abc import Callable
from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

logger = logging.getLogger("zhizao.api")

API_PREFIX = "/api/"

# One message per status the API answers with; ``detail`` carries the specific reason when the
# code that raised the error gives one.
STATUS_MESSAGES = {
    400: gettext_lazy("The request is not valid."),
    401: gettext_lazy("Authentication required: log in or send a valid bearer token."),
    403: gettext_lazy("You do not have permission to do this."),
    404: gettext_lazy("Not found."),
    405: gettext_lazy("This method is not allowed here."),
    413: gettext_lazy("The request body is too large."),
    422: gettext_lazy("The request is not valid."),
    429: gettext_lazy("Too many requests: wait a moment and try again."),
    500: gettext_lazy("Internal error: the request could not be completed."),
}

Errors = dict[str, list[str]]


def error_body(detail: str, errors: Errors | None = None) -> dict[str, object]:
    return {
        "detail": str(detail),
        "errors": {k: [str(m) for m in v] for k, v in (errors or {}).items()},
    }


def status_message(status: int) -> str:
    message = STATUS_MESSAGES.get(status)
    if message is not None:
        return str(message)
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return _("The request failed.")


def error_response(
    status: int, detail: str | None = None, errors: Errors | None = None
) -> JsonResponse:
    return JsonResponse(
        error_body(detail or status_message(status), errors),
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def _is_json(response: HttpResponse) -> bool:
    return str(response.get("Content-Type", "")).startswith("application/json")


def _body_too_large(request: HttpRequest) -> bool:
    """A non-multipart body longer than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (Django refuses it when
    the body is read; say so before anything reads it)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is None or request.content_type == "multipart/form-data":
        return False
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > limit


class ApiErrorMiddleware:
    """Answer every error under ``/api/`` with the API's JSON body. Put it first in
    ``MIDDLEWARE`` (after the language middleware), so that it also sees what other middleware
    answers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        if _body_too_large(request):
            return error_response(413)
        response = self.get_response(request)
        if response.status_code >= 400 and not _is_json(response):
            converted = error_response(response.status_code)
            if "Allow" in response:
                converted["Allow"] = response["Allow"]
            if "Retry-After" in response:
                converted["Retry-After"] = response["Retry-After"]
            return converted
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not request.path.startswith(API_PREFIX):
            return None
        if isinstance(exception, RequestDataTooBig):
            return error_response(413)
        if isinstance(exception, Http404):  # e.g. django-ninja's API root without docs
            return error_response(404)
        if isinstance(exception, PermissionDenied):
            return error_response(403)
        logger.exception("Unhandled error in %s %s", request.method, request.path)
        return error_response(500)
