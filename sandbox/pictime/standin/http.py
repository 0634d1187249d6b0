"""JSON plumbing shared by the resource API and the control API: errors in one shape,
Bearer-token authentication and request-body parsing."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.models import AccessToken

from .models import Account

View = Callable[..., HttpResponse]
logger = logging.getLogger(__name__)


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def ok(data: Any, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def error(status: int, code: str, message: str, **headers: str) -> JsonResponse:
    response = ok({"error": {"code": code, "message": message}}, status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def json_body(request: HttpRequest) -> dict[str, Any]:
    if not request.body:
        return {}
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "invalid_json", "The request body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise ApiError(400, "invalid_json", "The request body must be a JSON object.")
    return data


def bearer(request: HttpRequest) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _challenge(code: str, message: str) -> str:
    return f'Bearer realm="pictime", error="{code}", error_description="{message}"'


def authenticate(request: HttpRequest, scope: str) -> tuple[AccessToken, Account]:
    token = bearer(request)
    if not token:
        raise ApiError(401, "unauthorized", "Send an access token: Authorization: Bearer <token>.")
    checksum = hashlib.sha256(token.encode("utf-8")).hexdigest()
    access = (
        AccessToken.objects.select_related("user", "application")
        .filter(token_checksum=checksum)
        .first()
    )
    if access is None:
        raise ApiError(401, "invalid_token", "The access token is unknown or was revoked.")
    if access.is_expired():
        raise ApiError(401, "invalid_token", "The access token has expired.")
    account = Account.objects.filter(user=access.user).select_related("user").first()
    if account is None:
        raise ApiError(401, "invalid_token", "The access token has no Pic-Time account.")
    if not access.allow_scopes([scope]):
        raise ApiError(403, "insufficient_scope", f"The access token lacks the {scope} scope.")
    return access, account


def _respond(view: View, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    try:
        return view(request, *args, **kwargs)
    except ApiError as exc:
        headers = {}
        if exc.status in (401, 403):
            headers["WWW_Authenticate"] = _challenge(exc.code, exc.message)
        return error(exc.status, exc.code, exc.message, **headers)
    except Exception:
        # A machine caller (Cyan, a test, the demo) must get JSON it can read, never
        # Django's HTML 500 page; the traceback goes to the log.
        logger.exception("Unexpected failure in %s %s", request.method, request.path)
        return error(500, "server_error", "The stand-in failed to handle this request.")


def api_view(scope: str, methods: tuple[str, ...] = ("GET",)) -> Callable[[View], View]:
    """A resource-API view: Bearer access token with ``scope``; sets request.account."""

    def decorate(view: View) -> View:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
                if request.method not in methods:
                    raise ApiError(405, "method_not_allowed", f"{request.method} is not allowed.")
                request.access_token, request.account = authenticate(request, scope)
                return view(request, *args, **kwargs)

            return _respond(inner, request, *args, **kwargs)

        return wrapper

    return decorate


def control_view(methods: tuple[str, ...] = ("POST",)) -> Callable[[View], View]:
    """A control-API view: Authorization: Bearer $PICTIME_CONTROL_TOKEN."""

    def decorate(view: View) -> View:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
                expected = settings.PICTIME_CONTROL_TOKEN.encode()
                if not hmac.compare_digest(bearer(request).encode(), expected):
                    raise ApiError(401, "unauthorized", "Send the control token as a Bearer.")
                if request.method not in methods:
                    raise ApiError(405, "method_not_allowed", f"{request.method} is not allowed.")
                return view(request, *args, **kwargs)

            return _respond(inner, request, *args, **kwargs)

        return wrapper

    return decorate
