"""Two versions of an order stamped with the same `updated_at` (a gallery that records a
refund or a cancellation without moving the order's time): the one further along — a
cancellation, more refunded — is kept, in whichever order they arrive. Before, the second
to arrive was "nothing new (the same version again)" and dropped: a refund sent that way
never reached the Inbox nor the imported sale."""

import itertools
import json

import pytest

from galleries.providers.pictime.orders import map_order
from inbox.importing import import_item
from inbox.intake import take_in_normalized
from inbox.models import InboxDelivery, InboxItem
from testkit.payloads import order_json

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ada")]
SAME = "2026-05-02T10:00:00Z"
_keys = itertools.count(1)


def receive(studio, **fields) -> InboxItem:
    """A delivery (a key of its own) of Pic-Time order ord_0001 with these fields."""
    payload = order_json(order_id="ord_0001", **fields)
    return take_in_normalized(
        studio=studio,
        order=map_order(payload),
        raw_payload=json.dumps(payload),
        channel="webhook",
        delivery_key=f"msg_{next(_keys)}",
    ).item


def test_a_refund_stamped_with_the_same_time_reaches_the_inbox(studio):
    item = receive(studio, updated_at=SAME)
    receive(studio, refunds=[500], updated_at=SAME)
    item.refresh_from_db()
    assert item.refunded_minor == 500
    assert item.normalized["refunds"][0]["amount_minor"] == 500


def test_a_refund_stamped_with_the_same_time_reaches_the_imported_sale(studio):
    item = receive(studio, updated_at=SAME)
    sale = import_item(item=item)
    receive(studio, refunds=[500], updated_at=SAME)
    sale.refresh_from_db()
    item.refresh_from_db()
    assert sale.refunded_minor == 500 and item.error == ""


def test_a_cancellation_stamped_with_the_same_time_cancels_the_imported_sale(studio):
    item = receive(studio, updated_at=SAME)
    sale = import_item(item=item)
    receive(studio, status="cancelled", updated_at=SAME)
    sale.refresh_from_db()
    assert sale.status == "cancelled"


def test_the_version_further_along_is_kept_whichever_arrives_first(studio):
    item = receive(studio, refunds=[500], updated_at=SAME)
    receive(studio, updated_at=SAME)
    item.refresh_from_db()
    assert item.refunded_minor == 500
    assert InboxDelivery.objects.filter(item=item).count() == 2


def test_the_same_version_again_is_still_nothing_new(studio):
    item = receive(studio, refunds=[500], updated_at=SAME)
    receive(studio, refunds=[500], updated_at=SAME)
    notes = list(InboxDelivery.objects.filter(item=item).values_list("note", flat=True))
    assert notes[-1] == "nothing new (the same version again)"
    assert InboxItem.objects.get().refunded_minor == 500


def test_a_poll_of_a_same_time_refund_is_a_delivery_of_its_own(studio):
    """A poll keys its deliveries by the order's version: a refund recorded at the same
    `updated_at` must not look like the version the poll read before (for ShootProof,
    which has no webhooks, the poll is the only way in)."""
    from galleries.providers import get
    from inbox.intake import take_in

    pictime = get("pictime")
    for fields in ({}, {"refunds": [500]}):
        payload = order_json(order_id="ord_0001", updated_at=SAME, **fields)
        take_in(
            studio=studio,
            provider="pictime",
            account_id="acc_demo",
            raw=payload,
            raw_payload=json.dumps(payload),
            channel="poll",
            delivery_key=pictime.polled_order(payload, account_id="acc_demo").version_key,
        )
    assert InboxItem.objects.get().refunded_minor == 500
