"""Events delivered to a real local receiver, verified with the standardwebhooks library."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from events import delivery as sending
from events.delivery import RETRY_DELAYS, deliver_due
from events.models import Delivery, Event, WebhookEndpoint
from events.services import create_endpoint, resend, rotate_secret, send_test_event
from testkit.factories import make_contact, make_sale

pytestmark = pytest.mark.django_db


def _verified(secret: str, received) -> dict:
    return Webhook(secret).verify(received.body, received.headers)


def test_a_new_sale_arrives_signed_with_the_api_json(studio, contact, endpoint, secret, receiver):
    sale = make_sale(studio, contact)
    assert deliver_due() == 1
    [received] = [r for r in receiver.requests if b"sale.created" in r.body]
    body = _verified(secret, received)
    assert body["type"] == "sale.created"
    assert body["data"]["id"] == sale.pk
    assert body["data"]["total_minor"] == sale.total_minor
    assert body["timestamp"].endswith("Z")
    assert received.headers["webhook-id"].startswith("msg_")
    delivery = Delivery.objects.get(webhook_id=received.headers["webhook-id"])
    assert delivery.status == Delivery.Status.SUCCEEDED
    assert delivery.response_code == 200
    assert delivery.attempts == 1
    assert delivery.latency_ms is not None


def test_another_secret_does_not_verify(studio, contact, endpoint, receiver):
    make_contact(studio, "Zed", "Quinn")
    deliver_due()
    other = create_endpoint(studio=studio, url=receiver.url, events=["sale.created"])[1]
    with pytest.raises(WebhookVerificationError):
        _verified(other, receiver.requests[0])


def test_only_subscribed_events_and_studios_are_recorded(studio, other_studio, receiver):
    create_endpoint(studio=studio, url=receiver.url, events=["sale.created"])
    make_contact(studio, "Zed", "Quinn")
    make_contact(other_studio, "Ann", "Other")
    assert not Event.objects.exists()


def test_a_failure_is_retried_with_backoff_under_the_same_webhook_id(
    studio, endpoint, secret, receiver
):
    receiver.statuses = [500]
    make_contact(studio, "Zed", "Quinn")
    deliver_due()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING
    assert delivery.response_code == 500
    assert delivery.next_attempt_at >= delivery.last_attempt_at + RETRY_DELAYS[0]
    assert deliver_due() == 0  # not due yet
    with time_machine.travel(timezone.now() + RETRY_DELAYS[0] + timedelta(seconds=1)):
        assert deliver_due() == 1
    first, second = receiver.requests
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    _verified(secret, second)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SUCCEEDED, 2)


def test_the_retries_span_about_three_days():
    total = sum(RETRY_DELAYS, timedelta())
    assert timedelta(days=2.5) < total < timedelta(days=3.5)


def test_410_gone_disables_the_endpoint(studio, endpoint, receiver):
    receiver.statuses = [410]
    make_contact(studio, "Zed", "Quinn")
    deliver_due()
    endpoint.refresh_from_db()
    assert endpoint.status == WebhookEndpoint.Status.DISABLED
    assert "410" in endpoint.disabled_reason
    make_contact(studio, "Amy", "Quinn")
    assert deliver_due() == 0


def test_failing_for_three_days_disables_and_says_why(studio, endpoint, receiver):
    receiver.statuses = [503] * 20
    make_contact(studio, "Zed", "Quinn")
    moment = timezone.now()
    deliver_due()
    for delay in RETRY_DELAYS:
        moment += delay + timedelta(seconds=1)
        with time_machine.travel(moment):
            assert deliver_due() == 1
    endpoint.refresh_from_db()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.attempts == len(RETRY_DELAYS) + 1
    assert endpoint.status == WebhookEndpoint.Status.DISABLED
    assert "HTTP 503" in endpoint.disabled_reason


def test_a_success_in_between_keeps_the_endpoint(studio, endpoint, receiver):
    receiver.statuses = [503] * 20
    make_contact(studio, "Zed", "Quinn")
    moment = timezone.now()
    deliver_due()
    for number, delay in enumerate(RETRY_DELAYS):
        moment += delay + timedelta(seconds=1)
        if number == 4:  # another delivery got through half-way
            WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failing_since=None)
        with time_machine.travel(moment):
            deliver_due()
    endpoint.refresh_from_db()
    assert Delivery.objects.get().status == Delivery.Status.FAILED
    assert endpoint.status == WebhookEndpoint.Status.ACTIVE


def test_rotation_signs_with_both_secrets_during_the_overlap(studio, endpoint, secret, receiver):
    new_secret = rotate_secret(endpoint=endpoint)
    make_contact(studio, "Zed", "Quinn")
    deliver_due()
    received = receiver.requests[-1]
    assert len(received.headers["webhook-signature"].split(" ")) == 2
    _verified(secret, received)
    _verified(new_secret, received)
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        make_contact(studio, "Amy", "Quinn")
        deliver_due()
        later = receiver.requests[-1]
        assert len(later.headers["webhook-signature"].split(" ")) == 1
        _verified(new_secret, later)
        with pytest.raises(WebhookVerificationError):
            _verified(secret, later)


def test_resend_sends_the_same_message_again(studio, endpoint, secret, receiver):
    make_contact(studio, "Zed", "Quinn")
    deliver_due()
    resend(delivery=Delivery.objects.get())
    deliver_due()
    first, second = receiver.requests
    assert first.body == second.body
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    assert Delivery.objects.get().attempts == 2


def test_test_event_goes_to_that_endpoint(studio, endpoint, secret, receiver):
    send_test_event(endpoint=endpoint)
    deliver_due()
    assert _verified(secret, receiver.requests[0])["type"] == "webhook.test"


def test_a_disabled_endpoint_gets_nothing(studio, endpoint, receiver):
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(status="disabled")
    make_contact(studio, "Zed", "Quinn")
    assert deliver_due() == 0
    assert receiver.requests == []


def test_worker_killed_after_sending_delivers_again_with_the_same_id(
    studio, endpoint, secret, receiver, monkeypatch
):
    """The drill: the POST reached the receiver, then the worker died before recording
    it. The claim's lease runs out and the next worker sends it again: at least once."""
    make_contact(studio, "Zed", "Quinn")

    def killed(delivery, outcome):
        raise SystemExit("worker killed")

    monkeypatch.setattr(sending, "record_outcome", killed)
    with pytest.raises(SystemExit):
        deliver_due()
    monkeypatch.undo()
    assert len(receiver.requests) == 1
    assert deliver_due() == 0  # still claimed by the dead worker's lease
    with time_machine.travel(timezone.now() + sending.lease() + timedelta(seconds=1)):
        assert deliver_due() == 1
    first, second = receiver.requests
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    assert json.loads(first.body) == json.loads(second.body)
    _verified(secret, second)
    assert Delivery.objects.get().status == Delivery.Status.SUCCEEDED


