"""What the Inbox accepts, "Import Order" can store: an order that passes the normalized
schema (galleries.schema) must become a sale, never an item stuck in the Inbox whose
import is refused for ever. Found at the amount bounds: a line whose quantity × unit
price passes 10^15 minor units, brought back under it by its discount, and order-level
discounts adding up past 10^15; the schema took both, the sale refused them."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from contacts.services import create_contact
from core.numbers import MAX_AMOUNT_MINOR, MAX_QUANTITY
from galleries.schema import GalleryOrder
from inbox.intake import take_in_normalized
from inbox.sale_fields import sale_input
from sales.services import create_sale

pytestmark = pytest.mark.django_db
TOP = MAX_AMOUNT_MINOR


def order(
    lines: list[tuple[int, int, int, int]],
    *,
    discounts: tuple[int, ...] = (),
    shipping: int = 0,
    include_tax: bool = False,
    paid: int | None = None,
) -> dict[str, Any]:
    """A normalized order whose stated totals add up; lines are (quantity, unit, discount,
    tax)."""
    rows, subtotal, tax = [], 0, 0
    for n, (quantity, unit, discount, line_tax) in enumerate(lines):
        gross = quantity * unit - discount
        rows.append(
            {"id": f"l{n}", "kind": "print", "name": f"Line {n}", "quantity": quantity,
             "unit_price_minor": unit, "discount_minor": discount, "tax_minor": line_tax,
             "total_minor": gross if include_tax else gross + line_tax}
        )  # fmt: skip
        subtotal, tax = subtotal + gross, tax + line_tax
    total = subtotal + (0 if include_tax else tax) + shipping - sum(discounts)
    return {
        "provider": "zapier", "account_id": "acc", "order_id": "ORD-1",
        "customer": {"first_name": "Ann", "email": "ann@example.com"},
        "currency": "USD", "prices_include_tax": include_tax, "lines": rows,
        "discounts": [{"amount_minor": d} for d in discounts], "shipping_minor": shipping,
        "tax_minor": tax, "subtotal_minor": subtotal, "total_minor": total,
        "amount_paid_minor": total if paid is None else paid,
        "placed_at": "2026-05-01T10:00:00Z", "updated_at": "2026-05-01T10:00:00Z",
    }  # fmt: skip


def imports_or_is_refused(studio, body: dict[str, Any]) -> str:
    """ "refused" by the schema, or "imported"; anything else fails the test."""
    try:
        parsed = GalleryOrder.model_validate(body)
    except ValidationError:
        return "refused"
    receipt = take_in_normalized(
        studio=studio, order=parsed, raw_payload="{}", channel="api", delivery_key="k"
    )
    contact = create_contact(studio=studio, first_name="Ann", emails=["ann@example.com"])
    data = sale_input(receipt.item, parsed, contact=contact, shoot=None)
    create_sale(studio=studio, data=data, imported=True)  # raises if it cannot be stored
    return "imported"


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(order([(2, TOP, TOP, 0)]), id="line-gross-past-the-top"),
        pytest.param(
            order([(1, TOP, 0, TOP)], discounts=(TOP, TOP // 2)), id="discounts-sum-past-the-top"
        ),
    ],
)
def test_an_order_past_the_amount_bounds_is_refused_by_the_inbox(studio, body):
    assert imports_or_is_refused(studio, body) == "refused"


NEAR_TOP = st.sampled_from([0, 1, TOP // 3, TOP // 2, TOP - 1, TOP])
QUANTITIES = st.sampled_from([1, 2, 3, MAX_QUANTITY])


def _split(amount: int, parts: int) -> tuple[int, ...]:
    """`amount` in `parts` discounts as equal as can be."""
    return tuple(amount // parts + (1 if n < amount % parts else 0) for n in range(parts))


@st.composite
def bound_orders(draw: st.DrawFn) -> dict[str, Any]:
    """Orders whose every stated amount is in range, built from the bounds: each line's
    discount brings quantity × price to a chosen line total, and the order's discounts
    (one to three) bring the order to a chosen total, so most pass the schema's own
    checks and reach the sale's."""
    include_tax = draw(st.booleans())
    lines = []
    for _ in range(draw(st.integers(min_value=1, max_value=2))):
        quantity, unit = draw(QUANTITIES), draw(NEAR_TOP)
        discount = min(max(0, quantity * unit - draw(NEAR_TOP)), TOP)
        tax = min(draw(st.sampled_from([0, 1, TOP // 2])), quantity * unit - discount)
        lines.append((quantity, unit, discount, tax))
    shipping = draw(NEAR_TOP)
    body = order(lines, shipping=shipping, include_tax=include_tax)
    before = body["total_minor"]
    wanted = min(draw(NEAR_TOP), before)
    discounts = _split(before - wanted, draw(st.integers(min_value=1, max_value=3)))
    body = order(lines, discounts=discounts, shipping=shipping, include_tax=include_tax)
    body["amount_paid_minor"] = min(draw(NEAR_TOP), body["total_minor"])
    return body


@settings(max_examples=80, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=bound_orders())
def test_every_order_the_inbox_accepts_at_the_bounds_can_be_imported(studio, body):
    # Each example in a savepoint of its own: the studio's rows of one don't meet the next.
    from django.db import transaction

    with transaction.atomic():
        imports_or_is_refused(studio, body)
        transaction.set_rollback(True)
