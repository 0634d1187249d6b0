"""A version of an imported order that Cyan cannot read (a refund in too many decimals, an
unknown currency, totals that don't add up) must flag the item, as a version that cannot
be applied does. Before, only the delivery's history line kept the reason: the item stayed
"Imported" with no "Changed after import" badge, so a refund or a cancellation at the
gallery went unseen while the sale kept the money."""

import json

import pytest

from inbox.importing import import_item
from inbox.intake import take_in
from inbox.models import InboxItem
from inbox.selectors import changed_since_import
from testkit.factories import receive
from testkit.payloads import order_json

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ada")]


def _refund_in_thousandths(payload: dict) -> None:
    payload["refunds"][0]["amount"] = "5.001"


def _unknown_currency(payload: dict) -> None:
    payload["currency"] = "XXQ"


def _total_off_by_one(payload: dict) -> None:
    payload["total"] = str(float(payload["total"]) + 0.01)


def _no_client(payload: dict) -> None:
    payload["client"] = {}


UNREADABLE = [
    pytest.param(_refund_in_thousandths, "5.001", id="refund-thousandths"),
    pytest.param(_unknown_currency, "XXQ", id="unknown-currency"),
    pytest.param(_total_off_by_one, "total_minor", id="total-off"),
    pytest.param(_no_client, "customer", id="no-client"),
]


def _deliver(studio, payload: dict, key: str):
    return take_in(
        studio=studio,
        provider="pictime",
        account_id="acc_demo",
        raw=payload,
        raw_payload=json.dumps(payload),
        channel="webhook",
        delivery_key=key,
    )


@pytest.mark.parametrize(("spoil", "reason"), UNREADABLE)
def test_an_unreadable_version_of_an_imported_order_flags_it(studio, auth_client, spoil, reason):
    item = receive(studio)
    sale = import_item(item=item)
    payload = order_json(order_id="ord_0001", refunds=[500], updated_at="2026-05-09T10:00:00Z")
    spoil(payload)
    receipt = _deliver(studio, payload, "late-1")
    item.refresh_from_db()
    sale.refresh_from_db()
    assert receipt.item.pk == item.pk
    assert item.state == InboxItem.State.IMPORTED and item.sale_id == sale.pk
    assert item.error.startswith("Changed at the gallery after import")
    assert reason in item.error
    assert item.pk in changed_since_import(studio=studio).values_list("pk", flat=True)
    assert "Changed after import" in auth_client.get("/inbox/").content.decode()
    assert sale.refunded_minor == 0  # nothing guessed from what could not be read


def test_a_readable_version_after_it_clears_the_flag(studio):
    item = receive(studio)
    import_item(item=item)
    payload = order_json(order_id="ord_0001", refunds=[500], updated_at="2026-05-09T10:00:00Z")
    _refund_in_thousandths(payload)
    _deliver(studio, payload, "late-1")
    receive(studio, refunds=[500], updated_at="2026-05-10T10:00:00Z")
    item.refresh_from_db()
    assert item.error == "" and item.sale.refunded_minor == 500


def test_an_unreadable_version_of_a_dismissed_order_leaves_it_dismissed(studio):
    from inbox.services import dismiss_item

    item = dismiss_item(item=receive(studio))
    payload = order_json(order_id="ord_0001", updated_at="2026-05-09T10:00:00Z")
    _unknown_currency(payload)
    _deliver(studio, payload, "late-1")
    item.refresh_from_db()
    assert item.state == InboxItem.State.DISMISSED
