"""What an order says about its client, as contact matching takes it
(inbox.import_window.match_input)."""

from __future__ import annotations

import datetime as dt

from contacts.matching import MatchInput
from inbox.import_window import match_input


def _order(**customer):
    from galleries.schema import GalleryOrder

    when = dt.datetime(2026, 5, 1, 10, tzinfo=dt.UTC)
    return GalleryOrder(
        provider="pictime",
        account_id="acc-1",
        order_id="o-1",
        gallery={"id": "g-42", "name": "Smith wedding", "url": "https://x.pic-time.com/g42"},
        customer=customer,
        currency="GBP",
        lines=[
            {
                "kind": "print",
                "name": "8x10",
                "quantity": 1,
                "unit_price_minor": 1000,
                "total_minor": 1000,
            }
        ],
        subtotal_minor=1000,
        total_minor=1000,
        placed_at=when,
        updated_at=when,
    )


def test_match_input_reads_the_customer_and_the_gallery():
    order = _order(
        first_name="Jane",
        last_name="Smith",
        email="jane@example.com",
        phone="07700 900123",
        shipping_address={"line1": "2 Low Rd", "city": "Leeds", "postcode": "LS1 4AP"},
        billing_address={"line1": "1 High St", "city": "Bath", "postcode": "BA1 1AA"},
    )
    assert match_input(order) == MatchInput(
        first_name="Jane",
        last_name="Smith",
        email="jane@example.com",
        phone="07700 900123",
        postcode="BA1 1AA",
        address_line1="1 High St",
        town="Bath",
        gallery_provider="pictime",
        gallery_id="g-42",
        gallery_url="https://x.pic-time.com/g42",
    )


def test_match_input_falls_back_to_the_shipping_address_and_no_gallery():
    order = _order(email="jane@example.com", shipping_address={"postcode": "LS1 4AP"})
    order = order.model_copy(update={"gallery": None})
    found = match_input(order)
    assert (found.postcode, found.gallery_provider, found.gallery_id) == ("LS1 4AP", "", "")
