"""Webhooks against a real local HTTP receiver: signatures, retries, fault modes."""

from __future__ import annotations

import itertools
import json
import socket
import time
from collections.abc import Callable

import pytest
from standardwebhooks import Webhook
from standin import orders, webhooks
from standin.delivery import process_due
from standin.models import Delivery, DeliveryAttempt

from .helpers import place

pytestmark = pytest.mark.django_db


def drain(until: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        process_due()
        if until():
            return
        time.sleep(0.05)
    raise AssertionError("condition not reached in time")


@pytest.fixture
def endpoint(demo, receiver):
    return webhooks.subscribe(account=demo, application=None, url=receiver.url)


def verified(endpoint, request: dict) -> dict:
    return Webhook(endpoint.secret).verify(request["body"], request["headers"])


def test_subscribed_via_api_and_signed_per_standard_webhooks(api, demo, receiver):
    secret = api.post("/api/v1/webhooks", {"url": receiver.url}).json()["secret"]
    order = place(demo, seed=4)
    process_due()
    assert len(receiver.received) == 1
    request = receiver.received[0]
    headers = request["headers"]
    assert headers["content-type"] == "application/json"
    assert headers["webhook-id"].startswith("msg_")
    assert abs(int(headers["webhook-timestamp"]) - time.time()) < 30
    payload = Webhook(secret).verify(request["body"], headers)
    assert payload["type"] == "order.created"
    assert payload["data"]["account_id"] == demo.public_id
    assert payload["data"]["order"]["id"] == order.public_id
    assert payload["timestamp"] == payload["data"]["order"]["updated_at"]
    assert json.loads(request["body"]) == payload
    tampered = request["body"].replace(b'"order.created"', b'"order.updated"')
    with pytest.raises(Exception, match="signature"):
        Webhook(secret).verify(tampered, headers)


def test_each_change_emits_its_event(endpoint, demo, receiver):
    order = place(demo, seed=2)
    order = orders.set_status(order=order, status="in_production")
    order = orders.refund_order(order=order, amount=100, reason="Late")
    orders.cancel_order(order=order)
    process_due()
    payloads = [verified(endpoint, r) for r in receiver.received]
    assert [p["type"] for p in payloads] == [
        "order.created",
        "order.updated",
        "order.refunded",
        "order.cancelled",
    ]
    assert payloads[2]["data"]["order"]["refunds"][0]["reason"] == "Late"
    assert payloads[3]["data"]["order"]["status"] == "cancelled"
    assert len({r["headers"]["webhook-id"] for r in receiver.received}) == 4


def test_failures_are_retried_with_backoff_and_the_same_webhook_id(endpoint, demo, receiver):
    receiver.statuses = [500, 503]
    place(demo, seed=3)
    delivery = Delivery.objects.get()
    drain(lambda: Delivery.objects.get().status == "succeeded")
    ids = {r["headers"]["webhook-id"] for r in receiver.received}
    assert ids == {delivery.msg_id}
    assert [r["status"] for r in receiver.received] == [500, 503, 200]
    for request in receiver.received:
        verified(endpoint, request)
    attempts = list(DeliveryAttempt.objects.filter(delivery=delivery))
    assert [a.status_code for a in attempts] == [500, 503, 200]
    assert [a.outcome for a in attempts] == ["failed", "failed", "succeeded"]
    gaps = [(b.started_at - a.started_at).total_seconds() for a, b in itertools.pairwise(attempts)]
    assert gaps[0] >= 0.2 and gaps[1] >= 0.5


def test_gives_up_after_the_schedule(endpoint, demo, receiver):
    receiver.statuses = [500] * 10
    place(demo, seed=3)
    drain(lambda: Delivery.objects.get().status == "failed")
    delivery = Delivery.objects.get()
    assert delivery.attempt_count == 4  # first try + 3 retries (schedule 0.2,0.5,1)
    assert len(receiver.received) == 4


def test_connection_errors_are_recorded_and_retried(demo):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    webhooks.subscribe(account=demo, application=None, url=f"http://127.0.0.1:{port}/x")
    place(demo, seed=1)
    process_due()
    delivery = Delivery.objects.get()
    attempt = delivery.attempts.get()
    assert attempt.status_code is None and "ConnectionError" in attempt.error
    assert delivery.status == "pending" and delivery.next_attempt_at is not None


def test_paused_holds_until_normal(endpoint, demo, receiver):
    webhooks.set_mode("paused")
    place(demo, seed=1)
    assert process_due()["attempted"] == 0
    assert receiver.received == []
    webhooks.set_mode("normal")
    process_due()
    assert len(receiver.received) == 1


def test_drop_records_a_dropped_attempt_and_never_delivers(endpoint, demo, receiver):
    webhooks.set_mode("drop")
    place(demo, seed=1)
    process_due()
    webhooks.set_mode("normal")
    process_due()
    delivery = Delivery.objects.get()
    assert delivery.status == "dropped"
    assert [a.outcome for a in delivery.attempts.all()] == ["dropped"]
    assert receiver.received == []


def test_duplicate_delivers_twice_with_the_same_id(endpoint, demo, receiver):
    webhooks.set_mode("duplicate")
    place(demo, seed=1)
    process_due()
    assert len(receiver.received) == 2
    first, second = receiver.received
    assert first["headers"]["webhook-id"] == second["headers"]["webhook-id"]
    assert first["body"] == second["body"]
    verified(endpoint, first)
    verified(endpoint, second)
    assert [a.duplicate for a in Delivery.objects.get().attempts.all()] == [False, True]


def test_reverse_holds_then_releases_newest_first(endpoint, demo, receiver):
    webhooks.set_mode("reverse")
    placed = [place(demo, seed=n).public_id for n in range(3)]
    assert process_due()["attempted"] == 0
    webhooks.set_mode("normal")
    later = place(demo, seed=9).public_id
    process_due()
    got = [verified(endpoint, r)["data"]["order"]["id"] for r in receiver.received]
    assert got == [*reversed(placed), later]


def test_unsubscribing_cancels_pending_deliveries(endpoint, demo, receiver):
    webhooks.set_mode("paused")
    place(demo, seed=1)
    webhooks.unsubscribe(endpoint=endpoint)
    webhooks.set_mode("normal")
    process_due()
    assert Delivery.objects.get().status == "cancelled"
    assert receiver.received == []


def test_unknown_mode_is_refused():
    with pytest.raises(webhooks.WebhookError):
        webhooks.set_mode("chaos")
