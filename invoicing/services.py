"""Every write of invoicing: invoices, credit notes, numbering, tax filings, preferences.

Numbers: the studio's InvoicingSettings row is the counter. Taking a number locks that
row (SELECT … FOR UPDATE on PostgreSQL; on SQLite every transaction begins IMMEDIATE,
see cyan/settings.py, so writers are serialised anyway) and the document is written in
the same transaction: a rolled-back document gives its number back, two users at once
never share one, and no number is skipped.

An issued number is never deleted. While an invoice is not in a filed tax report it
follows its sale (follow_sale re-freezes its figures, same number and date); once filed,
a change to the sale credits what is left of the invoice and issues a new one that
carries the refunds already given, a refund is a credit note for the refunded amount,
and cancelling the sale credits what is left. No invoice is credited beyond its total.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Studio
from core.clock import studio_today
from invoicing import schedules, tax_rollup
from invoicing.figures import Figures, LineFigures, remainder_of, sale_figures, share_of
from invoicing.models import (
    CreditNote,
    CreditNoteLine,
    Invoice,
    InvoiceLine,
    InvoicingSettings,
    TaxFiling,
)
from sales.models import Sale
from sales.rollup import keeps_rollup

PREFERENCE_FIELDS = (
    "invoice_prefix",
    "next_invoice_number",
    "credit_note_prefix",
    "next_credit_note_number",
    "tax_number",
    "address",
    "auto_invoice_collected_orders",
    "reports_invoiced_only",
    "remind_days_before",
    "remind_days_after",
)


def settings_row(*, studio: Studio) -> InvoicingSettings:
    """The studio's settings row, made with the defaults the first time."""
    row, _ = InvoicingSettings.objects.get_or_create(studio=studio)
    return row


def _take_number(studio: Studio, *, credit_note: bool) -> tuple[int, str]:
    """The next number of the sequence, the counter moved on; only inside a transaction."""
    settings_row(studio=studio)
    row = InvoicingSettings.objects.select_for_update().get(studio=studio)
    if credit_note:
        sequence, prefix = row.next_credit_note_number, row.credit_note_prefix
        row.next_credit_note_number = sequence + 1
        row.save(update_fields=["next_credit_note_number"])
    else:
        sequence, prefix = row.next_invoice_number, row.invoice_prefix
        row.next_invoice_number = sequence + 1
        row.save(update_fields=["next_invoice_number"])
    return sequence, f"{prefix}{sequence}"


def _today(studio: Studio) -> dt.date:
    return studio_today(studio)


def _issue_date(studio: Studio, wanted: dt.date) -> dt.date:
    """`wanted`, unless a filed tax report already covers that day: a new document never
    slips into a filed period (it is dated today instead)."""
    filed = TaxFiling.objects.filter(
        studio=studio, period_from__lte=wanted, period_to__gte=wanted
    ).exists()
    return _today(studio) if filed else wanted


def _client(sale: Sale) -> tuple[str, str]:
    contact = sale.contact
    address = contact.addresses.first()
    return contact.display_name, str(address) if address else ""


def _figures_of(sale: Sale) -> Figures:
    return sale_figures(sale, sale.lines.all())


def stored_figures(document: Invoice | CreditNote) -> Figures:
    """The figures a document froze, in the same form as a sale's (to compare them)."""
    lines = tuple(
        LineFigures(
            description=line.description,
            product_kind=line.product_kind,
            quantity=line.quantity,
            unit_price_minor=line.unit_price_minor,
            discount_minor=line.discount_minor,
            net_minor=line.net_minor,
            tax_minor=line.tax_minor,
            total_minor=line.total_minor,
            tax_rate_bp=line.tax_rate_bp,
        )
        for line in document.lines.all()
    )
    return Figures(
        currency=document.currency,
        prices_include_tax=document.prices_include_tax,
        subtotal_minor=document.subtotal_minor,
        order_discount_minor=document.order_discount_minor,
        shipping_minor=document.shipping_minor,
        tax_minor=document.tax_minor,
        total_minor=document.total_minor,
        lines=lines,
    )


