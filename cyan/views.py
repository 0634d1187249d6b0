from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from cyan.health import CHECKS, readiness


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {})


def health(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. Touches no database, so an outage never restarts it."""
    return JsonResponse({"status": "ok"})


def ready(request: HttpRequest) -> JsonResponse:
    """Readiness: 200 when every check passes, else 503; each check says what it saw.
    `?check=database&check=cache` runs only those (e.g. a load balancer that should keep
    routing to the web processes while the workers catch up)."""
    only = set(request.GET.getlist("check")) or None
    if only is not None and not only <= set(CHECKS):
        unknown = ", ".join(sorted(only - set(CHECKS)))
        return JsonResponse(
            {"status": "fail", "error": f"unknown check: {unknown}", "checks": {}}, status=400
        )
    is_ready, checks = readiness(only)
    return JsonResponse(
        {"status": "ok" if is_ready else "fail", "checks": checks},
        status=200 if is_ready else 503,
    )
