"""ShootProof refunds keep their identity whatever the gallery adds or takes away around
them: the provider's id when the PAYMENT has one, else a digest of what the refund is
(amount, time, reason) with a counter among identical ones; never its place in the list,
which moved when a payment or refund was added or removed before it."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from galleries.providers.shootproof.orders import map_order
from inbox.importing import import_item
from inbox.intake import take_in
from invoicing.services import update_preferences
from testkit.shootproof_payloads import order_document

REFUND = {"type": "order-payment", "kind": "refund", "method": "card"}


def _refund(amount: int, day: int, reason: str = "damaged print") -> dict:
    return {**REFUND, "amount": amount / 100, "reason": reason,
            "createdAt": f"2026-06-{day:02d}T09:00:00+00:00"}  # fmt: skip


def _document(refunds: list[dict], *, minute: int = 0, paid: int = 12754) -> dict:
    """order_document's USD order (total $127.54, paid in one or two payments) with these
    refund PAYMENTs, without ids, in this order."""
    document = order_document(updated_at=f"2026-06-30T10:{minute:02d}:00+00:00")
    payments = [p for p in document["payments"] if p["kind"] == "payment"]
    if paid != 12754:
        payments = [payments[0] | {"amount": paid / 100}, payments[0] | {"id": 88002,
                    "amount": (12754 - paid) / 100}]  # fmt: skip
    document["payments"] = payments + refunds
    refunded = sum(round(r["amount"] * 100) for r in refunds)
    document["order"]["amountRefunded"] = refunded / 100
    return document


def _ids(document: dict) -> dict[tuple, str]:
    order = map_order(document, account_id="1201")
    return {(r.amount_minor, r.reason, r.refunded_at.day): r.id for r in order.refunds}


A, B, C = _refund(500, 21), _refund(700, 22), _refund(300, 23, "wrong size")


def test_a_refund_keeps_its_id_when_one_is_inserted_before_it_or_removed():
    first = _ids(_document([A, B]))
    assert _ids(_document([A, C, B])).items() >= first.items()
    assert _ids(_document([C, A, B])).items() >= first.items()
    assert _ids(_document([B])).items() <= first.items()


def test_a_refund_keeps_its_id_when_a_payment_is_added_before_it():
    assert _ids(_document([A, B], paid=5000)) == _ids(_document([A, B]))


def test_the_providers_id_wins_when_it_has_one():
    order = map_order(_document([A | {"id": 88150}]), account_id="1201")
    assert [r.id for r in order.refunds] == ["88150"]


def test_identical_refunds_are_told_apart_by_their_count():
    ids = [r.id for r in map_order(_document([A, A]), account_id="1201").refunds]
    assert len(set(ids)) == 2


REFUNDS = st.lists(
    st.tuples(st.integers(1, 20).map(lambda n: n * 100), st.integers(21, 28),
              st.sampled_from(["", "damaged print", "wrong size"])),
    min_size=1, max_size=5, unique=True,
)  # fmt: skip


@given(REFUNDS, st.data())
def test_any_insertion_or_removal_leaves_the_other_ids_alone(refunds, data):
    rows = [_refund(a, d, r) for a, d, r in refunds]
    before = _ids(_document(rows))
    where = data.draw(st.integers(0, len(rows)))
    extra = _refund(2500, 29, "extra")
    assert _ids(_document([*rows[:where], extra, *rows[where:]])).items() >= before.items()
    gone = data.draw(st.integers(0, len(rows) - 1))
    assert _ids(_document(rows[:gone] + rows[gone + 1 :])).items() <= before.items()


@pytest.mark.django_db
@settings(max_examples=8, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(st.permutations([A, B, C]), st.integers(1, 3))
def test_the_sale_gets_each_refund_once_whatever_order_they_arrive_in(studio, refunds, shown):
    """Refunds recorded in any order, each version listing them by date (so a later one
    may land before earlier ones), imported at any version: each refund is on the sale
    exactly once — none doubled, none lost."""
    update_preferences(studio=studio, auto_invoice_collected_orders=False)
    from inbox.models import InboxItem
    from sales.models import Sale

    Sale.objects.filter(studio=studio).delete()
    InboxItem.objects.filter(studio=studio).delete()
    item = None
    for minute in range(shown, 4):
        listed = sorted(refunds[:minute], key=lambda r: r["createdAt"])
        document = _document(listed, minute=minute)
        item = take_in(studio=studio, provider="shootproof", account_id="1201", raw=document,
                       raw_payload=json.dumps(document), channel="poll",
                       delivery_key=f"v{minute}").item  # fmt: skip
        if minute == shown:
            import_item(item=item, create_contact=True)
    sale = Sale.objects.get(studio=studio)
    assert sorted(sale.refunds.values_list("amount_minor", flat=True)) == [300, 500, 700]
    assert sale.refunded_minor == 1500
