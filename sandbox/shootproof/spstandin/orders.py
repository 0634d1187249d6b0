"""Every write to an order: place, move along, refund, cancel, delete. One transaction
each; each bumps ``updated_at`` and adds the matching notification to the brand's feed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from . import catalog, ids, money
from .models import Brand, Event, Notification, Order, OrderItem, Payment

ADDRESS_KEYS = ("address1", "address2", "city", "state", "postal", "country")
NEXT_STATUS = {
    Order.Status.OPEN: (Order.Status.PROCESSING, Order.Status.SHIPPED, Order.Status.COMPLETED),
    Order.Status.PROCESSING: (Order.Status.SHIPPED, Order.Status.COMPLETED),
    Order.Status.SHIPPED: (Order.Status.COMPLETED,),
}


class OrderError(ValueError):
    """A request the rules refuse. ``conflict``: the order's state forbids it (409)."""

    def __init__(self, message: str, field: str = "order", conflict: bool = False) -> None:
        super().__init__(message)
        self.message, self.field, self.conflict = message, field, conflict


@dataclass
class LineInput:
    product_type: str
    name: str
    quantity: int
    unit_price: int  # minor units
    discount: int = 0
    photo_name: str | None = None
    options: dict = field(default_factory=dict)


@dataclass
class PaymentInput:
    amount: int | None  # None: whatever the total leaves to pay
    method: str = Payment.Method.CARD


@dataclass
class OrderRequest:
    event: Event
    customer_name: str
    customer_email: str
    lines: list[LineInput]
    currency: str = ""
    customer_phone: str | None = None
    billing_address: dict | None = None
    shipping_address: dict | None = None
    adjustment: int = 0
    shipping: int = 0
    tax_rate: Decimal | None = None  # percent of (subtotal - adjustment); None: the brand's
    payments: list[PaymentInput] | None = None  # None: paid in full by card
    created_at: datetime | None = None


def later(previous: datetime | None) -> datetime:
    """Now, but strictly after ``previous`` so ``updated_at`` always moves forward."""
    now = timezone.now()
    if previous is not None and now <= previous:
        return previous + timedelta(microseconds=1)
    return now


def notify(order: Order, kind: str, message: str, at: datetime) -> Notification:
    return Notification.objects.create(
        id=ids.next_id("notification"),
        brand_id=order.brand_id,
        notification_type=kind,
        order_id=order.id,
        message=message,
        created_at=at,
    )


def normal_address(address: dict | None, label: str) -> dict | None:
    if address is None:
        return None
    if not isinstance(address, dict):
        raise OrderError(f"The {label} address must be an object.", label)
    out = {key: str(address.get(key) or "").strip() for key in ADDRESS_KEYS}
    out["country"] = out["country"].upper()
    for key in ("address1", "city", "country"):
        if not out[key]:
            raise OrderError(f"The {label} address needs {key}.", label)
    if len(out["country"]) != 2 or not out["country"].isalpha():
        raise OrderError(f"The {label} country must be a two-letter ISO code.", label)
    return out


def _check(req: OrderRequest, currency: str) -> None:
    money.exponent(currency)
    if not req.customer_name.strip():
        raise OrderError("The customer's name is required.", "customerName")
    try:
        validate_email(req.customer_email)
    except ValidationError:
        raise OrderError("Enter a valid email address for the customer.", "customerEmail") from None
    if not req.lines:
        raise OrderError("Choose at least one product.", "items")
    for n, ln in enumerate(req.lines, start=1):
        if ln.product_type not in catalog.PRODUCT_TYPES:
            types = ", ".join(catalog.PRODUCT_TYPES)
            raise OrderError(f"Item {n}: productType must be one of {types}.", "items")
        if not ln.name.strip():
            raise OrderError(f"Item {n}: the product name is missing.", "items")
        if not 1 <= ln.quantity <= 999:
            raise OrderError(f"Item {n}: quantity must be between 1 and 999.", "items")
        if ln.unit_price < 0 or not 0 <= ln.discount <= ln.unit_price * ln.quantity:
            raise OrderError(f"Item {n}: the price or discount is out of range.", "items")
    for value, name in ((req.adjustment, "adjustment"), (req.shipping, "shipping")):
        if value < 0:
            raise OrderError(f"{name} cannot be negative.", name)


