"""A later version of an imported order in another currency: the sale's amounts are minor
units of its own currency, so nothing of the new version (a refund, a payment, new figures)
may be written to it. Before this was fixed, a refund or a payment taken since import was
added with the new currency's amounts as if they were the sale's (a ¥5,000 refund became
$50.00 off a USD sale), and only the figures were held back."""

import pytest

from inbox.importing import import_item
from inbox.models import InboxItem
from testkit.factories import receive

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ada")]


def _money(sale) -> tuple:
    return (
        sale.currency,
        sale.total_minor,
        sale.paid_minor,
        sale.refunded_minor,
        sale.status,
        sorted(sale.payments.values_list("amount_minor", flat=True)),
        sorted(sale.refunds.values_list("amount_minor", flat=True)),
    )


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"refunds": [5000]}, id="a-refund"),
        pytest.param({"shipping": 90000}, id="more-paid"),
        pytest.param({"refunds": [5000], "shipping": 90000}, id="refund-and-payment"),
    ],
)
def test_a_version_in_another_currency_leaves_the_sale_and_flags_the_item(studio, change):
    item = receive(studio, currency="USD")
    sale = import_item(item=item)
    sale.refresh_from_db()
    before = _money(sale)
    receive(studio, currency="JPY", updated_at="2026-05-07T10:00:00Z", **change)
    sale.refresh_from_db()
    item.refresh_from_db()
    assert _money(sale) == before
    assert item.state == InboxItem.State.IMPORTED
    assert "currency changed at the gallery (USD → JPY)" in item.error


def test_a_cancellation_in_another_currency_still_cancels_the_sale(studio):
    """A cancellation moves no amount, so it applies; the item stays flagged."""
    item = receive(studio, currency="USD")
    sale = import_item(item=item)
    receive(studio, currency="JPY", status="cancelled", updated_at="2026-05-07T10:00:00Z")
    sale.refresh_from_db()
    item.refresh_from_db()
    assert sale.status == "cancelled" and sale.currency == "USD"
    assert sale.refunded_minor == 0 and sale.paid_minor == sale.total_minor
    assert "currency changed at the gallery (USD → JPY)" in item.error