def _freeze(document: Invoice | CreditNote, figures: Figures, line_model: type) -> None:
    """Write `figures` onto the document (saved or new) and replace its lines: the one
    place a document's figures change, so the tax report's rollup is kept here."""
    with tax_rollup.keeping(document):
        _write_figures(document, figures, line_model)


def _write_figures(document: Invoice | CreditNote, figures: Figures, line_model: type) -> None:
    for name in (
        "currency",
        "prices_include_tax",
        "subtotal_minor",
        "order_discount_minor",
        "shipping_minor",
        "tax_minor",
        "total_minor",
    ):
        setattr(document, name, getattr(figures, name))
    document.save()
    document.lines.all().delete()
    owner = "invoice" if line_model is InvoiceLine else "credit_note"
    line_model.objects.bulk_create(
        line_model(studio_id=document.studio_id, position=i, **{owner: document}, **vars(line))
        for i, line in enumerate(figures.lines)
    )


def current_invoice(sale: Sale) -> Invoice | None:
    return Invoice.objects.filter(sale=sale, superseded=False).first()


@keeps_rollup  # a sale's invoice state is in the reports' rollup
@transaction.atomic
def create_invoice(*, sale: Sale, issued_on: dt.date | None = None) -> Invoice:
    """Create Invoice: the sale's current invoice, made now with the next number if it
    has none (a second call returns the same invoice). Credit notes for refunds already
    recorded on the sale follow in the same transaction."""
    locked = Sale.objects.select_for_update(of=("self",)).select_related("contact").get(pk=sale.pk)
    existing = current_invoice(locked)
    if existing is not None:
        return existing
    if locked.status == Sale.Status.CANCELLED:
        raise ValidationError({"sale": "This sale is cancelled: there is nothing to invoice."})
    invoice = _new_invoice(locked, _issue_date(locked.studio, issued_on or _today(locked.studio)))
    _credit_new_refunds(invoice)
    schedules.refresh_schedule(sale=locked)  # steps due after the invoice date move
    return invoice


def _new_invoice(sale: Sale, issued_on: dt.date) -> Invoice:
    sequence, number = _take_number(sale.studio, credit_note=False)
    name, address = _client(sale)
    invoice = Invoice(
        studio_id=sale.studio_id,
        sale=sale,
        number=number,
        sequence=sequence,
        issued_on=issued_on,
        client_name=name[:300],
        client_address=address,
    )
    _freeze(invoice, _figures_of(sale), InvoiceLine)
    return invoice


def _credit_note(
    invoice: Invoice, figures: Figures, reason: str, *, refund=None, issued_on=None
) -> CreditNote:
    sequence, number = _take_number(invoice.studio, credit_note=True)
    note = CreditNote(
        studio_id=invoice.studio_id,
        invoice=invoice,
        number=number,
        sequence=sequence,
        issued_on=_issue_date(invoice.studio, issued_on or _today(invoice.studio)),
        reason=reason,
        refund=refund,
        client_name=invoice.client_name,
        client_address=invoice.client_address,
    )
    _freeze(note, figures, CreditNoteLine)
    return note


def _credit_new_refunds(invoice: Invoice) -> list[CreditNote]:
    """One credit note per refund of the sale that has none yet."""
    refunds = invoice.sale.refunds.filter(credit_note__isnull=True).order_by("refunded_on", "pk")
    figures = stored_figures(invoice)
    return [
        _credit_note(
            invoice,
            share_of(figures, refund.amount_minor, f"Refund on invoice {invoice.number}"),
            CreditNote.Reason.REFUND,
            refund=refund,
            issued_on=max(refund.refunded_on, invoice.issued_on),  # never before its invoice
        )
        for refund in refunds
    ]


