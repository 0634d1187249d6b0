"""Maps a polled ShootProof order into the normalized GalleryOrder (docs/gallery-order.md).

The document mapped is what `poll` assembles: `{"order": ORDER, "items": [ITEM…],
"payments": [PAYMENT…]}` (docs/shootproof-standin.md), plus `"deleted": {"at", …}` when
ShootProof reported the order deleted (GalleryOrder has no "deleted" status: a deleted
order is mapped as cancelled with status_raw "deleted").

Amounts are JSON numbers in the currency's major unit; each becomes integer minor units
with the currency's exponent, and anything that is not exactly that (10.005 USD, 1.5 JPY,
negative, NaN, true, "12") is refused with OrderMappingError naming the field, never
rounded. ShootProof's own totals are checked before the schema's, so a refusal says which
of ShootProof's figures disagree.
"""

from __future__ import annotations

import hashlib
import json
import math
import unicodedata
from collections import Counter
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from nameparser import HumanName
from pydantic import ValidationError

from core import limits
from core.money import MoneyError, from_minor, normalize_currency, to_minor
from galleries.providers.base import OrderMappingError
from galleries.schema import GalleryOrder, describe_errors

PROVIDER = "shootproof"
LINE_KINDS = {
    "print": "print",
    "digital": "digital",
    "album": "album",
    "wall-art": "wall_art",
    "package": "package",
    "product": "product",
}
ORDER_STATUSES = {
    "open": "placed",
    "processing": "processing",
    "shipped": "shipped",
    "completed": "completed",
    "cancelled": "cancelled",
}
PAYMENT_STATUSES = {
    "unpaid": "unpaid",
    "partially-paid": "partially_paid",
    "paid": "paid",
    "partially-refunded": "partially_refunded",
    "refunded": "refunded",
}
DELETED = "deleted"


def map_order(raw: Mapping[str, Any], *, account_id: str) -> GalleryOrder:
    """The GalleryOrder for a polled document, or OrderMappingError saying why not."""
    try:
        return GalleryOrder.model_validate(_fields(raw, account_id))
    except OrderMappingError:
        raise
    except ValidationError as exc:
        raise OrderMappingError(describe_errors(exc)) from exc
    except MoneyError as exc:
        raise OrderMappingError(str(exc)) from exc
    except (KeyError, TypeError, AttributeError, ValueError, ArithmeticError) as exc:
        # Any shape ShootProof can send ends here, never as a server error.
        raise OrderMappingError(f"missing or malformed field: {exc!r}"[:500]) from exc


def order_id_of(raw: Any) -> str:
    """The ShootProof order id of a polled document; "" when there is none."""
    if not isinstance(raw, Mapping):
        return ""
    order = raw.get("order")
    if isinstance(order, Mapping) and _is_id(order.get("id")):
        return str(order["id"])
    deleted = raw.get("deleted")
    if isinstance(deleted, Mapping) and _is_id(deleted.get("orderId")):
        return str(deleted["orderId"])
    return ""