def _payment_status(total: int, paid: int, refunded: int) -> str:
    if refunded > 0:
        return (
            Order.PaymentStatus.REFUNDED
            if refunded >= paid
            else Order.PaymentStatus.PARTIALLY_REFUNDED
        )
    if paid <= 0:
        return Order.PaymentStatus.UNPAID if total > 0 else Order.PaymentStatus.PAID
    return Order.PaymentStatus.PAID if paid >= total else Order.PaymentStatus.PARTIALLY_PAID


@transaction.atomic
def place_order(req: OrderRequest) -> Order:
    brand: Brand = req.event.brand
    currency = (req.currency or brand.currency).upper()
    _check(req, currency)
    line_totals = [ln.unit_price * ln.quantity - ln.discount for ln in req.lines]
    subtotal = sum(line_totals)
    if req.adjustment > subtotal:
        raise OrderError("The adjustment cannot be more than the subtotal.", "adjustment")
    rate = brand.tax_rate if req.tax_rate is None else Decimal(req.tax_rate)
    if not Decimal(0) <= rate <= Decimal(50):
        raise OrderError("The tax rate must be between 0 and 50 percent.", "tax")
    tax = money.percent_of(subtotal - req.adjustment, rate)
    total = subtotal - req.adjustment + req.shipping + tax
    payments = [PaymentInput(None)] if req.payments is None else req.payments
    fixed = sum(p.amount or 0 for p in payments)
    payments = [
        PaymentInput(total - fixed if p.amount is None else p.amount, p.method)
        for p in payments
        if p.amount is not None or total > fixed
    ]
    paid = sum(p.amount for p in payments)
    if any(p.amount <= 0 for p in payments) or paid > total:
        raise OrderError("Payments must be positive and add up to the total at most.", "payments")
    now = timezone.now()
    created = req.created_at or now
    if created > now + timedelta(minutes=1):
        raise OrderError("An order cannot be placed in the future.", "created_at")
    order = Order.objects.create(
        id=ids.next_id("order"),
        brand=brand,
        event=req.event,
        payment_status=_payment_status(total, paid, 0),
        customer_name=" ".join(req.customer_name.split()),
        customer_email=req.customer_email.strip(),
        customer_phone=(req.customer_phone or "").strip() or None,
        billing_address=normal_address(req.billing_address, "billing"),
        shipping_address=normal_address(req.shipping_address, "shipping"),
        currency=currency,
        subtotal_minor=subtotal,
        adjustment_minor=req.adjustment,
        shipping_minor=req.shipping,
        tax_minor=tax,
        total_minor=total,
        amount_paid_minor=paid,
        created_at=created,
        updated_at=created,  # a back-dated order has not changed since
    )
    item_ids = ids.next_ids("item", len(req.lines))
    OrderItem.objects.bulk_create(
        OrderItem(
            id=item_id,
            order=order,
            position=n,
            product_type=ln.product_type,
            name=ln.name.strip(),
            photo_name=ln.photo_name or None,
            options=ln.options,
            quantity=ln.quantity,
            unit_price_minor=ln.unit_price,
            discount_minor=ln.discount,
            total_minor=line_total,
        )
        for n, (item_id, ln, line_total) in enumerate(
            zip(item_ids, req.lines, line_totals, strict=True), start=1
        )
    )
    for p in payments:
        if p.method not in Payment.Method.values:
            raise OrderError(f"Unknown payment method {p.method!r}.", "payments")
        Payment.objects.create(
            id=ids.next_id("payment"),
            order=order,
            kind=Payment.Kind.PAYMENT,
            amount_minor=p.amount,
            method=p.method,
            created_at=created,
        )
    notify(
        order,
        Notification.Type.ORDER_PLACED,
        f"New order {order.id} from {order.customer_name} ({order.fmt(total)}).",
        order.updated_at,
    )
    return order


