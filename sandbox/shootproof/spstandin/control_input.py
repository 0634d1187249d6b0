"""Turning control-API JSON into order requests: seeded random orders with the explicit
fields of the request laid on top."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.dateparse import parse_datetime

from . import catalog, generator, money, orders
from .http import ApiError, invalid
from .models import Account, Brand, Event


def _money(value: Any, currency: str, field: str) -> int:
    try:
        return money.parse(value, currency)
    except money.MoneyError as exc:
        raise invalid(field, "notAmount", str(exc)) from None


def parse_item(raw: Any, currency: str, n: int, rng: random.Random) -> orders.LineInput:
    """An item: a catalog ``code`` (prices from the catalog) or productType/name/unitPrice."""
    field = f"items[{n}]"
    if not isinstance(raw, dict):
        raise invalid(field, "notObject", f"{field} must be an object.")
    try:
        quantity = int(raw.get("quantity", 1))
    except (TypeError, ValueError):
        raise invalid(field, "notDigits", f"{field}.quantity must be a whole number.") from None
    if raw.get("code"):
        product = catalog.BY_CODE.get(str(raw["code"]))
        if product is None:
            codes = ", ".join(catalog.BY_CODE)
            raise invalid(field, "unknownCode", f"{field}: unknown code; one of {codes}.")
        line = generator.line_for(product, quantity, currency, rng)
    else:
        price = raw.get("unitPrice", raw.get("unit_price"))
        if price is None or not raw.get("name"):
            raise invalid(field, "isEmpty", f"{field} needs name and unitPrice (or a code).")
        line = orders.LineInput(
            product_type=str(raw.get("productType") or "print"),
            name=str(raw["name"]),
            quantity=quantity,
            unit_price=_money(price, currency, field),
        )
    if price := raw.get("unitPrice", raw.get("unit_price")):
        line.unit_price = _money(price, currency, field)
    if raw.get("discount") is not None:
        line.discount = _money(raw["discount"], currency, field)
    if "photoName" in raw:
        line.photo_name = raw["photoName"] or None
    if raw.get("options") is not None:
        if not isinstance(raw["options"], dict):
            raise invalid(field, "notObject", f"{field}.options must be an object.")
        line.options = {str(k): str(v) for k, v in raw["options"].items()}
    return line


def parse_client(raw: Any) -> dict[str, Any]:
    """{name, email, phone, address?}; first_name/last_name are joined into the name."""
    if not isinstance(raw, dict):
        raise invalid("client", "notObject", "client must be an object.")
    name = str(raw.get("name") or "").strip()
    if not name:
        parts = (
            raw.get("first_name") or raw.get("firstName"),
            raw.get("last_name") or raw.get("lastName"),
        )
        name = " ".join(str(p).strip() for p in parts if p)
    return {
        "name": name,
        "email": str(raw.get("email") or ""),
        "phone": raw.get("phone"),
        "address": raw.get("address", raw.get("billingAddress")),
    }


def _created_at(text: str) -> datetime:
    moment = parse_datetime(text)
    if moment is None:
        raise invalid("created_at", "notDate", "created_at must be an ISO 8601 date and time.")
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def find_brand(account: Account, brand_id: Any) -> Brand:
    if brand_id in (None, ""):
        brand = account.brands.order_by("id").first()
    else:
        brand = account.brands.filter(id=_int(brand_id, "brand_id")).first()
    if brand is None:
        raise ApiError(404, f"No brand {brand_id} in this account.")
    return brand


def _int(value: Any, field: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise invalid(field, "notDigits", f"{field} must be a whole number.") from None


def _events(brand: Brand, event_id: Any) -> list[Event]:
    events = list(brand.events.order_by("id"))
    if event_id not in (None, ""):
        events = [e for e in events if e.id == _int(event_id, "event_id")]
        if not events:
            raise ApiError(404, f"No event {event_id} in brand {brand.id}.")
    if not events:
        raise invalid("event_id", "isEmpty", "The brand has no events.")
    return events


def _payments(data: dict, currency: str) -> list[orders.PaymentInput] | None:
    if data.get("amount_paid") is None:
        return None
    amount = _money(data["amount_paid"], currency, "amount_paid")
    return [orders.PaymentInput(amount)] if amount else []


def _overrides(req: orders.OrderRequest, data: dict, rng: random.Random) -> None:
    currency = req.currency
    if data.get("client") is not None:
        client = parse_client(data["client"])
        req.customer_name, req.customer_email = client["name"], client["email"]
        req.customer_phone = client["phone"]
        if client["address"] is not None:
            req.billing_address = client["address"]
    if data.get("items") is not None:
        if not isinstance(data["items"], list):
            raise invalid("items", "notArray", "items must be a list.")
        req.lines = [parse_item(raw, currency, n, rng) for n, raw in enumerate(data["items"])]
        req.adjustment = 0  # explicit items: no random coupon unless it is explicit too
        # ... and paid in full unless payments are explicit too: a random deposit was
        # figured on the random lines and could exceed these (a 400, 3 % of the time).
        req.payments = None
    for key in ("adjustment", "shipping"):
        if data.get(key) is not None:
            setattr(req, key, _money(data[key], currency, key))
    if data.get("tax_rate") is not None:
        try:
            req.tax_rate = Decimal(str(data["tax_rate"]))
        except InvalidOperation:
            raise invalid("tax_rate", "notNumber", "tax_rate must be a number.") from None
    if "shipping_address" in data:
        req.shipping_address = data["shipping_address"]
    payments = _payments(data, currency)
    if payments is not None:
        req.payments = payments
    if data.get("created_at"):
        req.created_at = _created_at(str(data["created_at"]))


def build_requests(account: Account, data: dict) -> list[orders.OrderRequest]:
    """``count`` random orders (seeded), each with the explicit fields of ``data``."""
    count = _int(data.get("count", 1), "count")
    if not 1 <= count <= 500:
        raise invalid("count", "notBetween", "count must be from 1 to 500.")
    brand = find_brand(account, data.get("brand_id"))
    events = _events(brand, data.get("event_id"))
    currency = str(data.get("currency") or brand.currency).upper()
    if currency not in money.CURRENCIES:
        raise invalid("currency", "notInArray", f"currency must be one of {money.CURRENCIES}.")
    rng = random.Random(data.get("seed"))
    requests = []
    for _ in range(count):
        req = generator.random_request(rng.choice(events), rng, currency)
        _overrides(req, data, rng)
        requests.append(req)
    return requests
