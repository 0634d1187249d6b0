"""A filed invoice whose sale changes is credited for what is left of it, not its gross:
its refunds' credit notes already took their part. The new invoice is for the new total,
and the refunds already given are credited on it, so each invoice nets to what it is
worth and none is ever credited beyond its own total. Before, a refunded invoice was
credited in full on top of its refund notes (invoiced 135.00, credited 145.00)."""

from __future__ import annotations

import datetime as dt

import pytest

from invoicing import selectors, services
from invoicing.models import CreditNote, Invoice
from invoicing.tests.test_credit_never_exceeds import _sum, documents_net, worth
from sales.services import add_payment, add_refund, update_sale
from testkit.factories import line

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 5, 4)


@pytest.fixture
def taxed_sale(make_sale):
    sale = make_sale(
        lines=[line("print", 10000, tax_minor=2000), line("album", 1000)], shipping_minor=500
    )
    add_payment(sale=sale, amount_minor=sale.total_minor, paid_on=sale.sale_date)
    return sale


def _credited(invoice: Invoice) -> int:
    return _sum(invoice.credit_notes.all(), "total_minor")


def test_a_change_to_a_filed_refunded_invoice_credits_what_is_left_of_it(studio, taxed_sale):
    first = services.create_invoice(sale=taxed_sale, issued_on=DAY)
    add_refund(sale=taxed_sale, amount_minor=1000, refunded_on=DAY)
    services.follow_sale(sale=taxed_sale)
    services.file_tax_report(studio=studio, period_from=DAY, period_to=DAY)
    update_sale(sale=taxed_sale, lines=[line("print", 12000, tax_minor=2400)])
    notes = services.follow_sale(sale=taxed_sale)
    change = next(n for n in notes if n.reason == CreditNote.Reason.CHANGE)
    assert change.total_minor == 13500 - 1000  # not the gross 135.00
    first.refresh_from_db()
    assert _credited(first) == first.total_minor == 13500
    new = selectors.sale_invoice(sale=taxed_sale)
    assert new.total_minor == 14900  # 120.00 + 24.00 tax + 5.00 shipping
    assert _credited(new) == 1000  # the refund already given, carried
    assert documents_net(taxed_sale)[0] == worth(taxed_sale) == 13900


@pytest.mark.parametrize("changes", [1, 2, 3])
def test_every_invoice_nets_to_zero_or_to_the_sales_worth_after_changes(
    studio, taxed_sale, changes
):
    services.create_invoice(sale=taxed_sale, issued_on=DAY)
    for n in range(changes):
        add_refund(sale=taxed_sale, amount_minor=700 + 100 * n, refunded_on=DAY)
        services.follow_sale(sale=taxed_sale)
        services.file_tax_report(studio=studio, period_from=DAY, period_to=DAY)
        update_sale(sale=taxed_sale, lines=[line("print", 12000 + 1000 * n, tax_minor=2400)])
        services.follow_sale(sale=taxed_sale)
    for invoice in Invoice.objects.filter(sale=taxed_sale):
        left = invoice.total_minor - _credited(invoice)
        assert left == (0 if invoice.superseded else worth(taxed_sale))
    assert documents_net(taxed_sale)[0] == worth(taxed_sale)
