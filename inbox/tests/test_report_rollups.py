"""The order path keeps the reports' rollups equal to the data: import (auto-invoiced when
the gallery collected it), later versions with other lines and refunds, a cancellation,
and un-import (sales.rollup, sales.client_rollup, sales.owing, invoicing.tax_rollup)."""

import pytest

from inbox.importing import import_item, unimport_item
from invoicing import tax_rollup
from sales import client_rollup, owing
from sales import rollup as sales_rollup
from sales.models import ClientSales, Sale, SaleDay
from testkit.factories import receive

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ada")]

MORE_PRINTS = [
    {"kind": "print", "product": "Fine Art Print 8x10", "quantity": 5, "unit": 2500,
     "discount": 500, "tax": 900},
]  # fmt: skip


def assert_rollups_match(studio) -> None:
    assert sales_rollup.check(studio.pk) == []
    assert tax_rollup.check(studio.pk) == []
    assert owing.check(studio.pk) == []
    assert client_rollup.check(studio.pk) == []


def test_every_step_of_the_order_path_keeps_the_rollups(studio):
    item = receive(studio)
    sale = import_item(item=item)
    assert_rollups_match(studio)
    assert SaleDay.objects.get(studio=studio, sales_count=1).invoiced  # collected: invoiced
    assert ClientSales.objects.filter(studio=studio, contact=sale.contact).count() == 2
    receive(studio, items=MORE_PRINTS, shipping=1500, updated_at="2026-05-07T10:00:00Z")
    assert_rollups_match(studio)
    receive(
        studio, items=MORE_PRINTS, shipping=1500, refunds=[700], updated_at="2026-05-08T10:00:00Z"
    )
    sale.refresh_from_db()
    assert sale.refunded_minor == 700
    assert_rollups_match(studio)
    receive(
        studio,
        items=MORE_PRINTS,
        shipping=1500,
        refunds=[700],
        status="cancelled",
        updated_at="2026-05-09T10:00:00Z",
    )
    sale.refresh_from_db()
    assert sale.status == Sale.Status.CANCELLED
    assert_rollups_match(studio)
    item.refresh_from_db()
    unimport_item(item=item)
    assert not Sale.objects.filter(pk=sale.pk).exists()
    assert_rollups_match(studio)
    assert not SaleDay.objects.filter(studio=studio, sales_count__gt=0).exists()
    assert not ClientSales.objects.filter(studio=studio).exists()
