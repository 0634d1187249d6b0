"""Building, locking and saving the rows of a sale. Used only by sales.services, inside
its transactions; nothing here validates (sales.validation does, before any of this)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from django.db import IntegrityError, transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone

from sales.models import Payment, Refund, Sale, SaleLine
from sales.totals import line_total
from sales.validation import parse_date

# Text fields of a sale: None means "" and surrounding spaces are dropped (but not in notes).
TEXT_FIELDS = frozenset(
    {
        "external_ref",
        "discount_code",
        "shipping_method",
        "gallery_provider",
        "gallery_id",
        "gallery_name",
        "gallery_url",
        "notes",
    }
)


def set_fields(sale: Sale, **fields: Any) -> None:
    for name, value in fields.items():
        if value is None and name in TEXT_FIELDS:
            value = ""
        elif isinstance(value, str) and name != "notes":
            value = value.strip()
        setattr(sale, name, value)


def follow_status(sale: Sale, stored: Sale) -> None:
    """A status changed through update_sale() keeps the cancellation record in step."""
    if sale.status == stored.status:
        return
    if sale.status == Sale.Status.CANCELLED:
        sale.cancelled_at = timezone.now()
    else:
        sale.cancelled_at = None
        sale.cancel_reason = ""


def lock(sale: Sale) -> Sale:
    """A fresh copy of the sale with its row locked until the transaction ends
    (PostgreSQL; SQLite serialises writers anyway), so two concurrent refunds cannot
    both pass the check against what was paid."""
    return Sale.objects.select_for_update().get(pk=sale.pk)


def existing_sale_id(sale: Sale) -> int | None:
    """Another sale of the studio with the same (source, external reference), if any.
    Imported sales neither clash nor are clashed with (see Sale.external_ref)."""
    if not sale.external_ref or sale.imported:
        return None
    others = Sale.objects.for_studio(sale.studio_id).filter(
        source=sale.source, external_ref=sale.external_ref, imported=False
    )
    if sale.pk is not None:
        others = others.exclude(pk=sale.pk)
    return others.values_list("pk", flat=True).first()


def save_sale(sale: Sale, on_duplicate: Callable[[int], NoReturn]) -> None:
    """Save in a savepoint; when a concurrent writer took the same (source, reference)
    first, call `on_duplicate(existing_id)` (it raises) instead of failing obscurely."""
    try:
        with transaction.atomic():
            sale.save()
    except IntegrityError:
        existing = existing_sale_id(sale)
        if existing is None:
            raise
        on_duplicate(existing)


def write_lines(sale: Sale, lines: Sequence[Any]) -> None:
    SaleLine.objects.bulk_create(
        SaleLine(
            studio_id=sale.studio_id,
            sale=sale,
            position=position,
            description=line.description.strip(),
            product_kind=line.product_kind,
            options=dict(line.options),
            quantity=line.quantity,
            unit_price_minor=line.unit_price_minor,
            discount_minor=line.discount_minor,
            tax_minor=line.tax_minor,
            total_minor=line_total(line, prices_include_tax=sale.prices_include_tax),
            external_ref=(line.external_ref or "").strip(),
        )
        for position, line in enumerate(lines)
    )


def payment_row(sale: Sale, payment: Any) -> Payment:
    return Payment(
        studio_id=sale.studio_id,
        sale=sale,
        amount_minor=payment.amount_minor,
        paid_on=parse_date(payment.paid_on),
        method=(payment.method or "").strip(),
        reference=(payment.reference or "").strip(),
        from_gallery=bool(getattr(payment, "from_gallery", False)),
    )


def refund_row(sale: Sale, refund: Any) -> Refund:
    return Refund(
        studio_id=sale.studio_id,
        sale=sale,
        amount_minor=refund.amount_minor,
        refunded_on=parse_date(refund.refunded_on),
        reason=(refund.reason or "").strip(),
        external_ref=(refund.external_ref or "").strip(),
    )


def sum_amounts(queryset: QuerySet) -> int:
    return queryset.aggregate(s=Sum("amount_minor"))["s"] or 0
