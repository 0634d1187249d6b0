"""/api/v1/hooks: Zapier REST hooks on the outbox, delivered to a real receiver."""

from __future__ import annotations

import json

import pytest
from standardwebhooks.webhooks import Webhook

from events.delivery import deliver_due
from events.models import WebhookEndpoint
from testkit.factories import make_contact, make_sale

pytestmark = pytest.mark.django_db


def _subscribe(api, receiver, event="sale.created", **headers):
    return api.post("/api/v1/hooks", {"target_url": receiver.url, "event": event}, headers)


def test_subscribe_then_a_sale_is_delivered_signed(api, studio, receiver, ann):
    response = _subscribe(api, receiver)
    assert response.status_code == 201
    body = response.json()
    assert body["secret"].startswith("whsec_")
    assert (body["event"], body["target_url"], body["status"]) == (
        "sale.created",
        receiver.url,
        "active",
    )
    sale = make_sale(studio, ann)
    make_contact(studio, "Not", "Subscribed")
    deliver_due()
    [received] = receiver.requests
    delivered = Webhook(body["secret"]).verify(received.body, received.headers)
    assert delivered["type"] == "sale.created"
    assert delivered["data"] == api.get(f"/api/v1/sales/{sale.pk}").json()


def test_unsubscribe_stops_deliveries(api, studio, receiver, ann):
    hook_id = _subscribe(api, receiver).json()["id"]
    response = api.client.delete(
        f"/api/v1/hooks/{hook_id}", headers={"Authorization": f"Bearer {api.key}"}
    )
    assert response.status_code == 204
    make_sale(studio, ann)
    assert deliver_due() == 0
    assert api.get("/api/v1/hooks").json() == {"data": []}


def test_another_studios_hook_cannot_be_deleted(api, other_api, receiver):
    hook_id = _subscribe(api, receiver).json()["id"]
    response = other_api.client.delete(
        f"/api/v1/hooks/{hook_id}", headers={"Authorization": f"Bearer {other_api.key}"}
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert WebhookEndpoint.objects.filter(pk=hook_id).exists()


def test_410_from_the_target_deletes_the_subscription(api, studio, receiver, ann):
    hook_id = _subscribe(api, receiver).json()["id"]
    receiver.statuses = [410]
    make_sale(studio, ann)
    deliver_due()
    assert not WebhookEndpoint.objects.filter(pk=hook_id).exists()


def test_unknown_event_and_private_target_are_refused(api, settings, receiver):
    response = api.post("/api/v1/hooks", {"target_url": receiver.url, "event": "sale.deleted"})
    assert response.status_code == 422
    assert "event" in response.json()["error"]["fields"]
    settings.CYAN_WEBHOOKS_ALLOW_PRIVATE = False
    response = _subscribe(api, receiver)
    assert response.status_code == 422
    assert "loopback" in response.json()["error"]["fields"]["target_url"]
    assert not WebhookEndpoint.objects.exists()


def test_subscribe_honours_idempotency_key(api, receiver):
    first = _subscribe(api, receiver, **{"Idempotency-Key": "zap-1"})
    again = _subscribe(api, receiver, **{"Idempotency-Key": "zap-1"})
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert WebhookEndpoint.objects.count() == 1


def test_samples_are_shaped_like_deliveries(api, studio, ann):
    from sales.services import add_refund

    kept = make_sale(studio, ann, total_minor=3000)
    refunded = make_sale(studio, ann, total_minor=5000)
    add_refund(sale=refunded, amount_minor=500, refunded_on=refunded.sale_date)
    created = api.get("/api/v1/hooks/samples", {"event": "sale.created"}).json()["data"]
    assert [s["id"] for s in created] == [refunded.pk, kept.pk]
    assert created[0] == api.get(f"/api/v1/sales/{refunded.pk}").json()
    only_refunded = api.get("/api/v1/hooks/samples", {"event": "sale.refunded"}).json()
    assert [s["id"] for s in only_refunded["data"]] == [refunded.pk]
    contacts = api.get("/api/v1/hooks/samples", {"event": "contact.created"}).json()["data"]
    assert contacts[0]["id"] == ann.pk


def test_inbox_samples_are_the_orders(api, studio):
    from testkit.factories import receive

    item = receive(studio)
    data = api.get("/api/v1/hooks/samples", {"event": "inbox.order_received"}).json()["data"]
    assert [d["id"] for d in data] == [item.pk]
    assert data[0]["order"]["order_id"] == item.external_id


def test_samples_refuse_an_unknown_event(api):
    response = api.get("/api/v1/hooks/samples", {"event": "nope"})
    assert response.status_code == 422


def test_hook_deliveries_use_the_same_envelope(api, studio, receiver):
    secret = _subscribe(api, receiver, event="contact.created").json()["secret"]
    contact = make_contact(studio, "Zed", "Quinn")
    deliver_due()
    body = json.loads(receiver.requests[0].body)
    assert set(body) == {"type", "timestamp", "data"}
    assert body["data"]["id"] == contact.pk
    Webhook(secret).verify(receiver.requests[0].body, receiver.requests[0].headers)
