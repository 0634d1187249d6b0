from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.decorators import studio_required


@studio_required
def gallery_settings(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "galleries/settings.html",
        {"tab": "integrations", "subtab": "galleries"},
    )
