"""A sale the studio edited after import (a framing line added, a discount given) keeps
those edits when the gallery sends a later version: a version that changes nothing of
what was bought (shipped, completed) leaves the lines alone, and one that does is not
written over the studio's edits but named on the item. Before, any later version — even
"shipped" — replaced the sale's lines with the order's: the studio's framing line and its
money went, with only a line in the item's history."""

import pytest

from inbox.importing import import_item
from inbox.models import InboxItem
from sales.services import LineInput, update_sale
from testkit.factories import receive

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ada")]

FRAMING = LineInput("Framing", "service", 1, 5000)


def _edited_here(studio):
    item = receive(studio)
    sale = import_item(item=item)
    update_sale(sale=sale, lines=[*[_as_input(line) for line in sale.lines.all()], FRAMING])
    sale.refresh_from_db()
    return item, sale


def _as_input(line) -> LineInput:
    return LineInput(
        line.description, line.product_kind, line.quantity, line.unit_price_minor,
        line.discount_minor, line.tax_minor, dict(line.options), line.external_ref,
    )  # fmt: skip


def test_a_status_change_at_the_gallery_keeps_the_studios_edits(studio):
    _, sale = _edited_here(studio)
    before = (sale.total_minor, sorted(sale.lines.values_list("description", flat=True)))
    receive(studio, status="shipped", updated_at="2026-05-06T10:00:00Z")
    receive(studio, status="completed", updated_at="2026-05-07T10:00:00Z")  # once flagged too
    sale.refresh_from_db()
    assert (sale.total_minor, sorted(sale.lines.values_list("description", flat=True))) == before
    assert "Framing" in before[1]


def test_new_figures_at_the_gallery_do_not_overwrite_the_studios_edits(studio):
    item, sale = _edited_here(studio)
    before = sale.total_minor
    more = [{"kind": "album", "product": "Album", "quantity": 1, "unit": 20000, "discount": 0,
             "tax": 0}]  # fmt: skip
    receive(studio, items=more, updated_at="2026-05-06T10:00:00Z")
    sale.refresh_from_db()
    item.refresh_from_db()
    assert sale.total_minor == before and sale.lines.filter(description="Framing").exists()
    assert item.state == InboxItem.State.IMPORTED
    assert "edited in Cyan" in item.error


def test_a_sale_not_edited_still_follows_new_figures(studio):
    item = receive(studio)
    sale = import_item(item=item)
    more = [{"kind": "album", "product": "Album", "quantity": 1, "unit": 20000, "discount": 0,
             "tax": 0}]  # fmt: skip
    receive(studio, items=more, updated_at="2026-05-06T10:00:00Z")
    sale.refresh_from_db()
    assert list(sale.lines.values_list("description", flat=True)) == ["Album"]
