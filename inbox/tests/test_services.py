import pytest

from galleries.providers.pictime.orders import map_order
from inbox import services
from inbox.models import InboxDelivery, InboxItem
from testkit.payloads import order_json


def receive(studio, payload, key, channel="webhook"):
    return services.receive_order(
        studio=studio, order=map_order(payload), raw_payload=str(payload),
        channel=channel, delivery_key=key,
    )  # fmt: skip


@pytest.mark.django_db
def test_first_delivery_creates_an_item_with_the_list_fields(studio):
    receipt = receive(studio, order_json(), "msg_1")
    item = receipt.item
    assert receipt.created and receipt.changed
    assert (item.state, item.kind, item.source) == ("new", "order", "pictime")
    assert (item.customer_name, item.customer_email) == ("Ada Lovelace", "ada@example.com")
    assert (item.order_number, item.gallery_name, item.currency) == (
        "PT-1001",
        "Smith Wedding",
        "USD",
    )
    assert item.total_minor == 6000 + 360 + 900


@pytest.mark.django_db
def test_same_delivery_twice_is_one_item_one_delivery(studio):
    receive(studio, order_json(), "msg_1")
    again = receive(studio, order_json(), "msg_1")
    assert again.duplicate_delivery
    assert InboxItem.objects.count() == 1 and InboxDelivery.objects.count() == 1


@pytest.mark.django_db
def test_webhook_and_poll_of_the_same_version_are_one_item(studio):
    receive(studio, order_json(), "msg_1")
    poll = receive(studio, order_json(), "ord_1001@2026-05-02T10:00:00Z", channel="poll")
    assert not poll.created and not poll.changed
    assert InboxItem.objects.count() == 1
    assert InboxDelivery.objects.get(channel="poll").note == "same version"


@pytest.mark.django_db
def test_an_older_version_arriving_late_never_overwrites_a_newer_one(studio):
    newer = order_json(refunds=[500], updated_at="2026-05-03T10:00:00Z")
    older = order_json(updated_at="2026-05-02T10:00:00Z")
    receive(studio, newer, "msg_2")
    late = receive(studio, older, "msg_1")
    assert not late.changed
    item = InboxItem.objects.get()
    assert item.normalized["refunds"][0]["amount_minor"] == 500
    assert InboxDelivery.objects.get(delivery_key="msg_1").note == "older version ignored"


@pytest.mark.django_db
def test_a_refund_updates_the_item_and_says_what_changed(studio):
    receive(studio, order_json(), "msg_1")
    receipt = receive(studio, order_json(refunds=[500], updated_at="2026-05-03T10:00:00Z"), "msg_2")
    assert receipt.changed and not receipt.created
    assert "refunds 0 → 1" in InboxDelivery.objects.get(delivery_key="msg_2").note


@pytest.mark.django_db
def test_the_same_order_id_in_two_studios_is_two_items(studio, other_studio_and_owner):
    receive(studio, order_json(), "msg_1")
    receive(other_studio_and_owner[0], order_json(), "msg_1")
    assert InboxItem.objects.count() == 2


@pytest.mark.django_db
def test_unreadable_payload_is_kept_with_its_reason_then_healed_by_a_good_version(studio):
    receipt = services.receive_unreadable(
        studio=studio, source="pictime", account_id="acc_demo", external_id="ord_1001",
        raw_payload='{"id": "ord_1001", "total": "oops"}', error="total: not an amount",
        channel="webhook", delivery_key="msg_bad",
    )  # fmt: skip
    item = receipt.item
    assert item.state == "needs_attention" and "not an amount" in item.error
    assert item.raw_payload == '{"id": "ord_1001", "total": "oops"}'
    receive(studio, order_json(), "msg_good")
    item.refresh_from_db()
    assert item.state == "new" and item.error == "" and item.total_minor > 0


@pytest.mark.django_db
def test_dismiss_and_restore(studio):
    item = receive(studio, order_json(), "msg_1").item
    services.dismiss_item(item=item)
    assert InboxItem.objects.get().state == "dismissed"
    services.restore_item(item=item)
    assert InboxItem.objects.get().state == "new"
    item.state = "imported"
    with pytest.raises(ValueError, match="un-import"):
        services.dismiss_item(item=item)
