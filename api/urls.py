from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path, re_path
from django.views.decorators.csrf import csrf_exempt

from api.errors import error_response
from api.lightblue import lightblue
from api.v1 import api


def docs(request: HttpRequest) -> HttpResponse:
    """Swagger UI for v1, with its scripts and styles from Cyan's own static files."""
    return api.docs.render_page(request, api)


# An API client sends no CSRF token: without the exemption, a POST to an unknown path
# would get Django's HTML "CSRF verification failed" page instead of this JSON 404.
@csrf_exempt
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    return error_response(404, "not_found", f"There is no API endpoint at {request.path}.")


BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def _sends_other_than_json(request: HttpRequest) -> bool:
    if request.method not in BODY_METHODS or request.headers.get("Content-Length", "0") == "0":
        return False
    media_type = request.content_type or ""
    return media_type != "application/json" and not media_type.endswith("+json")


def _json_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A body that says it is not JSON is refused (415); ninja would parse it as JSON anyway.
    ninja answers an unsupported method with a plain-text 405; the API promises JSON."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if _sends_other_than_json(request):
            return error_response(
                415, "unsupported_media_type", "Send the body as 'Content-Type: application/json'."
            )
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
        URLPattern(p.pattern, _json_only(p.callback), p.default_args, p.name)
        if isinstance(p, URLPattern)
        else p
        for p in patterns
    ]


urlpatterns = [
    path("v1/", (_v1_patterns(), "ninja", api.urls_namespace)),
    path("docs", docs, name="api_docs"),
    path("lightblue", lightblue, name="lightblue"),
    re_path(r"^(?P<rest>.*)$", not_found),
]
