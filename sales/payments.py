"""Editing and deleting one payment or refund (sales.services records them). Each change
checks the sale's rules again (refunds never above what was paid, sales.services) and
writes an audit line (SaleAudit) in the same transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.db.models import ProtectedError
from django.db.models.deletion import Collector

from sales import rows
from sales import validation as check
from sales.inputs import PaymentInput, RefundInput
from sales.models import Payment, Refund, Sale, SaleAudit
from sales.rollup import keeps_rollup
from sales.services import recompute_totals
from sales.validation import format_money

PAYMENT_FIELDS = frozenset({"amount_minor", "paid_on", "method", "reference"})
REFUND_FIELDS = frozenset({"amount_minor", "refunded_on", "reason"})
REFUND_ON_CREDIT_NOTE = "This refund is recorded on a credit note, so it cannot be deleted."


def _describe(row: Payment | Refund, currency: str) -> str:
    day: dt.date = row.paid_on if isinstance(row, Payment) else row.refunded_on
    note = row.method if isinstance(row, Payment) else row.reason
    return f"{format_money(row.amount_minor, currency)} on {day:%Y-%m-%d}" + (
        f" ({note})" if note else ""
    )


# SaleAudit.external_ref of a deleted gallery refund: "refund:<the gallery's id>".
DELETED_REFUND = "refund:"


def _audit(sale: Sale, text: str, by: str, external_ref: str = "") -> None:
    SaleAudit.objects.create(
        studio_id=sale.studio_id, sale=sale, text=text[:500], by=by[:254], external_ref=external_ref
    )


def _cap_errors(stored: Sale, *, paid_minor: int, refunded_minor: int) -> dict:
    errors: dict = {}
    cap = check.refund_cap(total_minor=stored.total_minor, paid_minor=paid_minor)
    if refunded_minor > cap:
        check.add_error(
            errors,
            "amount_minor",
            "Refunds would exceed what was paid: "
            f"{format_money(refunded_minor, stored.currency)} refunded, "
            f"at most {format_money(cap, stored.currency)}.",
        )
    return errors


@keeps_rollup  # the reports' daily rollup (sales.rollup)
@transaction.atomic
def update_payment(*, payment: Payment, by: str = "", **fields: Any) -> Payment:
    unknown = set(fields) - PAYMENT_FIELDS
    if unknown:
        raise TypeError(f"update_payment() cannot set {', '.join(sorted(unknown))}.")
    stored = rows.lock(payment.sale)
    row = Payment.objects.get(pk=payment.pk)
    # The amount as stored now, not the caller's copy (another edit may have changed it).
    was_minor = row.amount_minor
    before = _describe(row, stored.currency)
    for name, value in fields.items():
        setattr(row, name, "" if value is None and name in {"method", "reference"} else value)
    new = PaymentInput(row.amount_minor, row.paid_on, row.method, row.reference)
    errors = check.merge(
        check.unprefixed(check.payment_errors([new]), "payments"),
        check.row_text_errors(row, {"method", "reference"}),
    )
    if not errors:
        paid = stored.paid_minor - was_minor + row.amount_minor
        errors = _cap_errors(stored, paid_minor=paid, refunded_minor=stored.refunded_minor)
    if errors:
        raise ValidationError(errors)
    row.save()
    _audit(stored, f"Payment {before} changed to {_describe(row, stored.currency)}.", by)
    recompute_totals(sale=stored)
    return row


def _deletion_errors(sale: Sale, payment: Payment) -> dict:
    """Why deleting the payment is refused: what is left paid would not cover the refunds."""
    paid = sale.paid_minor - payment.amount_minor
    errors = _cap_errors(sale, paid_minor=paid, refunded_minor=sale.refunded_minor)
    return errors if sale.refunded_minor > 0 else {}


def deletion_refused(row: Payment | Refund) -> str:
    """Why delete_payment / delete_refund would refuse this row now ('' if it would not),
    to say so before the studio confirms."""
    if isinstance(row, Payment):
        errors = _deletion_errors(row.sale, row)
        return " ".join(ValidationError(errors).messages) if errors else ""
    try:
        Collector(using=router.db_for_write(Refund)).collect([row])
    except ProtectedError:
        return REFUND_ON_CREDIT_NOTE
    return ""


@keeps_rollup  # the reports' daily rollup (sales.rollup)
@transaction.atomic
def delete_payment(*, payment: Payment, by: str = "") -> None:
    stored = rows.lock(payment.sale)
    row = Payment.objects.get(pk=payment.pk)
    if errors := _deletion_errors(stored, row):
        raise ValidationError(errors)
    text = f"Payment {_describe(row, stored.currency)} deleted." + (
        " It was taken at the gallery; a later version of the order does not add it again."
        if row.from_gallery
        else ""
    )
    row.delete()
    _audit(stored, text, by)
    recompute_totals(sale=stored)


@keeps_rollup  # the reports' daily rollup (sales.rollup)
@transaction.atomic
def update_refund(*, refund: Refund, by: str = "", **fields: Any) -> Refund:
    unknown = set(fields) - REFUND_FIELDS
    if unknown:
        raise TypeError(f"update_refund() cannot set {', '.join(sorted(unknown))}.")
    stored = rows.lock(refund.sale)
    row = Refund.objects.get(pk=refund.pk)
    was_minor = row.amount_minor  # as stored now (see update_payment)
    before = _describe(row, stored.currency)
    for name, value in fields.items():
        setattr(row, name, "" if value is None and name == "reason" else value)
    new = RefundInput(row.amount_minor, row.refunded_on, row.reason, row.external_ref)
    errors = check.merge(
        check.unprefixed(check.refund_errors([new]), "refunds"),
        check.row_text_errors(row, {"reason"}),
    )
    if not errors:
        refunded = stored.refunded_minor - was_minor + row.amount_minor
        errors = _cap_errors(stored, paid_minor=stored.paid_minor, refunded_minor=refunded)
    if errors:
        raise ValidationError(errors)
    row.save()
    _audit(stored, f"Refund {before} changed to {_describe(row, stored.currency)}.", by)
    recompute_totals(sale=stored)
    return row


@keeps_rollup  # the reports' daily rollup (sales.rollup)
@transaction.atomic
def delete_refund(*, refund: Refund, by: str = "") -> None:
    stored = rows.lock(refund.sale)
    row = Refund.objects.get(pk=refund.pk)
    text = f"Refund {_describe(row, stored.currency)} deleted."
    # A gallery's refund: its id stays in the history, so a later version of the order
    # that still lists it does not add it again (inbox.imported_updates).
    tombstone = f"{DELETED_REFUND}{row.external_ref}"[:130] if row.external_ref else ""
    if tombstone:
        text += " It was the gallery's; a later version of the order does not add it again."
    try:
        with transaction.atomic():
            row.delete()
    except ProtectedError as exc:
        raise ValidationError({"refund": REFUND_ON_CREDIT_NOTE}) from exc
    _audit(stored, text, by, tombstone)
    recompute_totals(sale=stored)
