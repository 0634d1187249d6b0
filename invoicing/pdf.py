"""PDFs of an invoice, a credit note and an order confirmation (WeasyPrint), from the same
context as their pages (invoicing.documents); and emailing one to the client.

WeasyPrint lays text out with Pango, so right-to-left names (Arabic, Hebrew) render in
their own direction (`dir="auto"` in the template). It never fetches anything: the
logo is inline (a data: URL) and the url_fetcher refuses every other URL."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from invoicing import documents
from invoicing.models import CreditNote, Invoice
from sales.models import Sale


def fetcher() -> Any:
    """Only data: URLs (the inline logo) are read: a PDF never fetches anything."""
    from weasyprint import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, allow_redirects=False, timeout=1)


def render_pdf(context: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # imported here: it loads Pango when first used

    html = render_to_string("invoicing/pdf.html", context)
    return HTML(string=html, url_fetcher=fetcher()).write_pdf()


def context_for(
    *,
    sale: Sale | None = None,
    invoice: Invoice | None = None,
    credit_note: CreditNote | None = None,
) -> dict:
    if invoice is not None:
        return documents.invoice_context(invoice)
    if credit_note is not None:
        return documents.credit_note_context(credit_note)
    return documents.confirmation_context(sale)


def filename(context: dict[str, Any]) -> str:
    if context["kind"] == "confirmation":
        return f"order-confirmation-{context['sale_id']}.pdf"
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in context["number"])
    return f"{'invoice' if context['kind'] == 'invoice' else 'credit-note'}-{safe}.pdf"


def client_email(sale: Sale) -> str:
    first = sale.contact.emails.first()
    return first.email if first is not None else ""


def email_document(
    *, sale: Sale, to: str = "", document: Invoice | CreditNote | None = None
) -> str:
    """Email the sale's current invoice (or `document`, or the order confirmation before
    invoicing) as a PDF to `to` (default: the client's first email). Returns the address."""
    to = (to or client_email(sale)).strip()
    if not to or "@" not in to:
        raise ValidationError({"to": "The client has no email address: give one."})
    if document is None:
        from invoicing.selectors import sale_invoice

        document = sale_invoice(sale=sale)
    if isinstance(document, Invoice):
        context = context_for(invoice=document)
    elif isinstance(document, CreditNote):
        context = context_for(credit_note=document)
    else:
        context = context_for(sale=sale)
    studio = context["studio"]["name"]
    message = EmailMessage(
        subject=f"{context['title']} from {studio}",
        body=render_to_string("invoicing/email/document.txt", context),
        to=[to],
    )
    message.attach(filename(context), render_pdf(context), "application/pdf")
    message.send()
    return to
