"""Refusing, once for every page, a query string no database can search for.

NUL and lone surrogates in `?q=` (or any parameter) reach a selector and fail inside
PostgreSQL as a server error. Pages answer 400 here instead; the REST API (/api/) has
its own parser that answers 422 naming the parameter (api/parser.py).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest

from core.limits import forbidden_characters

API_PREFIX = "/api/"


class RefuseUnstorableQuery:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX) and _unstorable(request):
            return HttpResponseBadRequest(
                "The address holds a character Cyan cannot search for (NUL). Remove it and "
                "try again.",
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


def _unstorable(request: HttpRequest) -> bool:
    return any(
        forbidden_characters(key) or forbidden_characters(value)
        for key, values in request.GET.lists()
        for value in values
    )
