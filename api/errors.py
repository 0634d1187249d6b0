"""JSON errors of the REST API: always `{"error": {"code", "message", "fields"?}}`.

`code` is stable (clients branch on it), `message` is for people. Every exception that
reaches the API is mapped here, replacing django-ninja's default handlers (whose bodies
have a different shape for each kind of error).
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from api.parser import ForbiddenText

logger = logging.getLogger(__name__)

HTTP_CODES = {
    400: "bad_request",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
}
# Service errors name model fields; the API names some of them differently.
API_FIELD_NAMES = {"contact": "contact_id", "shoot": "shoot_id", "__all__": "non_field_errors"}


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, str] | None = None


class ErrorOut(Schema):
    error: ErrorDetail


class ApiError(Exception):
    """An error with its HTTP status and stable code, raised anywhere below a route."""

    def __init__(
        self, status: int, code: str, message: str, fields: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields


def error_body(code: str, message: str, fields: dict[str, str] | None = None) -> dict[str, Any]:
    detail: dict[str, Any] = {"code": code, "message": message}
    if fields:
        detail["fields"] = fields
    return {"error": detail}


def error_response(
    status: int, code: str, message: str, fields: dict[str, str] | None = None
) -> HttpResponse:
    return JsonResponse(error_body(code, message, fields), status=status)


def _location_to_field(loc: tuple | list) -> str:
    # ninja reports ("body", "payload", "lines", 0, "quantity") or ("query", "limit").
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header"}:
        parts = parts[1:]
    if len(parts) > 1 and parts[0] == "payload":
        parts = parts[1:]
    if parts == ["payload"]:
        return "body"
    return ".".join(parts) or "body"


def fields_from_ninja(exc: NinjaValidationError) -> dict[str, str]:
    fields: dict[str, str] = {}
    for error in exc.errors:
        field = _location_to_field(error.get("loc", ()))
        message = str(error.get("msg", "Invalid value."))
        fields[field] = f"{fields[field]} {message}" if field in fields else message
    return fields


def _django_field_name(name: str, error: DjangoValidationError) -> str:
    # Problems of one item of a list (sales' lines, payments…) carry its index and field
    # in params, so they can point at "lines.0.quantity" like request validation does.
    params = error.params if isinstance(error.params, dict) else {}
    if isinstance(params.get("index"), int):
        parts = [name, str(params["index"]), str(params.get("field") or "")]
        return ".".join(part for part in parts if part)
    return API_FIELD_NAMES.get(name, name)


def fields_from_django(exc: DjangoValidationError) -> dict[str, str]:
    if not hasattr(exc, "error_dict"):
        return {}
    fields: dict[str, str] = {}
    for name, errors in exc.error_dict.items():
        for error in errors:
            field = _django_field_name(name, error)
            message = " ".join(error.messages)
            fields[field] = f"{fields[field]} {message}" if field in fields else message
    return fields


def _validation_message(fields: dict[str, str], fallback: str) -> str:
    if not fields:
        return fallback
    first, message = next(iter(fields.items()))
    more = f" (and {len(fields) - 1} more)" if len(fields) > 1 else ""
    return f"{first}: {message}{more}"


def install_error_handlers(api: NinjaAPI) -> None:
    """Replace ninja's default handlers so that every error has the same JSON shape."""

    @api.exception_handler(ApiError)
    def api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return error_response(exc.status, exc.code, exc.message, exc.fields)

    @api.exception_handler(NinjaValidationError)
    def request_invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        fields = fields_from_ninja(exc)
        message = _validation_message(fields, "The request is not valid.")
        return error_response(422, "validation_error", message, fields)

    @api.exception_handler(DjangoValidationError)
    def service_refused(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        fields = fields_from_django(exc)
        message = _validation_message(fields, " ".join(exc.messages) or "Invalid input.")
        return error_response(422, "validation_error", message, fields)

    @api.exception_handler(AuthenticationError)
    def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = error_response(
            401,
            "unauthorized",
            "Send a valid, unrevoked API key as 'Authorization: Bearer <key>'.",
        )
        response["WWW-Authenticate"] = 'Bearer realm="cyan"'
        return response

    @api.exception_handler(Throttled)
    def rate_limited(request: HttpRequest, exc: Throttled) -> HttpResponse:
        return error_response(429, "rate_limited", "Too many requests; retry a little later.")

    @api.exception_handler(ForbiddenText)
    def forbidden_text(request: HttpRequest, exc: ForbiddenText) -> HttpResponse:
        message = _validation_message(exc.fields, "The request holds forbidden text.")
        return error_response(422, "validation_error", message, exc.fields)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc.__cause__, ForbiddenText):  # ninja wraps what parse_body raises
            return forbidden_text(request, exc.__cause__)
        code = HTTP_CODES.get(exc.status_code, f"http_{exc.status_code}")
        return error_response(exc.status_code, code, exc.message)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(404, "not_found", "No such object in this studio.")

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("Unhandled API error on %s %s", request.method, request.path)
        return error_response(500, "internal_error", "Something went wrong on our side.")
