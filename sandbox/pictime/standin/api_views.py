"""The resource API a client such as Cyan calls with a Bearer access token."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import UTC, datetime

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.dateparse import parse_datetime

from . import serializers, webhooks
from .http import ApiError, api_view, error, json_body, ok
from .models import Order

MAX_LIMIT = 100
DEFAULT_LIMIT = 50


@api_view("account:read")
def account(request: HttpRequest) -> HttpResponse:
    return ok(serializers.account_json(request.account))


@api_view("account:read")
def galleries(request: HttpRequest) -> HttpResponse:
    rows = request.account.galleries.select_related("account").order_by("-event_date", "id")
    return ok({"data": [serializers.gallery_json(g) for g in rows], "next_cursor": None})


def encode_cursor(order: Order) -> str:
    raw = json.dumps({"u": serializers.iso(order.updated_at), "i": order.pk}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        moment = parse_datetime(data["u"])
        if moment is None:
            raise ValueError(cursor)
        return moment, int(data["i"])
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise ApiError(400, "invalid_cursor", "The cursor is not one this API returned.") from None


def parse_since(text: str) -> datetime:
    moment = None
    for candidate in (text, text.replace(" ", "+")):
        try:
            moment = parse_datetime(candidate)
        except ValueError:
            moment = None
        if moment:
            break
    if moment is None:
        raise ApiError(
            400, "invalid_updated_since", "updated_since must be an ISO 8601 date and time."
        )
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parse_limit(text: str | None) -> int:
    if text in (None, ""):
        return DEFAULT_LIMIT
    try:
        limit = int(text)
    except ValueError:
        limit = 0
    if not 1 <= limit <= MAX_LIMIT:
        raise ApiError(400, "invalid_limit", f"limit must be a whole number from 1 to {MAX_LIMIT}.")
    return limit


def order_rows(request: HttpRequest) -> QuerySet[Order]:
    return (
        Order.objects.filter(account=request.account)
        .select_related("gallery", "account__user")
        .prefetch_related("items", "refunds")
    )


@api_view("orders:read")
def orders(request: HttpRequest) -> HttpResponse:
    """Orders by (updated_at, id) ascending; the cursor marks the last one returned."""
    rows = order_rows(request).order_by("updated_at", "id")
    if since := request.GET.get("updated_since"):
        rows = rows.filter(updated_at__gte=parse_since(since))
    if cursor := request.GET.get("cursor"):
        moment, pk = decode_cursor(cursor)
        rows = rows.filter(Q(updated_at__gt=moment) | Q(updated_at=moment, id__gt=pk))
    limit = parse_limit(request.GET.get("limit"))
    page = list(rows[: limit + 1])
    next_cursor = encode_cursor(page[limit - 1]) if len(page) > limit else None
    return ok(
        {"data": [serializers.order_json(o) for o in page[:limit]], "next_cursor": next_cursor}
    )


@api_view("orders:read")
def order_detail(request: HttpRequest, order_id: str) -> HttpResponse:
    order = order_rows(request).filter(public_id=order_id).first()
    if order is None:
        raise ApiError(404, "not_found", f"No order {order_id} in this account.")
    return ok(serializers.order_json(order))


@api_view("webhooks:write", methods=("GET", "POST"))
def webhook_list(request: HttpRequest) -> HttpResponse:
    application = request.access_token.application
    if request.method == "POST":
        url = json_body(request).get("url")
        if not isinstance(url, str):
            raise ApiError(400, "invalid_request", 'Send {"url": "https://..."}.')
        try:
            endpoint = webhooks.subscribe(account=request.account, application=application, url=url)
        except webhooks.WebhookError as exc:
            raise ApiError(400, "invalid_url", str(exc)) from None
        return ok(serializers.endpoint_json(endpoint, with_secret=True), status=201)
    rows = webhooks.active_endpoints(request.account, application)
    return ok({"data": [serializers.endpoint_json(e) for e in rows], "next_cursor": None})


@api_view("webhooks:write", methods=("GET", "DELETE"))
def webhook_detail(request: HttpRequest, endpoint_id: str) -> HttpResponse:
    endpoint = (
        webhooks.active_endpoints(request.account, request.access_token.application)
        .filter(public_id=endpoint_id)
        .first()
    )
    if endpoint is None:
        raise ApiError(404, "not_found", f"No webhook subscription {endpoint_id}.")
    if request.method == "DELETE":
        webhooks.unsubscribe(endpoint=endpoint)
        return HttpResponse(status=204)
    return ok(serializers.endpoint_json(endpoint))


def not_found(request: HttpRequest, path: str = "") -> HttpResponse:
    return error(404, "not_found", f"No API endpoint at {request.path}.")
