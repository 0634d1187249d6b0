"""Stored values of a gallery order and its deliveries, as a photographer reads them:
{{ order.status|order_status }}, {{ order.payment_status|payment_status }},
{{ line.kind|line_kind }}, {{ delivery.event_type|delivery_event }}."""

from __future__ import annotations

from django import template

from galleries.schema import LINE_KIND_LABELS, ORDER_STATUS_LABELS, PAYMENT_STATUS_LABELS

register = template.Library()

DELIVERY_EVENTS = {
    "order.created": "Order placed",
    "order.updated": "Order changed",
    "order.paid": "Order paid",
    "order.refunded": "Refund",
    "order.cancelled": "Cancelled",
    "order.deleted": "Deleted at the gallery",
    "poll": "Found by polling",
    "push": "Sent to Cyan",
}


def _words(value: object, labels: dict[str, str]) -> str:
    text = str(value or "")
    return labels.get(text) or text.replace("_", " ").replace(".", " ").capitalize()


@register.filter
def order_status(value: object) -> str:
    return _words(value, ORDER_STATUS_LABELS)


@register.filter
def payment_status(value: object) -> str:
    return _words(value, PAYMENT_STATUS_LABELS)


@register.filter
def line_kind(value: object) -> str:
    return _words(value, LINE_KIND_LABELS)


@register.filter
def delivery_event(value: object) -> str:
    return _words(value, DELIVERY_EVENTS)