def test_a_rolled_back_change_records_no_event(studio, endpoint, receiver):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        make_contact(studio, "Zed", "Quinn")
        raise RuntimeError("the change failed")
    assert not Event.objects.exists()
    assert deliver_due() == 0


def test_sale_events_follow_the_sale(studio, contact, endpoint, receiver):
    from sales.services import add_refund, cancel_sale

    sale = make_sale(studio, contact, total_minor=5000)
    add_refund(sale=sale, amount_minor=1000, refunded_on=sale.sale_date)
    cancel_sale(sale=sale)
    deliver_due()
    types = [json.loads(r.body)["type"] for r in receiver.requests]
    assert types.count("sale.created") == 1
    assert "sale.refunded" in types
    refunded = next(json.loads(r.body) for r in receiver.requests if b"sale.refunded" in r.body)
    assert refunded["data"]["refunded_minor"] == 1000
    assert types.count("sale.updated") == 1  # the cancellation (order of arrival is not kept)
    cancelled = next(json.loads(r.body) for r in receiver.requests if b"sale.updated" in r.body)
    assert cancelled["data"]["status"] == "cancelled"


def test_a_batch_is_sent_side_by_side_so_one_slow_endpoint_holds_up_no_one(studio):
    """Each receiver answers only once the other has its request too: sent one after the
    other, the first would wait in vain (and say so); sent side by side, both see both."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    arrived = {"a": threading.Event(), "b": threading.Event()}
    saw_other: dict[str, bool] = {}

    def server(name: str, other: str) -> ThreadingHTTPServer:
        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers["Content-Length"]))
                arrived[name].set()
                saw_other[name] = arrived[other].wait(10)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        return httpd

    servers = {"a": server("a", "b"), "b": server("b", "a")}
    try:
        for httpd in servers.values():
            url = f"http://127.0.0.1:{httpd.server_address[1]}/"
            create_endpoint(studio=studio, url=url, events=["contact.created"])
        make_contact(studio, "Zed", "Quinn")
        assert deliver_due() == 2
    finally:
        for httpd in servers.values():
            httpd.shutdown()
            httpd.server_close()
    assert saw_other == {"a": True, "b": True}
    assert set(Delivery.objects.values_list("status", flat=True)) == {"succeeded"}
