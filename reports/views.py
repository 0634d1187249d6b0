from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.decorators import studio_required


@studio_required
def reports_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "coming_soon.html",
        {
            "title": "Reports",
            "explanation": "Client value, further-sales opportunities and sales by source "
            "are coming soon.",
        },
    )
