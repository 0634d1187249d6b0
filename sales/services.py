"""Every write to sales, their lines, payments and refunds.

Each function checks all of its input first and raises ValidationError (a dict of
field → messages; problems with one line under "lines", with the line's index in the
error's params, see sales.validation) before writing anything, then writes in one
transaction. Nothing is ever saved half-way.

Totals
------
Every amount is an integer in the minor unit of the sale's one currency (cents of USD,
yen of JPY, fils — thousandths — of BHD). Nothing here ever adds two currencies.

For each line (discount ≤ quantity × unit price)::

    gross       = quantity × unit_price − discount
    line total  = gross + tax       prices exclude tax (tax is added on top)
    line total  = gross             prices include tax (tax is the part of gross that is
                                    tax, so tax ≤ gross)

For the sale (the stored columns)::

    subtotal_minor = Σ gross
    tax_minor      = Σ line tax
    total_minor    = subtotal + (tax, unless prices include it) + shipping − order_discount
    paid_minor     = Σ payments
    refunded_minor = Σ refunds
    net_minor      = total − refunded          (model property)
    balance_minor  = total − paid              (model property; negative = overpaid)

Rules that keep these meaningful:

* at least one line; quantity ≥ 1; every amount ≥ 0; payments and refunds > 0;
* the order discount may not take the total below zero;
* refunds in all may not exceed what was paid, or the total when nothing is recorded
  as paid (an order paid outside Cyan, e.g. collected by the gallery provider, can still
  be refunded); and never more than the total, even on an overpaid sale;
* an edit may not lower the total below what was already refunded;
* payments may exceed the total (the balance goes negative and shows as overpaid),
  because a gallery provider reports what it collected, not what Cyan computes;
* a cancelled sale takes no new payments (it may still take refunds).

The stored columns are recomputed from the rows by recompute_totals() at the end of
every write here; nothing else writes them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, QuerySet
from django.utils import timezone

from accounts.models import Studio
from contacts.models import Contact
from events import services as events
from sales import rollup, rows
from sales import validation as check
from sales.inputs import LineInput, PaymentInput, RefundInput, SaleInput
from sales.models import Payment, Refund, Sale, SaleLine
from sales.rollup import keeps_rollup
from sales.totals import Totals, compute_totals, line_total

__all__ = [
    "DuplicateSale",
    "LineInput",
    "PaymentInput",
    "RefundInput",
    "SaleInput",
    "Totals",
    "add_payment",
    "add_refund",
    "cancel_sale",
    "compute_totals",
    "create_sale",
    "delete_sale",
    "line_total",
    "move_sales",
    "recompute_totals",
    "update_sale",
]


class DuplicateSale(ValidationError):
    """The studio already has a sale, not imported, with this (source, external reference);
    its id is `existing_sale_id`. Imported sales never raise it: their identity is their
    Inbox item, not the reference."""

    def __init__(self, existing_sale_id: int, external_ref: str = "") -> None:
        self.existing_sale_id = existing_sale_id
        error = ValidationError(
            "Sale #%(sale_id)s already records this reference (%(ref)s) from the same source.",
            code="duplicate",
            params={"sale_id": existing_sale_id, "ref": external_ref},
        )
        super().__init__({"external_ref": [error]})


def _raise_duplicate(sale: Sale) -> Callable[[int], NoReturn]:
    def raise_it(existing_id: int) -> NoReturn:
        raise DuplicateSale(existing_id, sale.external_ref) from None

    return raise_it


# Fields update_sale() sets directly; lines, payments and refunds have their own functions.
EDITABLE_FIELDS = rows.TEXT_FIELDS | {
    "contact",
    "shoot",
    "sale_date",
    "currency",
    "source",
    "prices_include_tax",
    "order_discount_minor",
    "shipping_minor",
    "platform_fee_minor",
    "lab_cost_minor",
    "payment_collected_by",
    "status",
}


@keeps_rollup  # the reports' daily rollup (sales.rollup)
@transaction.atomic
def create_sale(*, studio: Studio, data: SaleInput, imported: bool = False) -> Sale:
    """A new sale with its lines, payments and refunds, or DuplicateSale / ValidationError
    with nothing saved. `imported` is for "Import Order" only (see Sale.external_ref)."""
    sale = Sale(studio=studio, contact=data.contact, shoot=data.shoot, imported=imported)
    rows.set_fields(sale, **data.column_values())
    prices_include_tax = data.prices_include_tax
    lines, payments, refunds = list(data.lines), list(data.payments), list(data.refunds)
    errors = check.merge(
        check.sale_field_errors(sale),
        check.line_errors(lines, prices_include_tax=bool(prices_include_tax)),
        check.payment_errors(payments),
        check.refund_errors(refunds),
    )
    if not errors:
        errors = check.total_errors(
            sale,
            lines,
            paid_minor=sum(p.amount_minor for p in payments),
            refunded_minor=sum(r.amount_minor for r in refunds),
        )
    if errors:
        raise ValidationError(errors)
    if sale.status == Sale.Status.CANCELLED:
        sale.cancelled_at = timezone.now()
    _raise_if_duplicate(sale)
    rows.save_sale(sale, on_duplicate=_raise_duplicate(sale))
    rollup.created(sale.pk)
    rows.write_lines(sale, lines)
    Payment.objects.bulk_create(rows.payment_row(sale, p) for p in payments)
    Refund.objects.bulk_create(rows.refund_row(sale, r) for r in refunds)
    recompute_totals(sale=sale)
    events.record(studio=studio, type="sale.created", subject=sale)  # outbox (events/)
    return sale


@keeps_rollup  # the reports' daily rollup (sales.rollup)
@transaction.atomic
def update_sale(*, sale: Sale, lines: Sequence[LineInput] | None = None, **fields: Any) -> Sale:
    """Set any of EDITABLE_FIELDS; `lines`, when given, replace all of the sale's lines.

    A new currency needs the lines re-entered (their amounts are minor units of the old
    one) and is refused once payments or refunds are recorded. On ValidationError the
    `sale` object is reloaded from the database, so it never shows unsaved values."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"update_sale() cannot set {', '.join(sorted(unknown))}.")
    stored = rows.lock(sale)
    new_lines = None if lines is None else list(lines)
    try:
        rows.set_fields(sale, **fields)
        errors = check.sale_field_errors(sale)
        if "currency" not in errors:
            lines_given = new_lines is not None
            errors = check.merge(
                errors, check.currency_change_errors(sale, stored, lines_given=lines_given)
            )
        if new_lines is not None:
            errors = check.merge(
                errors,
                check.line_errors(new_lines, prices_include_tax=bool(sale.prices_include_tax)),
            )
        if not errors:
            current = new_lines if new_lines is not None else list(stored.lines.all())
            errors = check.total_errors(
                sale, current, paid_minor=stored.paid_minor, refunded_minor=stored.refunded_minor
            )
        if errors:
            raise ValidationError(errors)
        rows.follow_status(sale, stored)
        _raise_if_duplicate(sale)
        rows.save_sale(sale, on_duplicate=_raise_duplicate(sale))
    except ValidationError:
        sale.refresh_from_db()
        raise
    if new_lines is not None:
        sale.lines.all().delete()
        rows.write_lines(sale, new_lines)
    recompute_totals(sale=sale)
    events.record(studio=sale.studio, type="sale.updated", subject=sale)  # outbox (events/)
    return sale