def _is_id(value: Any) -> bool:
    """An id a column can keep: ShootProof's ids are integers (strings accepted)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return True
    return (
        isinstance(value, str)
        and value.strip() != ""
        and len(value) <= limits.ORDER_ID
        and not limits.forbidden_characters(value)
    )


class Amounts:
    """Decimal JSON numbers → minor units of one currency, refusing what does not fit."""

    def __init__(self, currency: Any) -> None:
        if not isinstance(currency, str):
            raise OrderMappingError(f"order.currencyCode: {currency!r} is not a currency code")
        try:
            self.currency = normalize_currency(currency)
        except MoneyError as exc:
            raise OrderMappingError(f"order.currencyCode: {exc}") from exc

    def __call__(self, value: Any, where: str, *, optional: bool = False) -> int:
        if value is None and optional:
            return 0
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise OrderMappingError(f"{where}: {value!r} is not a JSON number")
        if isinstance(value, float) and not math.isfinite(value):
            raise OrderMappingError(f"{where}: {value!r} is not an amount")
        if value < 0:
            raise OrderMappingError(f"{where}: {value!r} is negative")
        # repr() of a float is the shortest text that reads back as it: the JSON literal.
        try:
            return to_minor(Decimal(repr(value)), self.currency)
        except MoneyError as exc:
            raise OrderMappingError(f"{where}: {exc}") from exc


def _fields(raw: Mapping[str, Any], account_id: str) -> dict[str, Any]:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("order"), Mapping):
        if isinstance(raw, Mapping) and isinstance(raw.get("deleted"), Mapping):
            raise OrderMappingError(
                f"ShootProof deleted order {order_id_of(raw) or '?'} and Cyan kept no earlier"
                " version of it to mark cancelled"
            )
        raise OrderMappingError("not a ShootProof order document (no `order` object)")
    order = raw["order"]
    minor = Amounts(order.get("currencyCode"))
    items = raw.get("items")
    if not isinstance(items, list) or not items:
        raise OrderMappingError("items: a ShootProof order needs at least one item")
    payments = raw.get("payments") or []
    if not isinstance(payments, list):
        raise OrderMappingError("payments: not a list")
    lines = [_line(item, index, minor) for index, item in enumerate(items)]
    totals = _check_totals(order, lines, minor)
    _allocate_tax(lines, totals["tax"])
    paid, refunds = _payments(order, payments, minor)
    status_raw = str(order.get("status") or "")
    fields = {
        "provider": PROVIDER,
        "account_id": account_id,
        "order_id": _order_id(order),
        "order_number": str(order.get("orderNumber") or ""),
        "gallery": _gallery(order),
        "customer": _customer(order),
        "currency": minor.currency,
        "lines": lines,
        "discounts": _discounts(totals["adjustment"]),
        "shipping_minor": totals["shipping"],
        "tax_minor": totals["tax"],
        "subtotal_minor": totals["subtotal"],
        "total_minor": totals["total"],
        "amount_paid_minor": paid,
        "refunds": refunds,
        "payment_collected_by": "studio",  # through the studio's own processor
        "status": ORDER_STATUSES.get(status_raw, "placed"),
        "status_raw": status_raw,
        "payment_status": PAYMENT_STATUSES.get(order.get("paymentStatus"), "unpaid"),
        "payment_status_raw": str(order.get("paymentStatus") or ""),
        "placed_at": order["createdAt"],
        "updated_at": order["updatedAt"],
    }
    deleted = raw.get("deleted")
    if isinstance(deleted, Mapping):
        # Deleted at ShootProof: kept as cancelled; this version is dated at the deletion.
        fields.update(status="cancelled", status_raw=DELETED, updated_at=deleted["at"])
    return fields


def _order_id(order: Mapping[str, Any]) -> str:
    if not _is_id(order.get("id")):
        raise OrderMappingError(f"order.id: {order.get('id')!r} is not an order id")
    return str(order["id"])


def _line(item: Any, index: int, minor: Amounts) -> dict[str, Any]:
    where = f"items[{index}]"
    if not isinstance(item, Mapping):
        raise OrderMappingError(f"{where}: not an object")
    quantity = item.get("quantity")
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        raise OrderMappingError(f"{where}.quantity: {quantity!r} is not a whole number")
    unit = minor(item.get("unitPrice"), f"{where}.unitPrice")
    discount = minor(item.get("discount"), f"{where}.discount", optional=True)
    total = minor(item.get("total"), f"{where}.total")
    if total != quantity * unit - discount:
        raise OrderMappingError(
            f"{where}.total: ShootProof's {item.get('total')!r} is not unitPrice × quantity"
            f" − discount ({item.get('unitPrice')!r} × {quantity} − {item.get('discount')!r})"
        )
    options = {str(k): str(v) for k, v in (item.get("options") or {}).items()}
    if item.get("photoName"):
        options.setdefault("photo", str(item["photoName"]))
    kind = LINE_KINDS.get(str(item.get("productType") or ""), "product")
    return {
        "id": str(item.get("id") or ""),
        "kind": kind,
        "name": str(item.get("name") or ""),
        "options": options,
        "quantity": quantity,
        "unit_price_minor": unit,
        "discount_minor": discount,
        "tax_minor": 0,
        "total_minor": total,
        "digital": kind == "digital",
    }


def _check_totals(order: Mapping[str, Any], lines: list[dict], minor: Amounts) -> dict[str, int]:
    """ShootProof's own arithmetic, in its own terms: lines → subtotal; total = subtotal
    − adjustment + shipping + tax."""
    figures = {
        "subtotal": minor(order.get("subtotal"), "order.subtotal"),
        "adjustment": minor(order.get("adjustment"), "order.adjustment", optional=True),
        "shipping": minor(order.get("shipping"), "order.shipping", optional=True),
        "tax": minor(order.get("tax"), "order.tax", optional=True),
        "total": minor(order.get("total"), "order.total"),
    }
    lines_sum = sum(line["total_minor"] for line in lines)
    if figures["subtotal"] != lines_sum:
        raise OrderMappingError(
            f"order.subtotal: ShootProof says {order.get('subtotal')!r} but its items add up"
            f" to {_major(lines_sum, minor)}"
        )
    expected = figures["subtotal"] - figures["adjustment"] + figures["shipping"] + figures["tax"]
    if figures["total"] != expected:
        raise OrderMappingError(
            f"order.total: ShootProof says {order.get('total')!r} but subtotal − adjustment"
            f" + shipping + tax is {_major(expected, minor)}"
        )
    return figures


def _major(amount_minor: int, minor: Amounts) -> str:
    return f"{from_minor(amount_minor, minor.currency)} {minor.currency}"


def _allocate_tax(lines: list[dict], tax: int) -> None:
    """ShootProof taxes the order; GalleryOrder wants tax per line (Σ line tax = tax).
    Split it in proportion to the lines' amounts, remainders to the largest lines, so
    each line's total stays its price − discount + its tax, exactly."""
    if tax == 0:
        return
    weights = [line["total_minor"] for line in lines]
    if sum(weights) == 0:
        weights = [1] * len(lines)
    whole = sum(weights)
    shares = [tax * w // whole for w in weights]
    by_remainder = sorted(range(len(lines)), key=lambda i: (-(tax * weights[i] % whole), i))
    for i in by_remainder[: tax - sum(shares)]:
        shares[i] += 1
    for line, share in zip(lines, shares, strict=True):
        line["tax_minor"] = share
        line["total_minor"] += share


def _discounts(adjustment: int) -> list[dict[str, Any]]:
    if adjustment == 0:
        return []
    return [{"description": "ShootProof order adjustment", "amount_minor": adjustment}]


def _payments(
    order: Mapping[str, Any], payments: list[Any], minor: Amounts
) -> tuple[int, list[dict[str, Any]]]:
    """Amount paid (gross, as ShootProof's amountPaid) and the refunds, checked against
    the order's own amountPaid/amountRefunded when it lists its payments."""
    paid = minor(order.get("amountPaid"), "order.amountPaid", optional=True)
    refunded = minor(order.get("amountRefunded"), "order.amountRefunded", optional=True)
    paid_sum, refunds = 0, []
    seen: Counter[str] = Counter()
    for index, payment in enumerate(payments):
        where = f"payments[{index}]"
        if not isinstance(payment, Mapping):
            raise OrderMappingError(f"{where}: not an object")
        amount = minor(payment.get("amount"), f"{where}.amount")
        if payment.get("kind") == "refund":
            refunds.append(
                {
                    "id": _refund_id(payment, amount, seen),
                    "amount_minor": amount,
                    "reason": str(payment.get("reason") or ""),
                    "refunded_at": payment["createdAt"],
                }
            )
        else:
            paid_sum += amount
    if payments and paid_sum != paid:
        raise OrderMappingError(
            f"order.amountPaid: ShootProof says {order.get('amountPaid')!r} but its payments"
            f" add up to {_major(paid_sum, minor)}"
        )
    refund_sum = sum(r["amount_minor"] for r in refunds)
    if refund_sum != refunded and (payments or refunded):
        raise OrderMappingError(
            f"order.amountRefunded: ShootProof says {order.get('amountRefunded')!r} but its"
            f" refunds add up to {_major(refund_sum, minor)}"
        )
    return paid, refunds


def _refund_id(payment: Mapping[str, Any], amount: int, seen: Counter[str]) -> str:
    """ShootProof's id; without one, a digest of amount, time and reason counted among
    identical ones, never the place in the list (it moves as others come and go)."""
    if _is_id(payment.get("id")):
        return str(payment["id"])
    what = [amount, str(payment.get("createdAt")), str(payment.get("reason") or "")]
    digest = hashlib.sha256(json.dumps(what).encode()).hexdigest()[:20]
    seen[digest] += 1
    return f"refund-{digest}-{seen[digest]}"


def _gallery(order: Mapping[str, Any]) -> dict[str, Any] | None:
    """The event is ShootProof's gallery: it links the order to a shoot like Pic-Time's."""
    if order.get("eventId") in (None, ""):
        return None
    return {
        "id": str(order["eventId"]),
        "name": str(order.get("eventName") or ""),
        "event_date": order.get("eventDate") or None,
    }


def _customer(order: Mapping[str, Any]) -> dict[str, Any]:
    first, last = split_name(order.get("customerName"))
    return {
        "first_name": first,
        "last_name": last,
        "email": str(order.get("customerEmail") or ""),
        "phone": str(order.get("customerPhone") or ""),
        "billing_address": _address(order.get("billingAddress")),
        "shipping_address": _address(order.get("shippingAddress")),
    }


def _address(address: Any) -> dict[str, str] | None:
    if not isinstance(address, Mapping) or not any(address.values()):
        return None
    keys = {
        "line1": "address1",
        "line2": "address2",
        "city": "city",
        "region": "state",
        "postcode": "postal",
        "country": "country",
    }
    return {ours: str(address.get(theirs) or "") for ours, theirs in keys.items()}


# -- Names ------------------------------------------------------------------------------

# Scripts written family-name-first and often without spaces: a split would guess wrong.
_UNSPLIT_SCRIPTS = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "THAI", "YI ")


