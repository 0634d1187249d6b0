"""/api/v1: Create Invoice on a sale, invoices and credit notes (invoicing.services)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema

from api.idempotency import OPENAPI_HEADER, run_idempotently
from api.pagination import PageParams, paginate
from api.schemas import Page, as_json, decimal_string, error_responses
from core.numbers import Id
from invoicing import pdf, selectors, services
from invoicing.models import CreditNote, Invoice
from sales.selectors import sale_detail

router = Router(tags=["invoices"])
AMOUNTS = ("subtotal", "order_discount", "shipping", "tax", "total")


class DocumentLineOut(Schema):
    description: str
    product_kind: str
    quantity: int
    unit_price_minor: int
    discount_minor: int
    net_minor: int
    tax_minor: int
    total_minor: int
    tax_rate_percent: str


class DocumentOut(Schema):
    id: int
    number: str
    issued_on: dt.date
    currency: str
    prices_include_tax: bool
    client_name: str
    client_address: str
    subtotal_minor: int
    order_discount_minor: int
    shipping_minor: int
    tax_minor: int
    total_minor: int
    total: str
    locked: bool
    lines: list[DocumentLineOut]


class InvoiceOut(DocumentOut):
    sale_id: int
    superseded: bool
    credit_note_ids: list[int]


class CreditNoteOut(DocumentOut):
    invoice_id: int
    invoice_number: str
    reason: str
    refund_id: int | None


def _document(doc: Invoice | CreditNote) -> dict[str, Any]:
    body = {
        name: getattr(doc, name)
        for name in (
            "id",
            "number",
            "issued_on",
            "currency",
            "prices_include_tax",
            "client_name",
            "client_address",
            *(f"{a}_minor" for a in AMOUNTS),
            "locked",
        )
    }
    body["total"] = decimal_string(doc.total_minor, doc.currency)
    body["lines"] = [
        {
            **{
                n: getattr(line, n)
                for n in (
                    "description",
                    "product_kind",
                    "quantity",
                    "unit_price_minor",
                    "discount_minor",
                    "net_minor",
                    "tax_minor",
                    "total_minor",
                )
            },
            "tax_rate_percent": f"{line.tax_rate_bp / 100:.2f}",
        }
        for line in doc.lines.all()
    ]
    return body


def invoice_body(invoice: Invoice) -> dict[str, Any]:
    notes = [note.pk for note in invoice.credit_notes.all()]
    return _document(invoice) | {
        "sale_id": invoice.sale_id,
        "superseded": invoice.superseded,
        "credit_note_ids": notes,
    }


def credit_note_body(note: CreditNote) -> dict[str, Any]:
    return _document(note) | {
        "invoice_id": note.invoice_id,
        "invoice_number": note.invoice.number,
        "reason": note.reason,
        "refund_id": note.refund_id,
    }


@router.post(
    "/sales/{sale_id}/invoice",
    summary="Create Invoice",
    response={200: InvoiceOut, 201: InvoiceOut, **error_responses(409)},
    openapi_extra=OPENAPI_HEADER,
)
def invoice_sale(request: HttpRequest, sale_id: Id) -> Any:
    """Invoice the sale with the studio's next invoice number (201), or return its
    invoice when it has one already (200): pressing twice never makes two."""
    studio = request.auth.studio
    sale = sale_detail(studio=studio, pk=sale_id)

    def create() -> tuple[int, dict]:
        had = selectors.sale_invoice(sale=sale) is not None
        invoice = services.create_invoice(sale=sale)
        body = as_json(
            InvoiceOut, invoice_body(selectors.get_invoice(studio=studio, pk=invoice.pk))
        )
        return (200 if had else 201), body

    return run_idempotently(request, create)


@router.get(
    "/invoices", summary="List invoices", response={200: Page[InvoiceOut], **error_responses()}
)
def list_invoices(request: HttpRequest, params: Query[PageParams]) -> Any:
    invoices = selectors.invoice_list(studio=request.auth.studio).prefetch_related(
        "lines", "credit_notes"
    )
    items, next_cursor = paginate(invoices, params)
    return {"data": [invoice_body(i) for i in items], "next_cursor": next_cursor}


@router.get(
    "/invoices/{invoice_id}",
    summary="Get an invoice",
    response={200: InvoiceOut, **error_responses()},
)
def get_invoice(request: HttpRequest, invoice_id: Id) -> Any:
    return invoice_body(selectors.get_invoice(studio=request.auth.studio, pk=invoice_id))


@router.get(
    "/credit-notes",
    summary="List credit notes",
    response={200: Page[CreditNoteOut], **error_responses()},
)
def list_credit_notes(request: HttpRequest, params: Query[PageParams]) -> Any:
    notes = selectors.credit_note_list(studio=request.auth.studio).prefetch_related("lines")
    items, next_cursor = paginate(notes, params)
    return {"data": [credit_note_body(n) for n in items], "next_cursor": next_cursor}


@router.get(
    "/credit-notes/{credit_note_id}",
    summary="Get a credit note",
    response={200: CreditNoteOut, **error_responses()},
)
def get_credit_note(request: HttpRequest, credit_note_id: Id) -> Any:
    return credit_note_body(
        selectors.get_credit_note(studio=request.auth.studio, pk=credit_note_id)
    )


def _pdf(context: dict) -> HttpResponse:
    response = HttpResponse(pdf.render_pdf(context), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf.filename(context)}"'
    return response


PDF_RESPONSE = {
    "responses": {"200": {"description": "The PDF.", "content": {"application/pdf": {}}}}
}


@router.get(
    "/invoices/{invoice_id}/pdf",
    summary="An invoice as a PDF",
    response={200: None, **error_responses()},
    openapi_extra=PDF_RESPONSE,
)
def invoice_pdf(request: HttpRequest, invoice_id: Id) -> Any:
    invoice = selectors.get_invoice(studio=request.auth.studio, pk=invoice_id)
    return _pdf(pdf.context_for(invoice=invoice))


@router.get(
    "/credit-notes/{credit_note_id}/pdf",
    summary="A credit note as a PDF",
    response={200: None, **error_responses()},
    openapi_extra=PDF_RESPONSE,
)
def credit_note_pdf(request: HttpRequest, credit_note_id: Id) -> Any:
    note = selectors.get_credit_note(studio=request.auth.studio, pk=credit_note_id)
    return _pdf(pdf.context_for(credit_note=note))
