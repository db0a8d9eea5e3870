"""The REST API, ``/api/v1/``: one NinjaAPI that mounts each app's router, with one error
format for every failure: ``{"detail": "...", "errors": {"field": ["message", ...]}}``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from zhizao import __version__
from zhizao.awards.api import router as awards_router
from zhizao.core.api import router as core_router
from zhizao.rapidtest.api import router as rapidtest_router
from zhizao.registry.api import router as registry_router

api = NinjaAPI(
    title="Zhizao API",
    version=__version__,
    description="Zhizao (质造) REST API: the city's quality records and indicators.",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _field_of(location: list[Any]) -> str:
    parts = [str(part) for part in location if part not in ("body", "query", "path", "form")]
    # Drop the payload argument's own name ("payload.credit_code" -> "credit_code").
    return ".".join(parts[1:] if len(parts) > 1 else parts) or "__all__"


@api.exception_handler(NinjaValidationError)
def _invalid_request(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        errors.setdefault(_field_of(list(error.get("loc", []))), []).append(str(error.get("msg")))
    return api.create_response(
        request, {"detail": _("The request is not valid."), "errors": errors}, status=422
    )


@api.exception_handler(ValidationError)
def _invalid_record(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(
        request, {"detail": _("The record is not valid."), "errors": errors}, status=400
    )


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    detail = str(exc) or _("You do not have permission to do this.")
    return api.create_response(request, {"detail": detail, "errors": {}}, status=403)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": _("Not found."), "errors": {}}, status=404)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request,
        {
            "detail": _("Authentication required: log in or send a valid bearer token."),
            "errors": {},
        },
        status=401,
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc), "errors": {}}, status=exc.status_code)


api.add_router("/", core_router)
api.add_router("/rapidtest", rapidtest_router)
api.add_router("/awards", awards_router)
api.add_router("/registry", registry_router)
api.add_router("/figures", "zhizao.core.figures_api.router")
