"""Invoicing called from the sale page, the import and the reports."""

import datetime as dt

import pytest
from django.urls import reverse

from inbox.importing import import_item, unimport_item
from invoicing import selectors, services
from invoicing.models import CreditNote, Invoice
from reports.selectors import ReportFilters, sales_by_product_kind, sales_summary
from testkit.factories import receive
from testkit.payloads import amount

pytestmark = pytest.mark.django_db


def test_create_invoice_button_then_the_same_invoice_again(auth_client, make_sale):
    sale = make_sale()
    page = auth_client.get(reverse("sales:detail", args=[sale.pk])).content.decode()
    assert "Create Invoice" in page and "order confirmation" in page
    confirmation = auth_client.get(reverse("invoicing:confirmation", args=[sale.pk]))
    assert "Invoice number yet to be assigned" in confirmation.content.decode()
    for _ in range(2):
        auth_client.post(reverse("invoicing:create", args=[sale.pk]))
    invoice = Invoice.objects.get()
    page = auth_client.get(reverse("sales:detail", args=[sale.pk])).content.decode()
    assert "INV-1" in page and "Create Invoice" not in page
    document = auth_client.get(reverse("invoicing:invoice", args=[invoice.pk])).content.decode()
    assert "INV-1" in document and "yet to be assigned" not in document


def test_a_refund_recorded_on_the_sale_page_issues_a_credit_note(auth_client, make_sale):
    sale = make_sale()
    services.create_invoice(sale=sale)
    auth_client.post(
        reverse("sales:add_refund", args=[sale.pk]),
        {"refund-amount": "4.00", "refund-refunded_on": "2026-05-05", "refund-reason": "Late"},
    )
    note = CreditNote.objects.get()
    assert (note.total_minor, note.reason, note.number) == (400, "refund", "CN-1")


def test_cancelling_on_the_sale_page_credits_its_invoice(auth_client, make_sale):
    sale = make_sale()
    invoice = services.create_invoice(sale=sale)
    auth_client.post(reverse("sales:cancel", args=[sale.pk]), {"reason": "Changed mind"})
    note = CreditNote.objects.get()
    assert (note.invoice_id, note.reason, note.total_minor) == (invoice.pk, "cancelled", 1000)


def test_a_gallery_order_paid_at_the_gallery_is_invoiced_on_import(studio, ada):
    sale = import_item(item=receive(studio))
    invoice = selectors.sale_invoice(sale=sale)
    assert invoice is not None and invoice.total_minor == sale.total_minor
    assert invoice.issued_on == sale.sale_date


def test_the_studio_can_turn_auto_invoicing_off(studio, ada):
    services.update_preferences(studio=studio, auto_invoice_collected_orders=False)
    sale = import_item(item=receive(studio))
    assert selectors.sale_invoice(sale=sale) is None


def test_unimporting_credits_the_auto_invoice_and_keeps_it(studio, ada):
    item = receive(studio)
    import_item(item=item)
    unimport_item(item=item)
    invoice = Invoice.objects.get()
    assert invoice.sale_id is None and invoice.superseded
    assert CreditNote.objects.get().total_minor == invoice.total_minor


def test_reports_count_invoiced_sales_only_when_the_studio_says_so(studio, make_sale):
    invoiced, _ = make_sale(total_minor=1000), make_sale(total_minor=500)
    services.create_invoice(sale=invoiced)
    filters = ReportFilters(date_from=dt.date(2000, 1, 1))
    assert sales_summary(studio=studio, filters=filters)[0].figures.count == 2
    services.update_preferences(studio=studio, reports_invoiced_only=True)
    [summary] = sales_summary(studio=studio, filters=filters)
    assert (summary.figures.count, summary.figures.gross_minor) == (1, 1000)
    [kinds] = sales_by_product_kind(studio=studio, filters=filters)
    assert sum(row.total_minor for row in kinds.rows) == 1000


def test_a_gallery_order_paid_at_the_gallery_shows_paid_and_one_due_shows_owed(
    auth_client, studio, ada
):
    paid = import_item(item=receive(studio))
    page = auth_client.get(reverse("sales:detail", args=[paid.pk])).content.decode()
    assert "at the gallery" in page and "Add Payment" not in page

    def unpaid(payload: dict) -> None:
        payload["amount_paid"] = amount(0, "USD")
        payload["payment_status"] = "unpaid"

    owing = import_item(item=receive(studio, 2, change=unpaid))
    page = auth_client.get(reverse("sales:detail", args=[owing.pk])).content.decode()
    assert "Add Payment" in page and "Outstanding" in page
    assert selectors.sale_invoice(sale=owing) is None  # not collected: not auto-invoiced
