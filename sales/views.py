from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.decorators import studio_required


@studio_required
def sale_list(request: HttpRequest) -> HttpResponse:
    return render(request, "coming_soon.html", {"title": "Sales"})
