"""HTTP plumbing shared by the resource API (/studio) and the control API: RFC 7807
problems, Bearer-token authentication, JSON bodies, and the media type."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.models import AccessToken

from .models import Account

View = Callable[..., HttpResponse]
MEDIA_TYPE = "application/vnd.shootproof+json"
PROBLEM_TYPE = "application/problem+json"
REALM = "ShootProof Studio Panel API"
# Scopes that may read /studio, and the ones that may also change something (dismiss).
READ_SCOPES = ("studio", "studio.order.read-write", "studio.read-only")
WRITE_SCOPES = ("studio", "studio.order.read-write")
TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}
logger = logging.getLogger(__name__)


class ApiError(Exception):
    """A problem to answer with. ``errors`` is ShootProof's ``info.errors``: for each
    field that failed, ``{slug: message}``."""

    def __init__(
        self,
        status: int,
        detail: str,
        errors: dict[str, dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status, self.detail = status, detail
        self.errors = errors or {}
        self.headers = headers or {}


def invalid(field: str, slug: str, message: str) -> ApiError:
    """A 400 validation failure of one field."""
    return ApiError(
        400,
        "There was a problem with your request. Please see `info` for more information.",
        {field: {slug: message}},
    )


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


def ok(data: Any, status: int = 200, content_type: str = MEDIA_TYPE) -> HttpResponse:
    return HttpResponse(_dumps(data), status=status, content_type=content_type)


def problem(
    status: int,
    detail: str,
    errors: dict[str, dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    title = TITLES.get(status, "Error")
    body = {
        "type": "https://developer.shootproof.com/errors#error-" + title.lower().replace(" ", "-"),
        "title": title,
        "status": status,
        "detail": detail,
        "info": {"errors": errors or {}},
    }
    response = HttpResponse(_dumps(body), status=status, content_type=PROBLEM_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def json_body(request: HttpRequest) -> dict[str, Any]:
    if not request.body:
        return {}
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "The request body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise ApiError(400, "The request body must be a JSON object.")
    return data


def bearer(request: HttpRequest) -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _unauthorized(detail: str) -> ApiError:
    return ApiError(401, detail, headers={"WWW-Authenticate": f'Bearer realm="{REALM}"'})


def authenticate(request: HttpRequest, scopes: tuple[str, ...]) -> tuple[AccessToken, Account]:
    token = bearer(request)
    if not token:
        raise _unauthorized(
            "No authorization credentials provided. "
            "You must provide an authorization token for this request."
        )
    checksum = hashlib.sha256(token.encode("utf-8")).hexdigest()
    access = AccessToken.objects.select_related("user").filter(token_checksum=checksum).first()
    if access is None:
        raise _unauthorized("The access token provided is invalid or has been revoked.")
    if access.is_expired():
        raise _unauthorized("The access token provided has expired.")
    account = Account.objects.filter(user=access.user).select_related("user").first()
    if account is None:
        raise _unauthorized("The access token provided has no ShootProof studio.")
    granted = set(access.scope.split())
    if not granted & set(scopes):
        raise ApiError(403, f"The access token needs one of the scopes: {', '.join(scopes)}.")
    return access, account


def _respond(view: View, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    try:
        return view(request, *args, **kwargs)
    except ApiError as exc:
        return problem(exc.status, exc.detail, exc.errors, exc.headers)
    except Exception:
        # A machine caller must get a problem it can read, never Django's HTML 500 page.
        logger.exception("Unexpected failure in %s %s", request.method, request.path)
        return problem(500, "The stand-in failed to handle this request.")


def api_view(
    methods: tuple[str, ...] = ("GET",), scopes: tuple[str, ...] = READ_SCOPES
) -> Callable[[View], View]:
    """A /studio view: Bearer access token with one of ``scopes``; sets request.account."""

    def decorate(view: View) -> View:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
                request.access_token, request.account = authenticate(request, scopes)
                if request.method not in methods:
                    raise ApiError(405, f"{request.method} is not allowed here.")
                return view(request, *args, **kwargs)

            return _respond(inner, request, *args, **kwargs)

        return wrapper

    return decorate


def control_view(methods: tuple[str, ...] = ("POST",)) -> Callable[[View], View]:
    """A control-API view: Authorization: Bearer $SHOOTPROOF_CONTROL_TOKEN."""

    def decorate(view: View) -> View:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
                expected = settings.SHOOTPROOF_CONTROL_TOKEN.encode()
                if not hmac.compare_digest(bearer(request).encode(), expected):
                    raise ApiError(401, "Send the control token as a Bearer.")
                if request.method not in methods:
                    raise ApiError(405, f"{request.method} is not allowed here.")
                return view(request, *args, **kwargs)

            return _respond(inner, request, *args, **kwargs)

        return wrapper

    return decorate