@keeps_rollup  # a sale's invoice state is in the reports' rollup
@transaction.atomic
def follow_sale(*, sale: Sale) -> list[CreditNote]:
    """Bring an invoiced sale's documents in step with the sale (module docstring); a sale
    without an invoice is left alone. Idempotent: call it after any change to a sale.
    Returns the credit notes it issued."""
    locked = Sale.objects.select_for_update(of=("self",)).select_related("contact").get(pk=sale.pk)
    invoice = current_invoice(locked)
    if invoice is None:
        schedules.refresh_schedule(sale=locked)  # the total may have moved
        return []
    notes = _follow_invoice(locked, invoice)
    schedules.refresh_schedule(sale=locked)  # and the invoice date (a new invoice)
    return notes


def _follow_invoice(locked: Sale, invoice: Invoice) -> list[CreditNote]:
    notes = _credit_new_refunds(invoice)
    if locked.status == Sale.Status.CANCELLED:
        notes.extend(_cancel_invoice(invoice, CreditNote.Reason.CANCELLED))
        return notes
    wanted = _figures_of(locked)
    if wanted == stored_figures(invoice):
        return notes
    if not invoice.locked:
        _freeze(invoice, wanted, InvoiceLine)
        return notes
    notes.extend(_cancel_invoice(invoice, CreditNote.Reason.CHANGE))
    new = _new_invoice(locked, _today(locked.studio))
    if locked.refunded_minor:  # the old one was credited net of them: the new one carries them
        text = f"Refunds already given (credited on invoice {invoice.number})"
        figures = share_of(stored_figures(new), locked.refunded_minor, text)
        notes.append(_credit_note(new, figures, CreditNote.Reason.REFUND, issued_on=new.issued_on))
    return notes


def _cancel_invoice(invoice: Invoice, reason: str) -> list[CreditNote]:
    """Credit the invoice and mark it superseded: a change, what its own notes left of it
    (never its gross on top of its refunds' notes); a cancellation, what the sale's
    documents still add up to, so they net to nothing. No note when nothing is left."""
    figures = stored_figures(invoice)
    credited = CreditNote.objects.filter(invoice__sale_id=invoice.sale_id)
    own = [stored_figures(note) for note in invoice.credit_notes.all()]
    if reason == CreditNote.Reason.CHANGE and own:
        figures = remainder_of([figures], own, f"Change to invoice {invoice.number}")
    elif reason == CreditNote.Reason.CANCELLED and invoice.sale_id and credited.exists():
        invoiced = Invoice.objects.filter(sale_id=invoice.sale_id)
        figures = remainder_of(
            [stored_figures(document) for document in invoiced],
            [stored_figures(note) for note in credited],
            f"Cancellation of invoice {invoice.number}",
        )
    notes = [_credit_note(invoice, figures, reason)] if figures.total_minor else []
    invoice.superseded = True
    invoice.save(update_fields=["superseded", "updated_at"])
    return notes


@transaction.atomic
def file_tax_report(*, studio: Studio, period_from: dt.date, period_to: dt.date) -> TaxFiling:
    """File the tax report of the period: every invoice and credit note issued in it and
    not yet filed is locked into this filing (their figures never change again)."""
    if period_from > period_to:
        raise ValidationError({"period_to": "The period ends before it starts."})
    if period_to >= _today(studio) + dt.timedelta(days=1):
        raise ValidationError({"period_to": "A tax report can only be filed for days past."})
    _follow_open_sales(studio, period_from, period_to)
    filing = TaxFiling.objects.create(studio=studio, period_from=period_from, period_to=period_to)
    for model in (Invoice, CreditNote):
        model.objects.filter(
            studio=studio,
            filing__isnull=True,
            issued_on__gte=period_from,
            issued_on__lte=period_to,
        ).update(filing=filing, updated_at=timezone.now())
    return filing


