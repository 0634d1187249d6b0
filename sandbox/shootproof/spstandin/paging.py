"""ShootProof's list paging: ``page`` and ``rows`` in, ``meta`` {currentPage, rows,
totalItems, totalPages} and ``links`` {self, first, last, prev, next} out."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import HttpRequest

from .http import invalid
from .serializers import link

MAX_ROWS = 100
DEFAULT_ROWS = 25


def _whole(request: HttpRequest, name: str, default: int, low: int, high: int) -> int:
    text = request.GET.get(name, "")
    if text == "":
        return default
    try:
        value = int(text)
    except ValueError:
        raise invalid(name, "notDigits", f"{name} must be a whole number.") from None
    if not low <= value <= high:
        raise invalid(name, "notBetween", f"{name} must be from {low} to {high}.")
    return value


@dataclass
class Page:
    rows: list
    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    def meta(self) -> dict[str, int]:
        return {
            "currentPage": self.number,
            "rows": self.size,
            "totalItems": self.total,
            "totalPages": self.pages,
        }

    def links(self, request: HttpRequest) -> dict[str, Any]:
        def at(number: int) -> dict[str, Any]:
            query = {**request.GET.dict(), "page": number, "rows": self.size}
            return link(f"{request.path}?{urlencode(query)}")

        links = {"self": at(self.number), "first": at(1), "last": at(self.pages)}
        if self.number > 1:
            links["prev"] = at(min(self.number - 1, self.pages))
        if self.number < self.pages:
            links["next"] = at(self.number + 1)
        return links


def paginate(request: HttpRequest, rows: QuerySet) -> Page:
    number = _whole(request, "page", 1, 1, 1_000_000)
    size = _whole(request, "rows", DEFAULT_ROWS, 1, MAX_ROWS)
    total = rows.count()
    start = (number - 1) * size
    return Page(rows=list(rows[start : start + size]), number=number, size=size, total=total)


def envelope(request: HttpRequest, kind: str, page: Page, items: list) -> dict[str, Any]:
    return {"type": kind, "items": items, "meta": page.meta(), "links": page.links(request)}