def _locked(order: Order) -> Order:
    return Order.objects.select_for_update().select_related("brand").get(pk=order.pk)


def _add_refund(order: Order, amount: int, reason: str) -> None:
    order.updated_at = later(order.updated_at)
    method = (
        order.payments.filter(kind=Payment.Kind.PAYMENT).values_list("method", flat=True).first()
    )
    Payment.objects.create(
        id=ids.next_id("payment"),
        order=order,
        kind=Payment.Kind.REFUND,
        amount_minor=amount,
        method=method or Payment.Method.OTHER,
        reason=reason,
        created_at=order.updated_at,
    )
    order.amount_refunded_minor += amount
    order.payment_status = _payment_status(
        order.total_minor, order.amount_paid_minor, order.amount_refunded_minor
    )


@transaction.atomic
def refund_order(*, order: Order, amount: int | None = None, reason: str = "") -> Order:
    """Refund ``amount`` minor units (None: everything still refundable)."""
    order = _locked(order)
    left = order.refundable_minor
    if left <= 0:
        raise OrderError("Nothing is left to refund on this order.", "amount", conflict=True)
    amount = left if amount is None else amount
    if amount <= 0:
        raise OrderError("The refund amount must be more than zero.", "amount")
    if amount > left:
        raise OrderError(
            f"The refund of {order.fmt(amount)} is more than the {order.fmt(left)} paid and "
            "not yet refunded.",
            "amount",
        )
    _add_refund(order, amount, reason.strip()[:300] or "Refund")
    order.save()
    notify(
        order,
        Notification.Type.ORDER_REFUNDED,
        f"Order {order.id}: {order.fmt(amount)} refunded.",
        order.updated_at,
    )
    return order


def cancel_deadline(order: Order) -> datetime:
    return order.created_at + timedelta(seconds=settings.SHOOTPROOF_CANCEL_WINDOW_SECONDS)


@transaction.atomic
def cancel_order(*, order: Order, reason: str = "") -> Order:
    """Cancel within the window after it was placed; what was paid is refunded with it."""
    order = _locked(order)
    if order.status == Order.Status.CANCELLED:
        raise OrderError("This order is already cancelled.", "status", conflict=True)
    if order.status not in (Order.Status.OPEN, Order.Status.PROCESSING):
        raise OrderError(f"An order that is {order.status} cannot be cancelled.", "status", True)
    if timezone.now() > cancel_deadline(order):
        minutes = settings.SHOOTPROOF_CANCEL_WINDOW_SECONDS // 60
        raise OrderError(
            f"Orders can only be cancelled within {minutes} minutes of being placed.",
            "status",
            conflict=True,
        )
    if order.refundable_minor > 0:
        _add_refund(order, order.refundable_minor, reason.strip()[:300] or "Order cancelled")
    order.status = Order.Status.CANCELLED
    order.updated_at = later(order.updated_at)
    order.cancelled_at = order.updated_at
    order.save()
    notify(
        order,
        Notification.Type.ORDER_CANCELLED,
        f"Order {order.id} was cancelled.",
        order.updated_at,
    )
    return order


@transaction.atomic
def set_status(*, order: Order, status: str) -> Order:
    """Move an order along: open -> processing -> shipped -> completed."""
    order = _locked(order)
    if status not in NEXT_STATUS.get(order.status, ()):
        raise OrderError(
            f"An order that is {order.status} cannot become {status or 'nothing'}.",
            "status",
            conflict=status in Order.Status.values,
        )
    order.status = status
    order.updated_at = later(order.updated_at)
    order.save()
    notify(
        order,
        Notification.Type.ORDER_UPDATED,
        f"Order {order.id} is now {status}.",
        order.updated_at,
    )
    return order


@transaction.atomic
def delete_order(*, order: Order) -> int:
    """Remove the order and its items and payments; the feed keeps an order-deleted entry."""
    order = _locked(order)
    order_id = order.id
    notify(
        order,
        Notification.Type.ORDER_DELETED,
        f"Order {order_id} was deleted.",
        later(order.updated_at),
    )
    order.delete()
    return order_id
