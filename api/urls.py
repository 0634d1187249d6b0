from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path, re_path

from api.errors import error_response
from api.v1 import api


def docs(request: HttpRequest) -> HttpResponse:
    """Swagger UI for v1, with its scripts and styles from Cyan's own static files."""
    return api.docs.render_page(request, api)


def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    return error_response(404, "not_found", f"There is no API endpoint at {request.path}.")


def _json_method_not_allowed(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    # ninja answers an unsupported method with a plain-text 405; the API promises JSON.
    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code != 405 or response.get("Content-Type", "").startswith(
            "application/json"
        ):
            return response
        allowed = response.get("Allow", "")
        json_response = error_response(
            405, "method_not_allowed", f"{request.method} is not allowed here (allowed: {allowed})."
        )
        json_response["Allow"] = allowed
        return json_response

    return wrapper


def _v1_patterns() -> list[URLPattern | URLResolver]:
    patterns, _app_name, _namespace = api.urls
    return [
        URLPattern(p.pattern, _json_method_not_allowed(p.callback), p.default_args, p.name)
        if isinstance(p, URLPattern)
        else p
        for p in patterns
    ]


urlpatterns = [
    path("v1/", (_v1_patterns(), "ninja", api.urls_namespace)),
    path("docs", docs, name="api_docs"),
    re_path(r"^(?P<rest>.*)$", not_found),
]