@keeps_rollup  # the reports' daily rollup (sales.rollup)
@transaction.atomic
def add_payment(
    *,
    sale: Sale,
    amount_minor: int,
    paid_on: dt.date,
    method: str = "",
    reference: str = "",
    from_gallery: bool = False,
) -> Payment:
    stored = rows.lock(sale)
    payment = PaymentInput(amount_minor, paid_on, method or "", reference or "", from_gallery)
    row = rows.payment_row(sale, payment)
    errors = check.merge(
        check.unprefixed(check.payment_errors([payment]), "payments"),
        check.row_text_errors(row, {"method", "reference"}),
    )
    if stored.status == Sale.Status.CANCELLED:
        check.add_error(errors, "amount_minor", "This sale is cancelled: it takes no payments.")
    if errors:
        raise ValidationError(errors)
    row.save()
    recompute_totals(sale=sale)
    events.record(studio=sale.studio, type="sale.updated", subject=sale)  # outbox (events/)
    return row


@keeps_rollup  # the reports' daily rollup (sales.rollup)
@transaction.atomic
def add_refund(
    *,
    sale: Sale,
    amount_minor: int,
    refunded_on: dt.date,
    reason: str = "",
    external_ref: str = "",
) -> Refund:
    """Record a refund. With an external reference it is idempotent: a refund already
    recorded on this sale under the same reference is returned unchanged."""
    stored = rows.lock(sale)
    refund = RefundInput(amount_minor, refunded_on, reason or "", (external_ref or "").strip())
    if refund.external_ref:
        existing = stored.refunds.filter(external_ref=refund.external_ref).first()
        if existing is not None:
            return existing
    row = rows.refund_row(sale, refund)
    errors = check.merge(
        check.unprefixed(check.refund_errors([refund]), "refunds"),
        check.row_text_errors(row, {"reason", "external_ref"}),
    )
    if not errors:
        cap = check.refund_cap(total_minor=stored.total_minor, paid_minor=stored.paid_minor)
        if stored.refunded_minor + refund.amount_minor > cap:
            check.add_error(errors, "amount_minor", check.refund_cap_message(stored, cap))
    if errors:
        raise ValidationError(errors)
    row.save()
    recompute_totals(sale=sale)
    events.record(studio=sale.studio, type="sale.refunded", subject=sale)  # outbox (events/)
    return row


