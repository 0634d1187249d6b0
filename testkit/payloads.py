"""Pic-Time order JSON (the stand-in's shape, docs/pictime-standin.md) for tests, with
totals computed the way Pic-Time computes them, and webhook deliveries signed the way the
stand-in signs them (Standard Webhooks)."""

from __future__ import annotations

import base64
import json
import os
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st
from standardwebhooks.webhooks import Webhook

from core.money import from_minor

WEBHOOK_SECRET = "whsec_" + base64.b64encode(b"cyan-test-webhook-secret-0123456").decode()


def signed_headers(body: str, *, secret: str = WEBHOOK_SECRET, msg_id: str | None = None,
                   timestamp: datetime | None = None) -> dict[str, str]:  # fmt: skip
    """The headers of a webhook delivery of `body`, signed with `secret`."""
    msg_id = msg_id or f"msg_{os.urandom(6).hex()}"
    timestamp = timestamp or datetime.now(UTC)
    signature = Webhook(secret).sign(msg_id=msg_id, timestamp=timestamp, data=body)
    return {
        "HTTP_WEBHOOK_ID": msg_id,
        "HTTP_WEBHOOK_TIMESTAMP": str(int(timestamp.timestamp())),
        "HTTP_WEBHOOK_SIGNATURE": signature,
    }


def event_body(order: dict, event: str = "order.created") -> str:
    """A webhook event carrying `order`, as the stand-in sends it."""
    return json.dumps(
        {"type": event, "timestamp": "2026-05-01T10:00:00Z",
         "data": {"account_id": order["account_id"], "order": order}}
    )  # fmt: skip


def amount(minor: int, currency: str) -> str:
    return str(from_minor(minor, currency))


def order_json(
    *,
    order_id: str = "ord_1001",
    account_id: str = "acc_demo",
    currency: str = "USD",
    items: list[dict[str, int | str]] | None = None,
    shipping: int = 900,
    discount: int = 0,
    refunds: list[int] | None = None,
    tax_included: bool = False,
    updated_at: str = "2026-05-02T10:00:00Z",
    status: str = "placed",
    first_name: str = "Ada",
    last_name: str = "Lovelace",
    email: str = "ada@example.com",
) -> dict[str, Any]:
    """A consistent order: every total is derived from the (minor-unit) inputs."""
    items = items or [
        {"kind": "print", "product": "Fine Art Print 8x10", "quantity": 2, "unit": 2500,
         "discount": 500, "tax": 360},
        {"kind": "digital", "product": "Full-resolution download", "quantity": 1, "unit": 1500,
         "discount": 0, "tax": 0},
    ]  # fmt: skip
    lines, subtotal, tax_total = [], 0, 0
    for index, item in enumerate(items):
        gross = int(item["quantity"]) * int(item["unit"]) - int(item["discount"])
        total = gross if tax_included else gross + int(item["tax"])
        subtotal += gross
        tax_total += int(item["tax"])
        lines.append(
            {
                "id": f"itm_{index}",
                "kind": item["kind"],
                "product": item["product"],
                "options": {"size": "8x10", "paper": "lustre"} if item["kind"] == "print" else {},
                "quantity": item["quantity"],
                "unit_price": amount(int(item["unit"]), currency),
                "discount": amount(int(item["discount"]), currency),
                "tax": amount(int(item["tax"]), currency),
                "total": amount(total, currency),
                "digital": item["kind"] == "digital",
            }
        )
    total = subtotal + (0 if tax_included else tax_total) + shipping - discount
    refund_rows = [
        {"id": f"ref_{i}", "amount": amount(r, currency), "reason": "damaged print",
         "created_at": "2026-05-03T09:00:00Z"}
        for i, r in enumerate(refunds or [])
    ]  # fmt: skip
    return {
        "id": order_id,
        "number": f"PT-{order_id[-4:]}",
        "account_id": account_id,
        "gallery": {"id": "gal_smith", "name": "Smith Wedding", "url": "http://127.0.0.1:8001/g/smith",
                    "event_date": "2026-04-18"},
        "client": {"first_name": first_name, "last_name": last_name, "email": email,
                   "phone": "+44 20 7946 0958"},
        "billing_address": {"line1": "1 High St", "line2": "", "city": "London", "region": "",
                            "postcode": "N1 9GU", "country": "GB"},
        "shipping_address": None,
        "currency": currency,
        "items": lines,
        "discounts": [{"code": "SPRING", "description": "Spring offer",
                       "amount": amount(discount, currency)}] if discount else [],
        "shipping": {"method": "Standard", "amount": amount(shipping, currency)},
        "tax": {"amount": amount(tax_total, currency), "rate": "8.00",
                "included_in_prices": tax_included},
        "subtotal": amount(subtotal, currency),
        "total": amount(total, currency),
        "amount_paid": amount(total, currency),
        "refunds": refund_rows,
        "fees": {"platform_fee": amount(total // 10, currency), "lab_cost": None},
        "payment_collected_by": "pictime",
        "status": status,
        "payment_status": "partially_refunded" if refunds else "paid",
        "created_at": "2026-05-01T10:00:00Z",
        "updated_at": updated_at,
    }  # fmt: skip


KINDS = ["print", "album", "wall_art", "digital", "package"]


@st.composite
def random_orders(draw: st.DrawFn) -> dict[str, Any]:
    currency = draw(st.sampled_from(["USD", "EUR", "GBP", "JPY", "BHD", "AUD"]))
    n = draw(st.integers(min_value=1, max_value=6))
    tax_included = draw(st.booleans())
    items = []
    for i in range(n):
        quantity = draw(st.integers(min_value=1, max_value=50))
        unit = draw(st.integers(min_value=0, max_value=500_000))
        discount = draw(st.integers(min_value=0, max_value=quantity * unit))
        # Tax included in the price is part of it, so never more than the price.
        most_tax = quantity * unit - discount if tax_included else 100_000
        tax = draw(st.integers(min_value=0, max_value=min(most_tax, 100_000)))
        kind = draw(st.sampled_from(KINDS))
        items.append(
            {"kind": kind, "product": f"Product {i}", "quantity": quantity, "unit": unit,
             "discount": discount, "tax": tax}
        )  # fmt: skip
    shipping = draw(st.integers(min_value=0, max_value=10_000))
    subtotal = sum(int(it["quantity"]) * int(it["unit"]) - int(it["discount"]) for it in items)
    discount = draw(st.integers(min_value=0, max_value=subtotal))
    name = draw(st.sampled_from(["Zoë", "José", "Łucja", "山田", "Иван", "محمد", "Ng"]))
    return order_json(
        order_id=f"ord_{draw(st.integers(min_value=1000, max_value=99999))}",
        currency=currency,
        items=items,
        shipping=shipping,
        discount=discount,
        tax_included=tax_included,
        first_name=name,
    )


def as_minor(value: str, currency: str) -> int:
    from core.money import to_minor

    return to_minor(Decimal(value), currency)


def normalized(**order_fields: Any) -> dict:
    """order_json mapped to Cyan's normalised order, as a push provider sends it to
    POST /api/v1/inbox/orders."""
    from galleries.providers.pictime.orders import map_order

    order = map_order(order_json(**order_fields)).model_dump(mode="json")
    order["provider"] = "theimagefile"
    return order
