from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.decorators import studio_required


@studio_required
def inbox_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "coming_soon.html",
        {
            "title": "Inbox",
            "explanation": "Orders from your online galleries will arrive here once an "
            "online gallery is linked.",
        },
    )