def split_name(value: Any) -> tuple[str, str]:
    """ShootProof's one `customerName` as (first, last), so that "first last" is the name
    as written: "Mary Ann van der Berg" → ("Mary Ann", "van der Berg"); one word, or a
    name in a script without a given/family order we can tell, stays whole in first."""
    name = " ".join(str(value or "").split())
    if not name:
        return "", ""
    if " " not in name or _unsplit_script(name):
        return name, ""
    parsed = HumanName(name)
    last = " ".join(part for part in (parsed.last, parsed.suffix) if part)
    if last and name.endswith(" " + last):
        return name[: -len(last)].strip(), last
    if "," in name:  # "Berg, Mary Ann": nameparser's reading, when it keeps every word
        first = " ".join(p for p in (parsed.title, parsed.first, parsed.middle) if p)
        if first and last and _words(f"{first} {last}") == _words(name):
            return first, last
        return name, ""
    # A form nameparser reads by dropping something (quotes, brackets…): the last word.
    head, _, tail = name.rpartition(" ")
    return head, tail


def _words(text: str) -> list[str]:
    return sorted(text.replace(",", " ").split())


def _unsplit_script(name: str) -> bool:
    for char in name:
        if char.isalpha():
            try:
                label = unicodedata.name(char)
            except ValueError:
                continue
            if label.startswith(_UNSPLIT_SCRIPTS):
                return True
    return False
