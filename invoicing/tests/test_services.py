"""Invoices and credit notes: numbering, freezing, following the sale, tax filings."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from invoicing import selectors, services
from invoicing.models import CreditNote, Invoice
from sales.services import add_refund, cancel_sale, update_sale
from testkit.factories import line

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 5, 4)


@pytest.fixture
def taxed_sale(make_sale):
    """100.00 net + 20.00 tax (20 %) and a 10.00 album without tax, 5.00 shipping."""
    return make_sale(
        lines=[line("print", 10000, tax_minor=2000), line("album", 1000)], shipping_minor=500
    )


def test_numbers_follow_the_prefix_and_next_number(studio, make_sale):
    services.update_preferences(studio=studio, invoice_prefix="2026/", next_invoice_number=41)
    first = services.create_invoice(sale=make_sale(), issued_on=DAY)
    second = services.create_invoice(sale=make_sale(), issued_on=DAY)
    assert (first.number, second.number) == ("2026/41", "2026/42")
    assert selectors.preferences(studio=studio).next_invoice_number == 43


def test_create_invoice_again_gives_the_same_invoice(taxed_sale):
    first = services.create_invoice(sale=taxed_sale)
    again = services.create_invoice(sale=taxed_sale)
    assert again.pk == first.pk and Invoice.objects.count() == 1


def test_the_invoice_freezes_the_sales_figures(taxed_sale, contact):
    invoice = services.create_invoice(sale=taxed_sale, issued_on=DAY)
    assert invoice.issued_on == DAY and invoice.currency == "GBP"
    assert (invoice.subtotal_minor, invoice.tax_minor, invoice.shipping_minor) == (11000, 2000, 500)
    assert invoice.total_minor == taxed_sale.total_minor == 13500
    assert [(ln.tax_rate_bp, ln.net_minor) for ln in invoice.lines.all()] == [
        (2000, 10000),
        (0, 1000),
    ]
    assert invoice.client_name == contact.display_name


def test_a_rolled_back_invoice_leaves_no_gap(studio, contact, make_sale):
    sale = make_sale()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.create_invoice(sale=sale)
        raise RuntimeError("the caller's transaction fails after the number was taken")
    assert not Invoice.objects.exists()
    invoice = services.create_invoice(sale=sale)
    assert invoice.number == "INV-1"


def test_a_cancelled_sale_is_not_invoiced(make_sale):
    sale = make_sale()
    cancel_sale(sale=sale)
    with pytest.raises(ValidationError):
        services.create_invoice(sale=sale)
    assert not Invoice.objects.exists()


def test_an_open_invoice_follows_its_sale_keeping_number_and_date(taxed_sale):
    invoice = services.create_invoice(sale=taxed_sale, issued_on=DAY)
    update_sale(sale=taxed_sale, shipping_minor=900)
    assert services.follow_sale(sale=taxed_sale) == []
    invoice.refresh_from_db()
    assert (invoice.number, invoice.issued_on, invoice.total_minor) == ("INV-1", DAY, 13900)
    assert Invoice.objects.count() == 1 and not CreditNote.objects.exists()


def test_a_refund_on_an_invoiced_sale_is_a_credit_note(studio, taxed_sale):
    services.update_preferences(studio=studio, credit_note_prefix="CR", next_credit_note_number=7)
    invoice = services.create_invoice(sale=taxed_sale, issued_on=DAY)
    refund = add_refund(sale=taxed_sale, amount_minor=1350, refunded_on=DAY)
    [note] = services.follow_sale(sale=taxed_sale)
    assert (note.number, note.reason, note.refund_id) == ("CR7", "refund", refund.pk)
    assert note.invoice_id == invoice.pk and note.total_minor == 1350 and note.issued_on == DAY
    assert services.follow_sale(sale=taxed_sale) == []  # once per refund


def test_a_change_to_a_filed_invoice_credits_it_and_invoices_again(studio, taxed_sale):
    invoice = services.create_invoice(sale=taxed_sale, issued_on=DAY)
    services.file_tax_report(studio=studio, period_from=DAY, period_to=DAY)
    update_sale(sale=taxed_sale, shipping_minor=0)
    [note] = services.follow_sale(sale=taxed_sale)
    invoice.refresh_from_db()
    assert invoice.superseded and invoice.total_minor == 13500  # its figures never changed
    assert (note.reason, note.total_minor) == ("change", 13500)
    new = selectors.sale_invoice(sale=taxed_sale)
    assert (new.number, new.total_minor) == ("INV-2", 13000)


def test_cancelling_an_invoiced_sale_credits_the_invoice(taxed_sale):
    services.create_invoice(sale=taxed_sale)
    cancel_sale(sale=taxed_sale)
    [note] = services.follow_sale(sale=taxed_sale)
    assert (note.reason, note.total_minor) == ("cancelled", 13500)
    assert selectors.sale_invoice(sale=taxed_sale) is None


def test_tax_report_per_currency_and_rate_less_credit_notes(studio, make_sale, taxed_sale):
    services.create_invoice(sale=taxed_sale, issued_on=DAY)
    usd = make_sale(currency="USD", lines=[line("print", 5000, tax_minor=500)])
    services.create_invoice(sale=usd, issued_on=DAY)
    add_refund(sale=taxed_sale, amount_minor=1200, refunded_on=DAY)
    services.follow_sale(sale=taxed_sale)
    report = selectors.tax_report(studio=studio, period_from=DAY, period_to=DAY)
    gbp, usd_block = report.blocks
    assert gbp.currency == "GBP" and usd_block.currency == "USD"
    # The 12.00 refund splits 15.00 : 120.00 over 0 % and 20 % → 1.33 and 10.67
    # (8.89 net + 1.78 tax), the last rate taking the rounding remainder.
    assert [(r.rate_bp, r.net_minor, r.tax_minor) for r in gbp.rows] == [
        (0, 1500 - 133, 0),
        (2000, 10000 - 889, 2000 - 178),
    ]
    assert [(r.rate_bp, r.net_minor, r.tax_minor) for r in usd_block.rows] == [(1000, 5000, 500)]
    assert (gbp.invoices, gbp.credit_notes, report.unfiled) == (1, 1, 3)


def test_filing_locks_the_period_and_refuses_days_to_come(studio, taxed_sale):
    invoice = services.create_invoice(sale=taxed_sale, issued_on=DAY)
    filing = services.file_tax_report(studio=studio, period_from=DAY, period_to=DAY)
    invoice.refresh_from_db()
    assert invoice.locked and invoice.filing_id == filing.pk
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    with pytest.raises(ValidationError):
        services.file_tax_report(studio=studio, period_from=DAY, period_to=tomorrow)


def test_the_next_number_cannot_go_back_to_an_issued_one(studio, make_sale):
    services.create_invoice(sale=make_sale())
    with pytest.raises(ValidationError) as info:
        services.update_preferences(studio=studio, next_invoice_number=1)
    assert "next_invoice_number" in info.value.message_dict
    assert selectors.preferences(studio=studio).next_invoice_number == 2


def test_an_invoiced_sale_cannot_be_deleted(taxed_sale):
    from sales.services import delete_sale

    services.create_invoice(sale=taxed_sale)
    with pytest.raises(ValidationError):
        delete_sale(sale=taxed_sale)


def test_a_document_never_lands_in_a_filed_period(studio, taxed_sale, make_sale):
    services.create_invoice(sale=taxed_sale, issued_on=DAY)
    services.file_tax_report(studio=studio, period_from=DAY, period_to=DAY)
    late = services.create_invoice(sale=make_sale(), issued_on=DAY)
    assert late.issued_on != DAY and not late.locked
    add_refund(sale=taxed_sale, amount_minor=100, refunded_on=DAY - dt.timedelta(days=3))
    [note] = services.follow_sale(sale=taxed_sale)
    assert note.issued_on > DAY  # not before its invoice, not in the filed day
