"""What an invoice, a credit note and an order confirmation print: one context for the
page and the PDF (invoicing/templates/invoicing/document.html)."""

from __future__ import annotations

import base64
from typing import Any

from invoicing import selectors
from invoicing.figures import sale_figures
from invoicing.models import CreditNote, Invoice
from sales.models import Sale


def _studio(studio: Any) -> dict[str, Any]:
    prefs = selectors.preferences(studio=studio)
    logo = ""
    if prefs.logo and prefs.logo_type:
        # Inline, so the page and the PDF need no media URL (the PDF fetches nothing else).
        logo = f"data:{prefs.logo_type};base64,{base64.b64encode(bytes(prefs.logo)).decode()}"
    return {
        "name": studio.name,
        "address": prefs.address,
        "tax_number": prefs.tax_number,
        "logo": logo,
    }


def invoice_context(invoice: Invoice) -> dict[str, Any]:
    return {
        "kind": "invoice",
        "title": f"Invoice {invoice.number}",
        "number": invoice.number,
        "issued_on": invoice.issued_on,
        "studio": _studio(invoice.studio),
        "client_name": invoice.client_name,
        "client_address": invoice.client_address,
        "document": invoice,
        "lines": list(invoice.lines.all()),
        "sale_id": invoice.sale_id,
        "note": "Superseded: credited in full." if invoice.superseded else "",
    }


def credit_note_context(note: CreditNote) -> dict[str, Any]:
    return {
        "kind": "credit_note",
        "title": f"Credit note {note.number}",
        "number": note.number,
        "issued_on": note.issued_on,
        "studio": _studio(note.studio),
        "client_name": note.client_name,
        "client_address": note.client_address,
        "document": note,
        "lines": list(note.lines.all()),
        "sale_id": note.invoice.sale_id,
        "note": f"{note.get_reason_display()} — credits invoice {note.invoice.number}.",
    }


def confirmation_context(sale: Sale) -> dict[str, Any]:
    """Before Create Invoice the sale prints as an order confirmation."""
    figures = sale_figures(sale, sale.lines.all())
    address = sale.contact.addresses.first()
    return {
        "kind": "confirmation",
        "title": f"Order confirmation (sale #{sale.pk})",
        "number": "",
        "issued_on": sale.sale_date,
        "studio": _studio(sale.studio),
        "client_name": sale.contact.display_name,
        "client_address": str(address) if address else "",
        "document": figures,
        "lines": figures.lines,
        "sale_id": sale.pk,
        "note": "",
    }
