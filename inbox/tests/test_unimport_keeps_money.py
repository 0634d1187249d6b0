"""Un-importing never deletes a payment or refund the studio recorded in Cyan without a
word: it is refused, naming that money."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from inbox.importing import import_item, unimport_item
from inbox.models import InboxItem
from invoicing.services import update_preferences
from sales.models import Sale
from sales.services import add_payment, add_refund
from testkit.factories import receive

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ada")]
DAY = dt.date(2026, 5, 4)


@pytest.fixture(autouse=True)
def _no_auto_invoice(studio):
    """A refund on an invoice is recorded on a credit note and cannot be deleted (that
    rule is invoicing's): these sales stay uninvoiced so their money can be."""
    update_preferences(studio=studio, auto_invoice_collected_orders=False)


def _unpaid(payload: dict) -> None:
    payload.update(amount_paid="0.00", payment_status="unpaid")


def test_unimport_refuses_while_the_sale_holds_a_payment_recorded_in_cyan(studio):
    item = receive(studio, change=_unpaid)
    sale = import_item(item=item)
    add_payment(sale=sale, amount_minor=2000, paid_on=DAY, method="Cash")
    with pytest.raises(ValidationError, match=r"payment \$20.00 on 2026-05-04 \(Cash\)"):
        unimport_item(item=item)
    sale.refresh_from_db()
    assert sale.paid_minor == 2000 and sale.payments.count() == 1
    assert InboxItem.objects.get().state == InboxItem.State.IMPORTED


def test_unimport_refuses_while_the_sale_holds_a_refund_recorded_in_cyan(studio):
    item = receive(studio)
    sale = import_item(item=item)
    add_refund(sale=sale, amount_minor=500, refunded_on=DAY, reason="scratched print")
    with pytest.raises(ValidationError, match=r"refund \$5.00 on 2026-05-04"):
        unimport_item(item=item)
    assert Sale.objects.filter(pk=sale.pk).exists()


def test_unimport_goes_ahead_when_all_the_money_is_the_gallerys(studio):
    item = receive(studio, refunds=[700])
    sale = import_item(item=item)
    assert sale.payments.count() == 1 and sale.refunds.count() == 1
    unimport_item(item=item)
    assert not Sale.objects.exists()


def test_the_un_import_page_names_the_money_before_and_after_asking(auth_client, studio):
    from django.urls import reverse

    item = receive(studio, change=_unpaid)
    sale = import_item(item=item)
    add_payment(sale=sale, amount_minor=2000, paid_on=DAY, method="Cash")
    url = reverse("inbox:unimport", args=[item.pk])
    page = auth_client.get(url).content.decode()
    assert "money recorded in Cyan (payment $20.00 on 2026-05-04 (Cash))" in page
    answer = auth_client.post(url, follow=True).content.decode()
    assert "payment $20.00 on 2026-05-04 (Cash)" in answer
    assert Sale.objects.filter(pk=sale.pk).exists()
