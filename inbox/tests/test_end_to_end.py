"""Orders placed at the real Pic-Time stand-in reach Cyan's Inbox over real HTTP: signed
webhooks to the live server, and the polling safety net when webhooks fail. Whatever the
network does (duplicates, reordering, delays, drops), each order is exactly one item."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.money import to_minor
from inbox.models import InboxDelivery, InboxItem
from testkit.standin.orders import deliver, place, wait_for

pytestmark = [pytest.mark.standin, pytest.mark.django_db(transaction=True)]


def test_an_order_placed_at_pictime_appears_with_every_field_right(
    linked, pictime_standin, account
):
    order = place(pictime_standin, account, discount_code="SPRING10", shipping_method="Express")
    deliver(pictime_standin)
    item = wait_for(lambda: InboxItem.objects.filter(external_id=order["id"]).first())
    normalized, currency = item.normalized, order["currency"]
    assert (item.state, item.source, item.account_id) == ("new", "pictime", order["account_id"])
    assert item.order_number == order["number"]
    assert item.customer_email == order["client"]["email"].lower()
    assert normalized["customer"]["first_name"] == order["client"]["first_name"]
    assert normalized["gallery"]["id"] == order["gallery"]["id"]
    assert item.total_minor == to_minor(order["total"], currency)
    assert normalized["shipping_minor"] == to_minor(order["shipping"]["amount"], currency)
    assert normalized["tax_minor"] == to_minor(order["tax"]["amount"], currency)
    assert [line["name"] for line in normalized["lines"]] == [i["product"] for i in order["items"]]
    assert [line["total_minor"] for line in normalized["lines"]] == [
        to_minor(i["total"], currency) for i in order["items"]
    ]
    assert [p["code"] for p in normalized["promotions"]] == ["SPRING10"]
    assert InboxDelivery.objects.get(item=item).channel == "webhook"
    assert InboxItem.objects.count() == 1


def test_duplicated_webhooks_still_give_one_item(linked, pictime_standin, account):
    pictime_standin.control("POST", "/control/webhooks/mode", {"mode": "duplicate"})
    order = place(pictime_standin, account)
    deliver(pictime_standin)
    wait_for(lambda: InboxItem.objects.filter(external_id=order["id"]).exists())
    attempts = pictime_standin.control("GET", f"/control/deliveries?order_id={order['id']}")
    sent = [
        a for d in attempts.json()["data"] for a in d["attempts"] if a["outcome"] == "succeeded"
    ]
    assert len(sent) >= 2  # the stand-in really sent it twice
    assert InboxItem.objects.filter(external_id=order["id"]).count() == 1
    assert InboxDelivery.objects.filter(item__external_id=order["id"]).count() == 1


def test_reordered_webhooks_keep_the_newest_version(linked, pictime_standin, account):
    pictime_standin.control("POST", "/control/webhooks/mode", {"mode": "reverse"})
    order = place(pictime_standin, account)
    refunded = pictime_standin.control(
        "POST", f"/control/orders/{order['id']}/refund", {"amount": None, "reason": "Changed mind"}
    ).json()
    pictime_standin.control("POST", "/control/webhooks/mode", {"mode": "normal"})
    deliver(pictime_standin)
    wait_for(lambda: InboxDelivery.objects.filter(item__external_id=order["id"]).count() == 2)
    item = InboxItem.objects.get(external_id=order["id"])
    assert item.normalized["payment_status"] == "refunded"
    assert sum(r["amount_minor"] for r in item.normalized["refunds"]) == to_minor(
        refunded["amount_refunded"], order["currency"]
    )
    notes = list(InboxDelivery.objects.filter(item=item).values_list("note", flat=True))
    assert "older version ignored" in notes


def test_dropped_webhooks_are_caught_by_polling(linked, pictime_standin, account, auth_client):
    pictime_standin.control("POST", "/control/webhooks/mode", {"mode": "drop"})
    order = place(pictime_standin, account)
    deliver(pictime_standin)
    assert not InboxItem.objects.filter(external_id=order["id"]).exists()
    # "Sync now" runs the poll (in-line under the tests' immediate task backend).
    auth_client.post(reverse("inbox:sync"))
    item = InboxItem.objects.get(external_id=order["id"])
    assert InboxDelivery.objects.get(item=item).channel == "poll"
    # Polling again, and the late webhook once the network is back, change nothing.
    auth_client.post(reverse("inbox:sync"))
    pictime_standin.control("POST", "/control/webhooks/mode", {"mode": "normal"})
    refund = pictime_standin.control(
        "POST", f"/control/orders/{order['id']}/refund", {"amount": None}
    ).json()
    deliver(pictime_standin)
    wait_for(lambda: InboxItem.objects.get(pk=item.pk).normalized["payment_status"] == "refunded")
    assert InboxItem.objects.filter(external_id=order["id"]).count() == 1
    assert refund["payment_status"] == "refunded"
    linked.refresh_from_db()
    assert linked.sync_high_water_mark is not None


def test_delayed_webhooks_arrive_when_the_network_is_back(linked, pictime_standin, account):
    pictime_standin.control("POST", "/control/webhooks/mode", {"mode": "paused"})
    order = place(pictime_standin, account)
    deliver(pictime_standin)
    assert not InboxItem.objects.filter(external_id=order["id"]).exists()
    pictime_standin.control("POST", "/control/webhooks/mode", {"mode": "normal"})
    deliver(pictime_standin)
    wait_for(lambda: InboxItem.objects.filter(external_id=order["id"]).exists())
    assert InboxItem.objects.filter(external_id=order["id"]).count() == 1