def _follow_open_sales(studio: Studio, period_from: dt.date, period_to: dt.date) -> None:
    """Before locking, bring the period's open invoices in step with their sales, so a
    change or refund made without follow_sale is not filed wrongly."""
    sale_ids = Invoice.objects.filter(
        studio=studio,
        superseded=False,
        filing__isnull=True,
        issued_on__gte=period_from,
        issued_on__lte=period_to,
    ).values_list("sale_id", flat=True)
    for sale in Sale.objects.filter(pk__in=list(sale_ids)):
        follow_sale(sale=sale)


LOGO_MAX_BYTES = 512 * 1024
LOGO_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}


@transaction.atomic
def set_logo(*, studio: Studio, image: bytes | None) -> InvoicingSettings:
    """The logo for invoices (PNG or JPEG, at most 512 KB), or None to remove it."""
    settings_row(studio=studio)
    row = InvoicingSettings.objects.select_for_update().get(studio=studio)
    if image is None:
        row.logo, row.logo_type = None, ""
    else:
        row.logo, row.logo_type = image, _logo_type(image)
    row.save(update_fields=["logo", "logo_type"])
    return row


def _logo_type(image: bytes) -> str:
    from io import BytesIO

    from PIL import Image, UnidentifiedImageError

    if len(image) > LOGO_MAX_BYTES:
        raise ValidationError({"logo": "The logo may be at most 512 KB."})
    try:
        with Image.open(BytesIO(image)) as picture:
            kind = picture.format or ""
            picture.verify()
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ValidationError({"logo": "The logo must be a PNG or JPEG image."}) from exc
    if kind not in LOGO_TYPES:
        raise ValidationError({"logo": "The logo must be a PNG or JPEG image."})
    return LOGO_TYPES[kind]


@transaction.atomic
def update_preferences(*, studio: Studio, **fields: object) -> InvoicingSettings:
    """Set any of PREFERENCE_FIELDS. A next number may not go back to a number already
    issued (that would give two documents one number)."""
    unknown = set(fields) - set(PREFERENCE_FIELDS)
    if unknown:
        raise TypeError(f"update_preferences() cannot set {', '.join(sorted(unknown))}.")
    settings_row(studio=studio)
    row = InvoicingSettings.objects.select_for_update().get(studio=studio)
    for name, value in fields.items():
        setattr(row, name, value)
    errors = {}
    for field, model in (
        ("next_invoice_number", Invoice),
        ("next_credit_note_number", CreditNote),
    ):
        last = model.objects.filter(studio=studio).order_by("-sequence").first()
        if last is not None and getattr(row, field) <= last.sequence:
            errors[field] = f"Must be above {last.sequence}, the last number issued ({last})."
    if errors:
        raise ValidationError(errors)
    row.save()
    return row


@keeps_rollup  # a sale's invoice state is in the reports' rollup
@transaction.atomic
def release_sale(*, sale: Sale) -> list[CreditNote]:
    """Before a sale is deleted on purpose (un-importing an order imported by mistake):
    its current invoice is credited in full and every document of it is kept, detached
    from the sale — an issued number is never deleted."""
    invoice = current_invoice(sale)
    notes = [] if invoice is None else _cancel_invoice(invoice, CreditNote.Reason.CANCELLED)
    CreditNote.objects.filter(invoice__sale=sale, refund__isnull=False).update(refund=None)
    Invoice.objects.filter(sale=sale).update(sale=None, updated_at=timezone.now())
    return notes


def invoice_if_collected(*, sale: Sale) -> Invoice | None:
    """Auto-invoice an imported gallery order that the gallery already collected in full
    (called explicitly by "Import Order"), unless the studio turned it off."""
    prefs = InvoicingSettings.objects.filter(studio_id=sale.studio_id).first()
    if prefs is not None and not prefs.auto_invoice_collected_orders:
        return None
    paid_in_full = sale.total_minor > 0 and sale.paid_minor >= sale.total_minor
    if sale.status != Sale.Status.ACTIVE or not paid_in_full:
        return None
    return create_invoice(sale=sale, issued_on=sale.sale_date)
