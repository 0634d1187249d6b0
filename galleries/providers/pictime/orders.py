"""Maps Pic-Time's order JSON (docs/pictime-standin.md) into the normalized GalleryOrder."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from core.money import MoneyError, to_minor
from galleries.providers.base import OrderMappingError
from galleries.schema import GalleryOrder, describe_errors

__all__ = ["OrderMappingError", "map_order"]

PROVIDER = "pictime"
LINE_KINDS = {"print", "album", "wall_art", "digital", "package"}
ORDER_STATUSES = {
    "placed": "placed",
    "in_production": "processing",
    "processing": "processing",
    "shipped": "shipped",
    "delivered": "completed",
    "completed": "completed",
    "cancelled": "cancelled",
    "canceled": "cancelled",
}
PAYMENT_STATUSES = {
    "unpaid": "unpaid",
    "pending": "unpaid",
    "partially_paid": "partially_paid",
    "paid": "paid",
    "partially_refunded": "partially_refunded",
    "refunded": "refunded",
}
COLLECTED_BY = {"pictime": "provider", "photographer": "studio"}


def map_order(payload: Mapping[str, Any]) -> GalleryOrder:
    try:
        return GalleryOrder.model_validate(_normalized_fields(payload))
    except ValidationError as exc:
        raise OrderMappingError(describe_errors(exc)) from exc
    except MoneyError as exc:
        raise OrderMappingError(str(exc)) from exc
    except (KeyError, TypeError, AttributeError, ValueError, ArithmeticError) as exc:
        # Any shape a provider can send ends here, never as a server error.
        raise OrderMappingError(f"missing or malformed field: {exc!r}"[:500]) from exc


def _normalized_fields(order: Mapping[str, Any]) -> dict[str, Any]:
    currency = order["currency"]

    def minor(value: Any) -> int:
        return to_minor(value if value not in (None, "") else "0", currency)

    tax = order.get("tax") or {}
    shipping = order.get("shipping") or {}
    fees = order.get("fees") or None
    return {
        "provider": PROVIDER,
        "account_id": order["account_id"],
        "order_id": order["id"],
        "order_number": order.get("number") or "",
        "gallery": _gallery(order.get("gallery")),
        "customer": _customer(order),
        "currency": currency,
        "prices_include_tax": bool(tax.get("included_in_prices", False)),
        "lines": [_line(item, minor) for item in order["items"]],
        "discounts": [_discount(d, minor) for d in order.get("discounts") or []],
        "promotions": [_discount(p, minor) for p in order.get("promotions") or []],
        "shipping_method": shipping.get("method") or "",
        "shipping_minor": minor(shipping.get("amount")),
        "tax_minor": minor(tax.get("amount")),
        "subtotal_minor": minor(order["subtotal"]),
        "total_minor": minor(order["total"]),
        "amount_paid_minor": minor(order.get("amount_paid")),
        "refunds": [
            {
                "id": r["id"],
                "amount_minor": minor(r["amount"]),
                "reason": r.get("reason") or "",
                "refunded_at": r["created_at"],
            }
            for r in order.get("refunds") or []
        ],
        "fees": None
        if fees is None
        else {
            "platform_fee_minor": _optional_minor(fees.get("platform_fee"), minor),
            "lab_cost_minor": _optional_minor(fees.get("lab_cost"), minor),
        },
        "payment_collected_by": COLLECTED_BY.get(order.get("payment_collected_by"), "studio"),
        "status": ORDER_STATUSES.get(order.get("status", "placed"), "placed"),
        "status_raw": order.get("status") or "",
        "payment_status": PAYMENT_STATUSES.get(order.get("payment_status", "paid"), "paid"),
        "payment_status_raw": order.get("payment_status") or "",
        "placed_at": order["created_at"],
        "updated_at": order["updated_at"],
    }


def _discount(discount: Mapping[str, Any], minor: Any) -> dict[str, Any]:
    return {
        "code": discount.get("code") or "",
        "description": discount.get("description") or "",
        "amount_minor": minor(discount["amount"]),
    }


def _optional_minor(value: Any, minor: Any) -> int | None:
    return None if value in (None, "") else minor(value)


def _gallery(gallery: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if not gallery:
        return None
    return {
        "id": gallery["id"],
        "name": gallery.get("name") or "",
        "url": gallery.get("url") or "",
        "event_date": gallery.get("event_date") or None,
    }


def _customer(order: Mapping[str, Any]) -> dict[str, Any]:
    client = order["client"]
    return {
        "first_name": client.get("first_name") or "",
        "last_name": client.get("last_name") or "",
        "email": client.get("email") or "",
        "phone": client.get("phone") or "",
        "billing_address": _address(order.get("billing_address")),
        "shipping_address": _address(order.get("shipping_address")),
    }


def _address(address: Mapping[str, Any] | None) -> dict[str, str] | None:
    if not address:
        return None
    keys = ("line1", "line2", "city", "region", "postcode", "country")
    return {key: str(address.get(key) or "") for key in keys}


def _line(item: Mapping[str, Any], minor: Any) -> dict[str, Any]:
    kind = item.get("kind") or "product"
    return {
        "id": item.get("id") or "",
        "sku": item.get("sku") or "",
        "kind": kind if kind in LINE_KINDS else "product",
        "name": item["product"],
        "options": {str(k): str(v) for k, v in (item.get("options") or {}).items()},
        "quantity": item["quantity"],
        "unit_price_minor": minor(item["unit_price"]),
        "discount_minor": minor(item.get("discount")),
        "tax_minor": minor(item.get("tax")),
        "total_minor": minor(item["total"]),
        "digital": bool(item.get("digital", kind == "digital")),
    }
