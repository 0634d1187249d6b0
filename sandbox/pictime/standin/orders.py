"""Every write to an order: place, refund, cancel, move along. One transaction each;
each bumps ``updated_at`` and queues the matching webhook event in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from . import catalog, money, pricing, webhooks
from .models import Gallery, Order, OrderItem, Refund

KINDS = tuple(OrderItem.Kind.values)
NEXT_STATUS = {
    Order.Status.PLACED: (Order.Status.IN_PRODUCTION, Order.Status.SHIPPED),
    Order.Status.IN_PRODUCTION: (Order.Status.SHIPPED,),
}


class OrderError(ValueError):
    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass
class OrderRequest:
    gallery: Gallery
    client: dict
    billing_address: dict
    lines: list[pricing.LineInput]
    shipping_address: dict | None = None
    discount_code: str = ""
    shipping_method: str = ""
    tax_rate: Decimal | None = None
    tax_included: bool | None = None
    payment_collected_by: str = Order.CollectedBy.PICTIME
    currency: str = ""
    created_at: datetime | None = None


def _later(previous: datetime | None) -> datetime:
    """Now, but strictly after ``previous`` so ``updated_at`` always moves forward."""
    now = timezone.now()
    if previous is not None and now <= previous:
        return previous + timedelta(microseconds=1)
    return now


def _check_lines(lines: list[pricing.LineInput]) -> None:
    if not lines:
        raise OrderError("Choose at least one product.", "items")
    for n, ln in enumerate(lines, start=1):
        if ln.kind not in KINDS:
            raise OrderError(f"Item {n}: kind must be one of {', '.join(KINDS)}.", "items")
        if not ln.product.strip():
            raise OrderError(f"Item {n}: product name is missing.", "items")
        if not 1 <= ln.quantity <= 999:
            raise OrderError(f"Item {n}: quantity must be between 1 and 999.", "items")
        if ln.unit_price < 0:
            raise OrderError(f"Item {n}: unit price cannot be negative.", "items")


def _check_client(client: dict) -> None:
    if not (client.get("first_name") or client.get("last_name")):
        raise OrderError("The client's name is required.", "client")
    try:
        validate_email(client.get("email") or "")
    except ValidationError:
        raise OrderError("Enter a valid email address for the client.", "client") from None


def _check_address(address: dict | None, label: str) -> None:
    if address is None:
        return
    for key in ("line1", "city", "country"):
        if not (address.get(key) or "").strip():
            raise OrderError(f"The {label} address needs {key}.", label)
    if len(address["country"]) != 2 or not address["country"].isalpha():
        raise OrderError(f"The {label} country must be a two-letter ISO code.", label)


def _normal_address(address: dict | None) -> dict | None:
    if address is None:
        return None
    keys = ("line1", "line2", "city", "region", "postcode", "country")
    out = {key: str(address.get(key) or "").strip() for key in keys}
    out["country"] = out["country"].upper()
    return out


def _tax(req: OrderRequest, currency: str) -> tuple[Decimal, bool]:
    rate, included = catalog.TAX_DEFAULTS[currency]
    if req.tax_rate is not None:
        try:
            rate = Decimal(str(req.tax_rate)).quantize(Decimal("0.01"))
        except InvalidOperation:
            raise OrderError("Tax rate must be a number.", "tax") from None
    if not Decimal(0) <= rate <= Decimal(50):
        raise OrderError("Tax rate must be between 0 and 50 percent.", "tax")
    return rate, included if req.tax_included is None else bool(req.tax_included)


def _shipping(req: OrderRequest, physical: bool) -> str:
    method = req.shipping_method or ("Standard" if physical else catalog.DIGITAL_SHIPPING)
    if method not in catalog.SHIPPING_USD:
        raise OrderError(f"Unknown shipping method {method!r}.", "shipping")
    if physical and method == catalog.DIGITAL_SHIPPING:
        raise OrderError("Prints and products need a shipping method or local pickup.", "shipping")
    return method


def _code(text: str) -> catalog.DiscountCode | None:
    text = (text or "").strip().upper()
    if not text:
        return None
    if text not in catalog.DISCOUNT_CODES:
        raise OrderError(f"The discount code {text} is not valid.", "discount_code")
    return catalog.DISCOUNT_CODES[text]


def validate(req: OrderRequest) -> tuple[str, str, catalog.DiscountCode | None]:
    """Check the request; returns (currency, shipping method, discount code)."""
    currency = (req.currency or req.gallery.effective_currency).upper()
    if currency not in money.CURRENCIES:
        raise OrderError(f"Unsupported currency {currency}.", "currency")
    _check_lines(req.lines)
    _check_client(req.client)
    _check_address(req.billing_address, "billing")
    _check_address(req.shipping_address, "shipping")
    if req.payment_collected_by not in Order.CollectedBy.values:
        raise OrderError("payment_collected_by must be 'pictime' or 'photographer'.", "payment")
    physical = any(not ln.digital for ln in req.lines)
    return currency, _shipping(req, physical), _code(req.discount_code)


@transaction.atomic
def place_order(req: OrderRequest) -> Order:
    currency, method, code = validate(req)
    rate, included = _tax(req, currency)
    physical = any(not ln.digital for ln in req.lines)
    q = pricing.quote(
        req.lines,
        currency=currency,
        code=code,
        shipping=catalog.shipping_price(method, currency),
        tax_rate=rate,
        tax_included=included,
        collected_by=req.payment_collected_by,
    )
    now = timezone.now()
    billing = _normal_address(req.billing_address)
    shipping_address = (_normal_address(req.shipping_address) or billing) if physical else None
    keys = ("first_name", "last_name", "email", "phone")
    order = Order.objects.create(
        account=req.gallery.account,
        gallery=req.gallery,
        currency=currency,
        client={key: str(req.client.get(key) or "").strip() for key in keys},
        billing_address=billing,
        shipping_address=shipping_address,
        discounts=[
            {
                "code": d.code,
                "description": d.description,
                "scope": d.scope,
                "amount_minor": d.amount,
            }
            for d in q.discounts
        ],
        shipping_method=method,
        shipping_minor=q.shipping,
        tax_rate=rate,
        tax_included=included,
        subtotal_minor=q.subtotal,
        items_discount_minor=q.items_discount,
        tax_minor=q.tax,
        order_discount_minor=q.order_discount,
        total_minor=q.total,
        amount_paid_minor=q.total,
        platform_fee_minor=q.platform_fee,
        lab_cost_minor=q.lab_cost,
        payment_collected_by=req.payment_collected_by,
        created_at=req.created_at or now,
        updated_at=now,
    )
    order.number = f"PT-{10040 + order.pk}"
    order.save(update_fields=["number"])
    OrderItem.objects.bulk_create(
        OrderItem(
            order=order,
            position=n,
            kind=p.line.kind,
            sku=p.line.sku,
            product=p.line.product.strip(),
            options=p.line.options,
            quantity=p.line.quantity,
            unit_price_minor=p.line.unit_price,
            discount_minor=p.discount,
            tax_minor=p.tax,
            total_minor=p.total,
            digital=p.line.digital,
        )
        for n, p in enumerate(q.lines, start=1)
    )
    webhooks.emit(event_type="order.created", order=order)
    return order


def _locked(order: Order) -> Order:
    return Order.objects.select_for_update().select_related("account__user").get(pk=order.pk)


def _payment_status(order: Order) -> str:
    if order.amount_refunded_minor == 0:
        return Order.PaymentStatus.PAID
    if order.amount_refunded_minor >= order.amount_paid_minor:
        return Order.PaymentStatus.REFUNDED
    return Order.PaymentStatus.PARTIALLY_REFUNDED


def _add_refund(order: Order, amount: int, reason: str) -> None:
    order.updated_at = _later(order.updated_at)
    Refund.objects.create(
        order=order, amount_minor=amount, reason=reason, created_at=order.updated_at
    )
    order.amount_refunded_minor += amount
    order.payment_status = _payment_status(order)


@transaction.atomic
def refund_order(*, order: Order, amount: int | None = None, reason: str = "") -> Order:
    """Refund ``amount`` minor units (None: everything still refundable)."""
    order = _locked(order)
    left = order.refundable_minor
    if left <= 0:
        raise OrderError("Nothing is left to refund on this order.", "amount")
    amount = left if amount is None else amount
    if amount <= 0:
        raise OrderError("The refund amount must be more than zero.", "amount")
    if amount > left:
        raise OrderError(
            f"The refund of {order.fmt(amount)} is more than the {order.fmt(left)} left to refund.",
            "amount",
        )
    _add_refund(order, amount, reason.strip()[:300] or "Refund")
    order.save()
    webhooks.emit(event_type="order.refunded", order=order)
    return order


@transaction.atomic
def cancel_order(*, order: Order, refund: bool = True, reason: str = "") -> Order:
    """Cancel; by default the remaining payment is refunded with it (one event)."""
    order = _locked(order)
    if order.status == Order.Status.CANCELLED:
        raise OrderError("This order is already cancelled.", "status")
    if order.status == Order.Status.SHIPPED:
        raise OrderError("Shipped orders cannot be cancelled; refund them instead.", "status")
    if refund and order.refundable_minor > 0:
        _add_refund(order, order.refundable_minor, reason.strip()[:300] or "Order cancelled")
    order.status = Order.Status.CANCELLED
    order.updated_at = _later(order.updated_at)
    order.save()
    webhooks.emit(event_type="order.cancelled", order=order)
    return order


@transaction.atomic
def set_status(*, order: Order, status: str) -> Order:
    """Move an order along production: placed -> in_production -> shipped."""
    order = _locked(order)
    if status not in NEXT_STATUS.get(order.status, ()):
        raise OrderError(f"An order that is {order.status} cannot become {status}.", "status")
    order.status = status
    order.updated_at = _later(order.updated_at)
    order.save()
    webhooks.emit(event_type="order.updated", order=order)
    return order
