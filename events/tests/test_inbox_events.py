"""inbox.order_received / inbox.order_updated, as the intake records them."""

from __future__ import annotations

import json

import pytest
from standardwebhooks.webhooks import Webhook

from events.delivery import deliver_due
from events.models import Event
from events.services import create_endpoint, record_inbox_event
from testkit.factories import receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox_endpoint(studio, receiver):
    events = ["inbox.order_received", "inbox.order_updated"]
    return create_endpoint(studio=studio, url=receiver.url, events=events)


def test_record_inbox_event_directly(studio, inbox_endpoint, receiver):
    item = receive(studio)
    Event.objects.all().delete()  # what receive_order recorded; this tests the function
    record_inbox_event(item=item, created=True)
    record_inbox_event(item=item, created=False)
    deliver_due()
    secret = inbox_endpoint[1]
    bodies = {
        body["type"]: body
        for body in (Webhook(secret).verify(r.body, r.headers) for r in receiver.requests)
    }
    assert sorted(bodies) == ["inbox.order_received", "inbox.order_updated"]
    received = bodies["inbox.order_received"]
    assert received["data"]["id"] == item.pk
    assert received["data"]["order"]["order_id"] == item.external_id


def test_receiving_orders_records_received_then_updated(studio, inbox_endpoint, receiver):
    receive(studio)
    receive(studio)  # the same delivery again: no event
    receive(studio, updated_at="2026-06-20T10:00:00Z")
    deliver_due()
    types = sorted(json.loads(r.body)["type"] for r in receiver.requests)
    assert types == ["inbox.order_received", "inbox.order_updated"]
