from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.decorators import studio_required


@studio_required
def api_keys(request: HttpRequest) -> HttpResponse:
    return render(request, "api/keys.html", {"tab": "integrations", "subtab": "api"})
