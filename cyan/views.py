from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from cyan.health import readiness


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {})


def health(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. Touches no database, so an outage never restarts it."""
    return JsonResponse({"ok": True})


def health_ready(request: HttpRequest) -> JsonResponse:
    """Readiness: 200 only when the database answers and every migration is applied."""
    problems = readiness()
    ready = not any(problems.values())
    checks = {name: problem or "ok" for name, problem in problems.items()}
    return JsonResponse({"ok": ready, "checks": checks}, status=200 if ready else 503)
