"""The REST API, ``/api/v1/``: one NinjaAPI that mounts each app's router, with one error
format for every failure: ``{"detail": "...", "errors": {"field": ["message", ...]}}``.

Errors raised inside an operation are shaped here; those Django answers around the API's views
(405, 413, unknown paths) by :class:`zhizao.core.api_errors.ApiErrorMiddleware`. The OpenAPI
schema documents the error responses of every operation and marks the public operations'
token as optional."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from zhizao import __version__
from zhizao.assessment.api import router as assessment_router
from zhizao.awards.api import router as awards_router
from zhizao.core.api import router as core_router
from zhizao.core.api_auth import ApiAuth, PublicAuth
from zhizao.core.api_errors import Errors, error_body, status_message
from zhizao.engineering.api import router as engineering_router
from zhizao.enterprise.api import router as enterprise_router
from zhizao.environment.api import router as environment_router
from zhizao.funds.api import router as funds_router
from zhizao.incidents.api import router as incidents_router
from zhizao.nqi.api import router as nqi_router
from zhizao.plans.api import router as plans_router
from zhizao.rapidtest.api import router as rapidtest_router
from zhizao.registry.api import router as registry_router
from zhizao.reports.api import router as reports_router
from zhizao.sampling.api import router as sampling_router
from zhizao.security.api import router as security_router

logger = logging.getLogger("zhizao.api")

ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "properties": {
        "detail": {"type": "string", "title": "Detail"},
        "errors": {
            "type": "object",
            "title": "Errors",
            "description": "Messages by field (``__all__`` for the request as a whole).",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["detail", "errors"],
}
ERROR_RESPONSES = (400, 401, 403, 404, 413, 422, 429, 500)
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


class ZhizaoAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        """Ninja's schema, with the error responses of every operation and an optional token on
        the public operations (``security: [{}, {"ApiAuth": []}]``)."""
        schema = super().get_openapi_schema(**kwargs)
        components = schema.setdefault("components", {})
        components.setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        schemes = components.get("securitySchemes", {})
        public_name, private_name = PublicAuth.__name__, ApiAuth.__name__
        if public_name in schemes:
            schemes.setdefault(private_name, schemes.pop(public_name))
        for path_item in schema["paths"].values():
            for method, operation in path_item.items():
                if method not in HTTP_METHODS:
                    continue
                security = operation.get("security") or []
                if any(public_name in requirement for requirement in security):
                    operation["security"] = [{}, {private_name: []}]
                responses = operation.setdefault("responses", {})
                for status in ERROR_RESPONSES:
                    responses.setdefault(
                        status,
                        {
                            "description": str(status_message(status)),
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Error"}
                                }
                            },
                        },
                    )
        return schema


api = ZhizaoAPI(
    title="Zhizao API",
    version=__version__,
    description=(
        "Zhizao (质造) REST API: the city's quality records and indicators. Every error answers "
        'JSON `{"detail": "...", "errors": {"field": ["..."]}}` in the request\'s language '
        "(`?lang=en` or the language cookie; a token's user's language otherwise), also 405 for "
        "a method the path does not allow."
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _respond(
    request: HttpRequest, status: int, detail: str | None = None, errors: Errors | None = None
) -> HttpResponse:
    return api.create_response(
        request, error_body(detail or status_message(status), errors), status=status
    )


def _field_of(location: list[Any]) -> str:
    parts = [str(part) for part in location if part not in ("body", "query", "path", "form")]
    # Drop the payload argument's own name ("payload.credit_code" -> "credit_code").
    return ".".join(parts[1:] if len(parts) > 1 else parts) or "__all__"


def _schema_message(error: dict[str, Any]) -> str:
    """Pydantic's message for one schema error, in the request's language for the usual kinds."""
    context = error.get("ctx") or {}
    kind = error.get("type", "")
    messages = {
        "missing": _("This field is required."),
        "extra_forbidden": _("This field is not allowed."),
        "string_type": _("Enter a text value."),
        "string_too_long": _("Enter at most %(max_length)s characters."),
        "string_too_short": _("Enter at least %(min_length)s characters."),
        "int_parsing": _("Enter a whole number."),
        "int_type": _("Enter a whole number."),
        "int_from_float": _("Enter a whole number."),
        "float_parsing": _("Enter a number."),
        "float_type": _("Enter a number."),
        "bool_parsing": _("Enter true or false."),
        "greater_than_equal": _("Enter a value of at least %(ge)s."),
        "less_than_equal": _("Enter a value of at most %(le)s."),
        "greater_than": _("Enter a value above %(gt)s."),
        "less_than": _("Enter a value below %(lt)s."),
        "enum": _("Enter one of %(expected)s."),
        "literal_error": _("Enter one of %(expected)s."),
        "datetime_parsing": _("Enter a valid date and time (ISO 8601)."),
        "datetime_from_date_parsing": _("Enter a valid date and time (ISO 8601)."),
        "datetime_type": _("Enter a valid date and time (ISO 8601)."),
        "date_parsing": _("Enter a valid date (YYYY-MM-DD)."),
        "date_from_datetime_parsing": _("Enter a valid date (YYYY-MM-DD)."),
        "json_invalid": _("The body is not valid JSON."),
        "model_attributes_type": _("Enter an object."),
        "dict_type": _("Enter an object."),
        "list_type": _("Enter a list."),
    }
    template = messages.get(kind)
    if template is None:
        return str(error.get("msg", ""))
    try:
        return template % {key: str(value) for key, value in context.items()}
    except (KeyError, TypeError, ValueError):
        return str(error.get("msg", ""))


@api.exception_handler(NinjaValidationError)
def _invalid_request(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors: Errors = {}
    for error in exc.errors:
        errors.setdefault(_field_of(list(error.get("loc", []))), []).append(_schema_message(error))
    return _respond(request, 422, _("The request is not valid."), errors)


@api.exception_handler(ValidationError)
def _invalid_record(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return _respond(request, 400, _("The record is not valid."), errors)


# Django Ninja's own messages, in the request's language.
NINJA_MESSAGES = {
    "Cannot parse request body": gettext_lazy("The body is not valid JSON."),
    "CSRF check Failed": gettext_lazy("The CSRF check failed: reload the page and try again."),
}


def _translated(message: str) -> str:
    """A message raised as plain text (not marked for translation) still comes back in the
    request's language when the catalogue knows it."""
    if message in NINJA_MESSAGES:
        return str(NINJA_MESSAGES[message])
    return _(message) if message else message


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _respond(request, 403, _translated(str(exc)) or None)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _respond(request, 404)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _respond(request, 401)


@api.exception_handler(Throttled)
def _throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    response = _respond(request, 429)
    if exc.wait:
        response["Retry-After"] = str(exc.wait)
    return response


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _respond(request, exc.status_code, _translated(str(exc)) or None)


@api.exception_handler(RequestDataTooBig)
def _too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return _respond(request, 413)


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("Unhandled error in %s %s", request.method, request.path, exc_info=exc)
    return _respond(request, 500)


api.add_router("/", core_router)
api.add_router("/rapidtest", rapidtest_router)
api.add_router("/awards", awards_router)
api.add_router("/registry", registry_router)
api.add_router("/nqi", nqi_router)
api.add_router("/plans", plans_router)
api.add_router("/sampling", sampling_router)
api.add_router("/incidents", incidents_router)
api.add_router("/engineering", engineering_router)
api.add_router("/funds", funds_router)
api.add_router("/enterprises", enterprise_router)
api.add_router("/reports", reports_router)
api.add_router("/environment", environment_router)
api.add_router("/assessment", assessment_router)
api.add_router("/security", security_router)
api.add_router("/figures", "zhizao.core.figures_api.router")
api.add_router("/open", "zhizao.opendata.api.router")
api.add_router("/catalog", "zhizao.opendata.api.catalog_router")
