"""Turning control-API JSON into order requests: random orders with explicit overrides."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.dateparse import parse_datetime

from . import catalog, generator, money, orders, pricing
from .http import ApiError
from .models import Account, Gallery

ADDRESS_KEYS = ("line1", "line2", "city", "region", "postcode", "country")
CLIENT_KEYS = ("first_name", "last_name", "email", "phone")


def bad(message: str) -> ApiError:
    return ApiError(400, "invalid_request", message)


def parse_item(raw: Any, currency: str, n: int) -> pricing.LineInput:
    if not isinstance(raw, dict):
        raise bad(f"items[{n}] must be an object.")
    try:
        quantity = int(raw.get("quantity", 1))
        if raw.get("sku"):
            return _catalog_item(raw, currency, quantity, n)
        kind = str(raw.get("kind") or "")
        return pricing.LineInput(
            kind=kind,
            product=str(raw.get("product") or ""),
            quantity=quantity,
            unit_price=money.parse(raw["unit_price"], currency),
            options=dict(raw.get("options") or {}),
            digital=bool(raw.get("digital", kind == "digital")),
        )
    except KeyError as exc:
        raise bad(f"items[{n}] needs {exc.args[0]} (or a sku).") from None
    except (ValueError, TypeError) as exc:
        raise bad(f"items[{n}]: {exc}") from None


def _catalog_item(raw: dict, currency: str, quantity: int, n: int) -> pricing.LineInput:
    product = catalog.BY_SKU.get(str(raw["sku"]))
    if product is None:
        raise bad(f"items[{n}]: unknown sku {raw['sku']!r}; see docs for the catalog.")
    line = generator.line_for(product, quantity, currency)
    options = {**line.options, **dict(raw.get("options") or {})}
    price = line.unit_price
    if raw.get("unit_price") is not None:
        price = money.parse(raw["unit_price"], currency)
    return replace(line, options=options, unit_price=price)


def parse_client(raw: Any) -> tuple[dict, dict | None]:
    """(client, billing address or None); the address may be nested or inline."""
    if not isinstance(raw, dict):
        raise bad("client must be an object.")
    client = {key: str(raw.get(key) or "") for key in CLIENT_KEYS}
    address = raw.get("address") or raw.get("billing_address")
    if address is None and any(raw.get(key) for key in ADDRESS_KEYS):
        address = {key: raw.get(key) for key in ADDRESS_KEYS}
    if address is not None and not isinstance(address, dict):
        raise bad("client.address must be an object.")
    return client, address


def find_gallery(account: Account, gallery_id: Any) -> Gallery | None:
    if not gallery_id:
        return None
    gallery = account.galleries.filter(public_id=str(gallery_id)).first()
    if gallery is None:
        raise ApiError(404, "not_found", f"No gallery {gallery_id} in this account.")
    return gallery


def _overrides(req: orders.OrderRequest, data: dict, currency: str) -> orders.OrderRequest:
    changes: dict[str, Any] = {}
    if data.get("client") is not None:
        client, address = parse_client(data["client"])
        changes["client"] = client
        if address is not None:
            changes["billing_address"] = address
    if data.get("billing_address") is not None:
        changes["billing_address"] = data["billing_address"]
    if "shipping_address" in data:
        changes["shipping_address"] = data["shipping_address"]
    if data.get("items") is not None:
        if not isinstance(data["items"], list):
            raise bad("items must be a list.")
        changes["lines"] = [parse_item(raw, currency, n) for n, raw in enumerate(data["items"])]
        # Explicit items: no random code or shipping choice unless those are explicit too.
        changes["discount_code"] = ""
        changes["shipping_method"] = ""
    for key in ("discount_code", "shipping_method", "payment_collected_by", "tax_included"):
        if data.get(key) is not None:
            changes[key] = data[key]
    if data.get("tax_rate") is not None:
        try:
            changes["tax_rate"] = Decimal(str(data["tax_rate"]))
        except InvalidOperation:
            raise bad('tax_rate must be a number such as "8.25".') from None
    if data.get("created_at"):
        changes["created_at"] = _created_at(str(data["created_at"]))
    return replace(req, **changes)


def _created_at(text: str) -> datetime:
    moment = parse_datetime(text)
    if moment is None:
        raise bad("created_at must be an ISO 8601 date and time.")
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def build_requests(account: Account, data: dict) -> list[orders.OrderRequest]:
    """N random orders (seeded), each with the explicit fields of ``data`` laid on top."""
    try:
        count = int(data.get("count", 1))
    except (TypeError, ValueError):
        count = 0
    if not 1 <= count <= 500:
        raise bad("count must be a whole number from 1 to 500.")
    gallery = find_gallery(account, data.get("gallery_id"))
    galleries = [gallery] if gallery else list(account.galleries.order_by("id"))
    if not galleries:
        raise bad("The account has no galleries.")
    currency = str(data.get("currency") or "").upper()
    if currency and currency not in money.CURRENCIES:
        raise bad(f"currency must be one of {', '.join(money.CURRENCIES)}.")
    rng = random.Random(data.get("seed"))
    requests = []
    for _ in range(count):
        chosen = rng.choice(galleries)
        req = generator.random_request(chosen, rng, currency)
        requests.append(_overrides(req, data, currency or chosen.effective_currency))
    return requests
