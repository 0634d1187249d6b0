"""A later version of an imported order: the sale follows the gallery, never silently
disagrees with it (issue #9: no silent wrong outcome on the order path)."""

import pytest

from core.money import format_money
from galleries.providers.pictime.orders import map_order
from inbox.importing import import_item
from inbox.models import InboxItem
from sales.models import Sale
from testkit.factories import receive
from testkit.payloads import order_json

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ada")]

MORE_PRINTS = [
    {"kind": "print", "product": "Fine Art Print 8x10", "quantity": 5, "unit": 2500,
     "discount": 500, "tax": 900},
    {"kind": "album", "product": "Lay-flat album", "quantity": 1, "unit": 20000,
     "discount": 0, "tax": 0},
]  # fmt: skip


def _figures_of(sale: Sale) -> tuple:
    lines = sorted(
        (line.external_ref, line.quantity, line.unit_price_minor, line.tax_minor)
        for line in sale.lines.all()
    )
    return tuple(lines), sale.total_minor, sale.shipping_minor, sale.paid_minor


def _sale_imported_from(studio, **order) -> tuple[InboxItem, Sale]:
    """The same order imported fresh in another studio: the figures an import gives."""
    item = receive(studio, n=99, **order)
    return item, import_item(item=item, create_contact=True)


def test_a_later_version_with_other_lines_brings_the_sale_to_the_gallerys_figures(
    studio, studio_factory
):
    item = receive(studio)
    sale = import_item(item=item)
    before = sale.total_minor
    receive(studio, items=MORE_PRINTS, shipping=1500, updated_at="2026-05-07T10:00:00Z")
    sale.refresh_from_db()
    item.refresh_from_db()
    order = map_order(order_json(order_id="ord_0001", items=MORE_PRINTS, shipping=1500))
    assert sale.total_minor == order.total_minor != before
    assert sale.paid_minor == order.amount_paid_minor
    other, _ = studio_factory()
    _, fresh = _sale_imported_from(other, items=MORE_PRINTS, shipping=1500)
    assert _figures_of(sale) == _figures_of(fresh)
    assert item.state == InboxItem.State.IMPORTED and item.error == ""
    note = item.deliveries.order_by("-id").first().note
    assert format_money(before, sale.currency) in note
    assert format_money(order.total_minor, sale.currency) in note


def test_the_same_version_again_changes_nothing(studio):
    item = receive(studio)
    sale = import_item(item=item)
    lines_before = list(sale.lines.values_list("pk", flat=True))
    receive(studio, status="processing", updated_at="2026-05-09T10:00:00Z")
    sale.refresh_from_db()
    assert list(sale.lines.values_list("pk", flat=True)) == lines_before
    assert "sale unchanged" in item.deliveries.order_by("-id").first().note


def test_a_change_to_a_cancelled_sale_is_flagged_not_applied(studio):
    item = receive(studio)
    sale = import_item(item=item)
    receive(studio, status="cancelled", updated_at="2026-05-05T10:00:00Z")
    receive(studio, items=MORE_PRINTS, status="cancelled", updated_at="2026-05-06T10:00:00Z")
    sale.refresh_from_db()
    item.refresh_from_db()
    assert sale.status == Sale.Status.CANCELLED
    assert "Changed at the gallery after import" in item.error
    assert item.state == InboxItem.State.IMPORTED


def test_a_changed_sale_shows_on_the_inbox_and_the_order_page(studio, auth_client):
    item = receive(studio)
    import_item(item=item)
    receive(studio, status="cancelled", updated_at="2026-05-05T10:00:00Z")
    receive(studio, items=MORE_PRINTS, status="cancelled", updated_at="2026-05-06T10:00:00Z")
    assert "Changed after import" in auth_client.get("/inbox/").content.decode()
    page = auth_client.get(f"/inbox/{item.pk}/").content.decode()
    assert "Check the sale:" in page and "but the sale is cancelled" in page


def test_a_change_the_sale_refuses_is_named_and_the_version_still_stored(studio):
    """The studio refunded everything by hand; the gallery then reports its own refund:
    the sale can't take it (refunds would pass what was paid). The version must still be
    stored and the item say why, never a failing delivery retried until it is lost."""
    import datetime as dt

    from sales.services import add_refund

    item = receive(studio)
    sale = import_item(item=item)
    add_refund(sale=sale, amount_minor=sale.paid_minor, refunded_on=dt.date(2026, 5, 3))
    receive(studio, refunds=[500], updated_at="2026-05-05T10:00:00Z")
    item.refresh_from_db()
    sale.refresh_from_db()
    assert item.normalized["refunds"][0]["amount_minor"] == 500
    assert sale.refunded_minor == sale.paid_minor
    assert "a refund could not be applied" in item.error
