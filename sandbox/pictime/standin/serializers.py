"""JSON shapes of the API, the control API and the webhook payloads."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from . import money
from .models import Account, Delivery, DeliveryAttempt, Gallery, Order, OrderItem, WebhookEndpoint


def iso(moment: datetime | None) -> str | None:
    """UTC ISO 8601 with microseconds and a Z: sortable and exact enough for cursors."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def account_json(account: Account) -> dict[str, Any]:
    return {
        "id": account.public_id,
        "name": account.name,
        "email": account.email,
        "currency": account.currency,
        "country": account.country,
    }


def gallery_json(gallery: Gallery) -> dict[str, Any]:
    return {
        "id": gallery.public_id,
        "name": gallery.name,
        "url": gallery.url,
        "event_date": gallery.event_date.isoformat(),
        "currency": gallery.effective_currency,
        "created_at": iso(gallery.created_at),
    }


def item_json(item: OrderItem, currency: str) -> dict[str, Any]:
    def m(minor: int) -> str:
        return money.to_str(minor, currency)

    return {
        "id": item.public_id,
        "kind": item.kind,
        "sku": item.sku or None,
        "product": item.product,
        "options": item.options,
        "quantity": item.quantity,
        "unit_price": m(item.unit_price_minor),
        "discount": m(item.discount_minor),
        "tax": m(item.tax_minor),
        "total": m(item.total_minor),
        "digital": item.digital,
    }


def _codes(order: Order, scope: str) -> list[dict[str, str]]:
    """``promotions``: codes spread over the items (already in items[].discount);
    ``discounts``: order-level reductions such as gift cards (taken off the total)."""
    return [
        {
            "code": d["code"],
            "description": d["description"],
            "amount": money.to_str(d["amount_minor"], order.currency),
        }
        for d in order.discounts
        if d["scope"] == scope
    ]


def order_json(order: Order) -> dict[str, Any]:
    cur = order.currency

    def m(minor: int) -> str:
        return money.to_str(minor, cur)

    gallery = order.gallery
    return {
        "id": order.public_id,
        "number": order.number,
        "account_id": order.account.public_id,
        "gallery": {
            "id": gallery.public_id,
            "name": gallery.name,
            "url": gallery.url,
            "event_date": gallery.event_date.isoformat(),
        },
        "client": order.client,
        "billing_address": order.billing_address,
        "shipping_address": order.shipping_address,
        "currency": cur,
        "items": [item_json(item, cur) for item in order.items.all()],
        "promotions": _codes(order, "items"),
        "discounts": _codes(order, "order"),
        "shipping": {"method": order.shipping_method, "amount": m(order.shipping_minor)},
        "tax": {
            "amount": m(order.tax_minor),
            "rate": f"{order.tax_rate:.2f}",
            "included_in_prices": order.tax_included,
        },
        "subtotal": m(order.subtotal_minor),
        "total": m(order.total_minor),
        "amount_paid": m(order.amount_paid_minor),
        "amount_refunded": m(order.amount_refunded_minor),
        "refunds": [
            {
                "id": r.public_id,
                "amount": m(r.amount_minor),
                "reason": r.reason,
                "created_at": iso(r.created_at),
            }
            for r in order.refunds.all()
        ],
        "fees": {"platform_fee": m(order.platform_fee_minor), "lab_cost": m(order.lab_cost_minor)},
        "payment_collected_by": order.payment_collected_by,
        "status": order.status,
        "payment_status": order.payment_status,
        "created_at": iso(order.created_at),
        "updated_at": iso(order.updated_at),
    }


def endpoint_json(endpoint: WebhookEndpoint, *, with_secret: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": endpoint.public_id,
        "url": endpoint.url,
        "created_at": iso(endpoint.created_at),
    }
    if with_secret:
        data["secret"] = endpoint.secret
    return data


def attempt_json(attempt: DeliveryAttempt) -> dict[str, Any]:
    return {
        "number": attempt.number,
        "at": iso(attempt.started_at),
        "outcome": attempt.outcome,
        "status_code": attempt.status_code,
        "error": attempt.error or None,
        "duration_ms": attempt.duration_ms,
        "duplicate": attempt.duplicate,
    }


def delivery_json(delivery: Delivery) -> dict[str, Any]:
    return {
        "id": delivery.msg_id,
        "event_type": delivery.event_type,
        "account_email": delivery.account.email,
        "endpoint": {"id": delivery.endpoint.public_id, "url": delivery.endpoint.url},
        "order_id": delivery.order.public_id if delivery.order else None,
        "status": delivery.status,
        "attempt_count": delivery.attempt_count,
        "next_attempt_at": iso(delivery.next_attempt_at)
        if delivery.status == Delivery.Status.PENDING
        else None,
        "created_at": iso(delivery.created_at),
        "finished_at": iso(delivery.finished_at),
        "attempts": [attempt_json(a) for a in delivery.attempts.all()],
    }
