"""An invoice is never credited beyond what it invoiced: the documents of a sale always
net to what the sale is worth (total − refunded while active, nothing once cancelled),
and so does the tax report. Before, cancelling a sale credited its invoice in full on
top of the credit notes its refunds already had: a gallery order refunded and
cancelled (the usual cancellation) was invoiced 135.00 and credited 270.00, and the tax
report showed the studio owing 20.00 less tax than it had ever charged."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db.models import Sum

from invoicing import selectors, services
from invoicing.models import CreditNote, Invoice
from sales.models import Sale
from sales.services import add_payment, add_refund, cancel_sale, update_sale
from testkit.factories import line

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 5, 4)


def _sum(queryset, field: str) -> int:
    return queryset.aggregate(s=Sum(field))["s"] or 0


def documents_net(sale: Sale) -> tuple[int, int]:
    """(Σ total, Σ tax) of the sale's invoices less its credit notes."""
    invoices = Invoice.objects.filter(sale=sale)
    notes = CreditNote.objects.filter(invoice__sale=sale)
    return (
        _sum(invoices, "total_minor") - _sum(notes, "total_minor"),
        _sum(invoices, "tax_minor") - _sum(notes, "tax_minor"),
    )


def worth(sale: Sale) -> int:
    sale.refresh_from_db()
    return 0 if sale.status == Sale.Status.CANCELLED else sale.total_minor - sale.refunded_minor


@pytest.fixture
def taxed_sale(make_sale):
    """100.00 net + 20.00 tax (20 %) and a 10.00 album without tax, 5.00 shipping: 135.00."""
    sale = make_sale(
        lines=[line("print", 10000, tax_minor=2000), line("album", 1000)], shipping_minor=500
    )
    add_payment(sale=sale, amount_minor=sale.total_minor, paid_on=sale.sale_date)
    return sale


@pytest.mark.parametrize("refunded", [1350, 13500])
def test_cancelling_a_refunded_invoiced_sale_credits_only_what_is_left(taxed_sale, refunded):
    services.create_invoice(sale=taxed_sale, issued_on=DAY)
    add_refund(sale=taxed_sale, amount_minor=refunded, refunded_on=DAY)
    services.follow_sale(sale=taxed_sale)
    cancel_sale(sale=taxed_sale)
    services.follow_sale(sale=taxed_sale)
    assert documents_net(taxed_sale) == (0, 0)
    assert selectors.sale_invoice(sale=taxed_sale) is None


def test_the_tax_report_of_a_refunded_and_cancelled_sale_is_nil(studio, taxed_sale):
    services.create_invoice(sale=taxed_sale, issued_on=DAY)
    add_refund(sale=taxed_sale, amount_minor=13500, refunded_on=DAY)
    cancel_sale(sale=taxed_sale)
    services.follow_sale(sale=taxed_sale)  # both at once, as a gallery's version brings them
    today = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)  # every note's date
    report = selectors.tax_report(studio=studio, period_from=DAY, period_to=today)
    assert [(r.net_minor, r.tax_minor) for block in report.blocks for r in block.rows] in (
        [],
        [(0, 0), (0, 0)],
    )


# Every order of these steps (refund twice, change the lines, file the tax report,
# cancel), each followed by invoicing as every caller does.
STEPS = ("refund", "change", "file", "cancel", "refund")


@pytest.mark.parametrize(
    "steps", sorted(set(itertools.permutations(STEPS, 4))), ids=lambda steps: "-".join(steps)
)
def test_a_sales_documents_always_net_to_what_it_is_worth(studio, taxed_sale, steps):
    """Invoices less credit notes = the sale's worth, and no invoice is credited beyond its
    own total."""
    sale = taxed_sale
    services.create_invoice(sale=sale, issued_on=DAY)
    for n, step in enumerate(steps):
        sale.refresh_from_db()
        cancelled = sale.status == Sale.Status.CANCELLED
        if step == "refund":
            add_refund(sale=sale, amount_minor=1000 + 500 * n, refunded_on=DAY)
        elif step == "change" and not cancelled:
            update_sale(sale=sale, lines=[line("print", 12000, tax_minor=2400)])
        elif step == "file":
            services.file_tax_report(studio=studio, period_from=DAY, period_to=DAY)
        elif step == "cancel":
            cancel_sale(sale=sale)
        services.follow_sale(sale=sale)
    assert documents_net(sale)[0] == worth(sale)
    # No invoice is credited beyond its own total: a change credits what its refunds'
    # notes left of it (the new invoice carries the refunds), a cancellation the rest.
    for invoice in Invoice.objects.filter(sale=sale):
        assert _sum(invoice.credit_notes.all(), "total_minor") <= invoice.total_minor


def test_releasing_a_refunded_sale_credits_only_what_is_left(taxed_sale):
    """Un-importing an order (its sale released, then deleted) after a refund."""
    invoice = services.create_invoice(sale=taxed_sale, issued_on=DAY)
    add_refund(sale=taxed_sale, amount_minor=2000, refunded_on=DAY)
    services.follow_sale(sale=taxed_sale)
    [note] = services.release_sale(sale=taxed_sale)
    assert note.total_minor == 13500 - 2000
    assert _sum(invoice.credit_notes.all(), "total_minor") == invoice.total_minor
