from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {})


def health(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})
