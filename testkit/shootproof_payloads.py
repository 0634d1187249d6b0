"""ShootProof order documents for tests (docs/shootproof-standin.md's ORDER, ITEM and
PAYMENT), built from integer minor units so a test knows every expected amount, with
ShootProof's own arithmetic: item total = unitPrice × quantity − discount; total =
subtotal − adjustment + shipping + tax; balanceDue = total − amountPaid + amountRefunded.
The document is what the connector's poll assembles: {"order", "items", "payments"}."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from core.money import currency_exponent

PRODUCT_TYPES = ["print", "digital", "album", "wall-art", "package", "product"]


def number(minor: int, currency: str) -> int | float:
    """`minor` units as the JSON number ShootProof sends (JPY whole, USD 2 places…)."""
    exponent = currency_exponent(currency)
    if exponent == 0:
        return minor
    return float(Decimal(minor).scaleb(-exponent))


def order_document(
    *,
    order_id: int = 5003001,
    currency: str = "USD",
    items: list[dict[str, Any]] | None = None,
    adjustment: int = 1000,
    shipping: int = 850,
    tax: int = 904,
    payments: list[int] | None = None,
    refunds: list[int] | None = None,
    customer_name: str = "Mary Ann van der Berg",
    customer_email: str = "maryann@example.com",
    status: str = "open",
    updated_at: str = "2026-06-20T10:15:00+00:00",
) -> dict[str, Any]:
    """A consistent document; `items` are {"type", "name", "quantity", "unit",
    "discount"} in minor units; payments default to one paying the total."""
    items = items or [
        {"type": "print", "name": "8x10 Print", "quantity": 2, "unit": 2500, "discount": 0},
        {"type": "digital", "name": "Digital Download", "quantity": 1, "unit": 7000,
         "discount": 0},
    ]  # fmt: skip
    n = lambda minor: number(minor, currency)  # noqa: E731
    rows, subtotal = [], 0
    for index, item in enumerate(items):
        total = item["quantity"] * item["unit"] - item["discount"]
        subtotal += total
        rows.append(
            {"type": "order-item", "id": 77001 + index, "productType": item["type"],
             "name": item["name"], "photoName": f"IMG_{420 + index}.jpg",
             "options": {"finish": "Lustre"} if item["type"] == "print" else {},
             "quantity": item["quantity"], "unitPrice": n(item["unit"]),
             "discount": n(item["discount"]), "total": n(total)}
        )  # fmt: skip
    total = subtotal - adjustment + shipping + tax
    paid_list = [total] if payments is None else payments
    refund_list = refunds or []
    paid, refunded = sum(paid_list), sum(refund_list)
    payment_rows = [
        {"type": "order-payment", "id": 88001 + i, "kind": "payment", "amount": n(a),
         "method": "card", "reason": "", "createdAt": "2026-06-20T10:00:00+00:00"}
        for i, a in enumerate(paid_list)
    ] + [
        {"type": "order-payment", "id": 88101 + i, "kind": "refund", "amount": n(a),
         "method": "card", "reason": "damaged print", "createdAt": "2026-06-21T09:00:00+00:00"}
        for i, a in enumerate(refund_list)
    ]  # fmt: skip
    href = f"/studio/brand/1201/order/{order_id}"
    order = {
        "type": "order", "id": order_id, "orderNumber": str(order_id), "eventId": 301,
        "eventName": "Smith Wedding", "eventDate": "2026-06-14", "status": status,
        "paymentStatus": _payment_status(total, paid, refunded),
        "customerName": customer_name, "customerEmail": customer_email,
        "customerPhone": "+1 555 0100",
        "billingAddress": {"address1": "1 Main St", "address2": "", "city": "Athens",
                           "state": "GA", "postal": "30601", "country": "US"},
        "shippingAddress": None, "currencyCode": currency,
        "subtotal": n(subtotal), "adjustment": n(adjustment), "shipping": n(shipping),
        "tax": n(tax), "total": n(total), "amountPaid": n(paid), "amountRefunded": n(refunded),
        "balanceDue": n(total - paid + refunded) if total - paid + refunded >= 0 else 0,
        "createdAt": "2026-06-20T10:00:00+00:00", "updatedAt": updated_at, "cancelledAt": None,
        "links": {"self": {"href": href, "templated": False},
                  "items": {"href": f"{href}/item", "templated": False},
                  "payments": {"href": f"{href}/payment", "templated": False}},
    }  # fmt: skip
    return {"order": order, "items": rows, "payments": payment_rows}


def _payment_status(total: int, paid: int, refunded: int) -> str:
    if refunded and refunded >= paid:
        return "refunded"
    if refunded:
        return "partially-refunded"
    if paid == 0:
        return "unpaid"
    return "paid" if paid >= total else "partially-paid"


CURRENCIES = ["USD", "EUR", "GBP", "JPY", "BHD", "KWD", "AUD", "CHF", "ISK", "CLP"]


@st.composite
def valid_documents(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """(document, the minor-unit figures it was built from) for any currency."""
    currency = draw(st.sampled_from(CURRENCIES))
    items = []
    for i in range(draw(st.integers(min_value=1, max_value=5))):
        quantity = draw(st.integers(min_value=1, max_value=20))
        unit = draw(st.integers(min_value=0, max_value=2_000_000))
        discount = draw(st.integers(min_value=0, max_value=quantity * unit))
        kind = draw(st.sampled_from(PRODUCT_TYPES))
        items.append(
            {"type": kind, "name": f"Item {i}", "quantity": quantity, "unit": unit,
             "discount": discount}
        )  # fmt: skip
    subtotal = sum(it["quantity"] * it["unit"] - it["discount"] for it in items)
    adjustment = draw(st.integers(min_value=0, max_value=subtotal))
    shipping = draw(st.integers(min_value=0, max_value=50_000))
    tax = draw(st.integers(min_value=0, max_value=500_000))
    total = subtotal - adjustment + shipping + tax
    payments = draw(st.lists(st.integers(min_value=1, max_value=max(total, 1)), max_size=3))
    paid = sum(payments)
    refunds = []
    left = min(paid, total)
    for _ in range(draw(st.integers(min_value=0, max_value=2))):
        if left < 1:
            break
        amount = draw(st.integers(min_value=1, max_value=left))
        refunds.append(amount)
        left -= amount
    figures = {
        "currency": currency, "items": items, "subtotal": subtotal, "adjustment": adjustment,
        "shipping": shipping, "tax": tax, "total": total, "paid": paid, "refunds": refunds,
    }  # fmt: skip
    document = order_document(
        currency=currency, items=items, adjustment=adjustment, shipping=shipping, tax=tax,
        payments=payments, refunds=refunds,
    )  # fmt: skip
    return document, figures
