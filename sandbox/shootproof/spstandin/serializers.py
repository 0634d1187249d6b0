"""JSON shapes of the /studio API: every resource has ``type`` and ``links``; lists have
``items``, ``meta`` (paging) and ``links``."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from . import money
from .http import MEDIA_TYPE
from .models import Brand, Event, Notification, Order, OrderItem, Payment


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 with an offset (UTC) and microseconds, so ``updatedAt`` moves visibly."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def link(href: str, templated: bool = False) -> dict[str, Any]:
    return {"href": href, "templated": templated, "type": MEDIA_TYPE}


def brand_path(brand_id: int) -> str:
    return f"/studio/brand/{brand_id}"


def order_path(order: Order) -> str:
    return f"{brand_path(order.brand_id)}/order/{order.id}"


def brand_json(brand: Brand) -> dict[str, Any]:
    base = brand_path(brand.id)
    return {
        "type": "brand",
        "id": brand.id,
        "name": brand.name,
        "email": brand.email,
        "currencyCode": brand.currency,
        "links": {
            "self": link(base),
            "event": link(f"{base}/event{{/id}}", templated=True),
            "order": link(f"{base}/order{{/id}}", templated=True),
            "notification": link(f"{base}/notification"),
        },
    }


def event_json(event: Event) -> dict[str, Any]:
    base = f"{brand_path(event.brand_id)}/event/{event.id}"
    return {
        "type": "event",
        "id": event.id,
        "name": event.name,
        "eventDate": event.event_date.isoformat() if event.event_date else None,
        "created": iso(event.created_at),
        "links": {"self": link(base), "brand": link(brand_path(event.brand_id))},
    }


def _m(minor: int, currency: str) -> int | float:
    return money.to_number(minor, currency)


def order_json(order: Order) -> dict[str, Any]:
    c = order.currency
    base = order_path(order)
    return {
        "type": "order",
        "id": order.id,
        "orderNumber": str(order.id),
        "eventId": order.event_id,
        "eventName": order.event.name,
        "eventDate": order.event.event_date.isoformat() if order.event.event_date else None,
        "status": order.status,
        "paymentStatus": order.payment_status,
        "customerName": order.customer_name,
        "customerEmail": order.customer_email,
        "customerPhone": order.customer_phone,
        "billingAddress": order.billing_address,
        "shippingAddress": order.shipping_address,
        "currencyCode": c,
        "subtotal": _m(order.subtotal_minor, c),
        "adjustment": _m(order.adjustment_minor, c),
        "shipping": _m(order.shipping_minor, c),
        "tax": _m(order.tax_minor, c),
        "total": _m(order.total_minor, c),
        "amountPaid": _m(order.amount_paid_minor, c),
        "amountRefunded": _m(order.amount_refunded_minor, c),
        "balanceDue": _m(order.balance_due_minor, c),
        "createdAt": iso(order.created_at),
        "updatedAt": iso(order.updated_at),
        "cancelledAt": iso(order.cancelled_at),
        "links": {
            "self": link(base),
            "items": link(f"{base}/item"),
            "payments": link(f"{base}/payment"),
            "event": link(f"{brand_path(order.brand_id)}/event/{order.event_id}"),
        },
    }


def item_json(item: OrderItem, currency: str) -> dict[str, Any]:
    return {
        "type": "order-item",
        "id": item.id,
        "productType": item.product_type,
        "name": item.name,
        "photoName": item.photo_name,
        "options": item.options,
        "quantity": item.quantity,
        "unitPrice": _m(item.unit_price_minor, currency),
        "discount": _m(item.discount_minor, currency),
        "total": _m(item.total_minor, currency),
    }


def payment_json(payment: Payment, currency: str) -> dict[str, Any]:
    return {
        "type": "order-payment",
        "id": payment.id,
        "kind": payment.kind,
        "amount": _m(payment.amount_minor, currency),
        "method": payment.method,
        "reason": payment.reason,
        "createdAt": iso(payment.created_at),
    }


def notification_json(note: Notification) -> dict[str, Any]:
    base = f"{brand_path(note.brand_id)}/notification/{note.id}"
    return {
        "type": "notification",
        "id": note.id,
        "notificationType": note.notification_type,
        "orderId": note.order_id,
        "message": note.message,
        "dismissed": note.dismissed,
        "createdAt": iso(note.created_at),
        "links": {"self": link(base), "dismiss": link(f"{base}/dismiss")},
    }