@keeps_rollup  # the reports' daily rollup (sales.rollup)
@transaction.atomic
def cancel_sale(*, sale: Sale, reason: str = "") -> Sale:
    stored = rows.lock(sale)
    reason = (reason or "").strip()
    if stored.status == Sale.Status.CANCELLED:
        raise ValidationError({"status": "This sale is already cancelled."})
    limit = Sale._meta.get_field("cancel_reason").max_length
    if len(reason) > limit:
        raise ValidationError({"cancel_reason": f"Keep the reason under {limit} characters."})
    sale.status = Sale.Status.CANCELLED
    sale.cancelled_at = timezone.now()
    sale.cancel_reason = reason
    sale.save(update_fields=["status", "cancelled_at", "cancel_reason", "updated_at"])
    recompute_totals(sale=sale)
    events.record(studio=sale.studio, type="sale.updated", subject=sale)  # outbox (events/)
    return sale


@keeps_rollup  # the reports' daily rollup (sales.rollup)
@transaction.atomic
def delete_sale(*, sale: Sale) -> None:
    """Delete the sale with its lines, payments and refunds."""
    try:
        sale.delete()
    except ProtectedError as exc:
        raise ValidationError(
            {"sale": "Other records still point at this sale, so it cannot be deleted."}
        ) from exc


@keeps_rollup  # the reports' daily rollup (sales.rollup)
@transaction.atomic
def recompute_totals(*, sale: Sale) -> Sale:
    """Bring the stored line and sale totals in step with the rows (module docstring).

    The sale's own amounts are read from the database, so a stale `sale` object cannot
    skew them; the derived columns are set on `sale` as well."""
    stored = Sale.objects.get(pk=sale.pk)
    include = stored.prices_include_tax
    lines = list(SaleLine.objects.filter(sale=sale))
    changed = []
    for line in lines:
        expected = line_total(line, prices_include_tax=include)
        if line.total_minor != expected:
            line.total_minor = expected
            changed.append(line)
    SaleLine.objects.bulk_update(changed, ["total_minor"])
    totals = compute_totals(
        lines,
        prices_include_tax=include,
        shipping_minor=stored.shipping_minor,
        order_discount_minor=stored.order_discount_minor,
    )
    derived = {
        "subtotal_minor": totals.subtotal_minor,
        "tax_minor": totals.tax_minor,
        "total_minor": totals.total_minor,
        "paid_minor": rows.sum_amounts(Payment.objects.filter(sale=sale)),
        "refunded_minor": rows.sum_amounts(Refund.objects.filter(sale=sale)),
    }
    Sale.objects.filter(pk=sale.pk).update(**derived)
    for name, value in derived.items():
        setattr(sale, name, value)
    return sale


MOVE_CHUNK = 500  # ids per UPDATE: well under SQLite's parameter limit


@transaction.atomic
def move_sales(*, sales: QuerySet[Sale], contact: Contact) -> int:
    """Give these sales to `contact` of the same studio (merging contacts: contacts.merging
    calls it by name, through SalesConfig.move_sales); returns how many moved. Inside the
    rollup keeping, so both contacts' per-client totals are right in this transaction."""
    if sales.exclude(studio_id=contact.studio_id).exists():
        raise ValidationError({"contact": "The contact belongs to another studio."})
    ids = list(sales.order_by("pk").values_list("pk", flat=True))
    with rollup.keeping(ids):
        # updated_at stays: the sale itself did not change (transfers.undo relies on it).
        for start in range(0, len(ids), MOVE_CHUNK):
            Sale.objects.filter(pk__in=ids[start : start + MOVE_CHUNK]).update(contact=contact)
    return len(ids)


def _raise_if_duplicate(sale: Sale) -> None:
    existing = rows.existing_sale_id(sale)
    if existing is not None:
        raise DuplicateSale(existing, sale.external_ref)
