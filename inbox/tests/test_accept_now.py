"""Webhooks accepted now, processed next (inbox.accepting): the view stores the raw
delivery and enqueues its task; the task makes the Inbox item. Here the task backend only
records what is enqueued (django's DummyBackend), so each test decides when the intake
runs (testkit.intake.drain_intake), as a worker would, or not at all, as a dead one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.tasks import default_task_backend
from django.utils import timezone

from galleries.models import GalleryLink
from inbox import accepting
from inbox.intake import take_in
from inbox.models import InboxDelivery, InboxItem, WebhookDelivery
from testkit.intake import accepted, accepted_item, drain_intake
from testkit.payloads import event_body, order_json, signed_headers

URL = "/galleries/webhooks/pictime/"
ITEM_FIELDS = [
    "kind", "source", "account_id", "external_id", "state", "raw_payload", "normalized",
    "error", "order_number", "customer_name", "customer_email", "gallery_name", "currency",
    "total_minor", "order_status", "refunded_minor", "provider_updated_at", "placed_at",
]  # fmt: skip

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def tasks_wait(settings):
    """Enqueued tasks are recorded, not run: nothing is processed until the test says."""
    settings.TASKS = {
        "default": {
            "BACKEND": "django.tasks.backends.dummy.DummyBackend",
            "QUEUES": settings.TASK_QUEUES,
        }
    }


def deliver(client, body: str, msg_id: str | None = None):
    headers = signed_headers(body, msg_id=msg_id)
    response = client.post(URL, data=body, content_type="application/json", **headers)
    return response, headers["HTTP_WEBHOOK_ID"]


def enqueued() -> list:
    return [r for r in default_task_backend.results if r.task.queue_name == "intake"]


def test_an_accepted_order_is_arriving_then_the_same_item_the_old_path_made(
    client, auth_client, api, pictime_link
):
    body = event_body(order_json())
    old = take_in(
        studio=pictime_link.studio, provider="pictime", account_id="acc_demo",
        raw=order_json(), raw_payload=body, channel="webhook", delivery_key="msg_old",
        event_type="order.created", link=pictime_link,
    ).item  # fmt: skip
    before = {field: getattr(old, field) for field in ITEM_FIELDS}
    InboxItem.objects.all().delete()

    response, msg_id = deliver(client, body)
    assert response.status_code == 200 and response.json() == {"ok": True, "duplicate": False}
    assert InboxItem.objects.count() == 0  # accepted, not processed yet
    assert [r.args for r in enqueued()] == [[accepted(msg_id).pk]]
    page = auth_client.get("/inbox/")
    assert "Arriving" in page.text and "ord_1001" in page.text
    listed = api.get("/api/v1/inbox").json()
    assert listed["data"] == []
    assert [(a["state"], a["external_id"], a["event_type"]) for a in listed["arriving"]] == [
        ("arriving", "ord_1001", "order.created")
    ]

    assert drain_intake() == ["taken in"]
    item = accepted_item(msg_id)
    assert {field: getattr(item, field) for field in ITEM_FIELDS} == before
    assert item.deliveries.get().delivery_key == msg_id
    assert api.get("/api/v1/inbox").json()["arriving"] == []
    assert "Arriving" not in auth_client.get("/inbox/").text
    pictime_link.refresh_from_db()
    assert pictime_link.last_order_at is not None


def test_a_resent_delivery_is_stored_once_and_processed_once(client, pictime_link):
    body = event_body(order_json())
    first, msg_id = deliver(client, body, "msg_same")
    again, _ = deliver(client, body, "msg_same")
    assert first.json()["duplicate"] is False and again.json()["duplicate"] is True
    assert WebhookDelivery.objects.count() == 1
    assert len(enqueued()) == 1
    assert drain_intake() == ["taken in"]
    assert drain_intake() == []
    assert accepting.process_delivery(accepted(msg_id).pk) == "processed already"
    assert InboxItem.objects.count() == 1 and InboxDelivery.objects.count() == 1


def test_versions_processed_in_any_order_end_at_the_newest(client, pictime_link):
    versions = [
        ("order.created", order_json(updated_at="2026-05-02T10:00:00Z")),
        ("order.refunded", order_json(refunds=[500], updated_at="2026-05-04T10:00:00Z")),
        ("order.updated", order_json(updated_at="2026-05-03T10:00:00Z")),
    ]
    ids = []
    for event, order in versions:
        ids.append(deliver(client, event_body(order, event))[1])
    for msg_id in reversed(ids):  # the newest first, then the older ones
        accepting.process_delivery(accepted(msg_id).pk)
    item = InboxItem.objects.get()
    assert item.provider_updated_at.isoformat() == "2026-05-04T10:00:00+00:00"
    assert item.refunded_minor == 500
    assert InboxDelivery.objects.filter(item=item).count() == 3
    assert WebhookDelivery.objects.filter(processed_at__isnull=True).count() == 0


def test_a_bad_signature_stores_nothing_and_answers_as_before(client, pictime_link):
    body = event_body(order_json())
    headers = signed_headers(body)
    response = client.post(
        URL, data=body.replace("Ada", "Eve"), content_type="application/json", **headers
    )
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "bad_signature"
    assert WebhookDelivery.objects.count() == 0 and enqueued() == []


def test_a_delivery_for_an_unlinked_account_is_refused_before_it_is_stored(client, pictime_link):
    GalleryLink.objects.filter(pk=pictime_link.pk).update(status=GalleryLink.Status.UNLINKED)
    response, _ = deliver(client, event_body(order_json()))
    assert response.status_code == 401
    assert WebhookDelivery.objects.count() == 0


def test_a_body_that_cannot_be_mapped_is_kept_with_its_reason(client, pictime_link):
    broken = order_json()
    broken["total"] = "1.00"  # does not add up
    body = event_body(broken)
    response, msg_id = deliver(client, body)
    assert response.status_code == 200
    drain_intake()
    item = accepted_item(msg_id)
    assert item.state == InboxItem.State.NEEDS_ATTENTION
    assert "total_minor" in item.error and item.raw_payload == body


def test_a_failure_of_cyans_own_is_shown_with_its_reason_retried_then_kept(
    client, api, pictime_link, monkeypatch
):
    def broken_intake(**kwargs):
        raise RuntimeError("the intake broke")

    monkeypatch.setattr(accepting, "take_in", broken_intake)  # a bug of Cyan's, not the order's
    body = event_body(order_json())
    _, msg_id = deliver(client, body)
    assert drain_intake() == ["failed, will retry"]
    arriving = api.get("/api/v1/inbox").json()["arriving"]
    assert [(a["state"], a["error"]) for a in arriving] == [
        ("failed", "could not be processed: RuntimeError: the intake broke")
    ]
    later = timezone.now() + accepting.WAITING_GRACE + timedelta(seconds=1)
    for attempt in range(1, accepting.MAX_ATTEMPTS):
        assert accepting.sweep_waiting_deliveries(now=later) == 1  # its task is gone
        assert accepted(msg_id).attempts == attempt
        drain_intake()
    item = accepted_item(msg_id)  # the last try keeps it where the studio looks
    assert item.state == InboxItem.State.NEEDS_ATTENTION
    assert item.error == "could not be processed: RuntimeError: the intake broke"
    assert item.raw_payload == body
    assert accepting.sweep_waiting_deliveries(now=later) == 0


def test_the_sweep_enqueues_only_what_waits_too_long_without_a_task(client, pictime_link):
    _, msg_id = deliver(client, event_body(order_json()))
    delivery = accepted(msg_id)
    assert accepting.sweep_waiting_deliveries() == 0  # just accepted: its task is coming
    later = delivery.received_at + accepting.WAITING_GRACE + timedelta(seconds=1)
    assert accepting.sweep_waiting_deliveries(now=later) == 1  # the task was lost (dummy)
    assert [r.args for r in enqueued()] == [[delivery.pk], [delivery.pk]]
    drain_intake()
    assert accepting.sweep_waiting_deliveries(now=later) == 0
    assert InboxItem.objects.count() == 1


def test_pruning_drops_old_processed_deliveries_only_and_a_late_resend_adds_nothing(
    client, pictime_link
):
    body = event_body(order_json())
    _, done_id = deliver(client, body, "msg_done")
    _, waiting_id = deliver(client, event_body(order_json(order_id="ord_2002")), "msg_wait")
    accepting.process_delivery(accepted(done_id).pk)
    long_ago = timezone.now() - timedelta(days=30)
    WebhookDelivery.objects.update(received_at=long_ago)
    WebhookDelivery.objects.filter(delivery_key="msg_done").update(processed_at=long_ago)

    assert accepting.prune_processed_deliveries(older_than=timedelta(days=14)) == 1
    assert list(WebhookDelivery.objects.values_list("delivery_key", flat=True)) == ["msg_wait"]

    again, _ = deliver(client, body, "msg_done")  # the gallery resends after the prune
    assert again.status_code == 200
    drain_intake()
    assert InboxItem.objects.filter(external_id="ord_1001").count() == 1
    assert InboxDelivery.objects.filter(delivery_key="msg_done").count() == 1
    assert accepted(waiting_id).processed_at is not None  # the waiting one was never lost


def test_two_sweeps_that_saw_the_same_orphan_count_one_try(client, pictime_link):
    _, msg_id = deliver(client, event_body(order_json()))
    delivery = accepted(msg_id)
    assert accepting.claim_try(delivery.pk, seen_attempts=0)
    assert not accepting.claim_try(delivery.pk, seen_attempts=0)  # the other sweep's stale read
    assert accepted(msg_id).attempts == 1


def test_a_delivery_whose_tries_all_ended_unfinished_becomes_needs_attention(
    client, pictime_link, auth_client
):
    body = event_body(order_json())
    _, msg_id = deliver(client, body)
    # Its five tasks failed without reaching the failure handler (the worker died on it,
    # or the database kept failing): no task is live and its tries are used up.
    WebhookDelivery.objects.filter(delivery_key=msg_id).update(attempts=accepting.MAX_ATTEMPTS)
    later = accepted(msg_id).received_at + accepting.WAITING_GRACE + timedelta(seconds=1)

    assert accepting.sweep_waiting_deliveries(now=later) == 0  # nothing enqueued again
    item = accepted_item(msg_id)
    assert item.state == InboxItem.State.NEEDS_ATTENTION
    assert "tries ended without taking it in" in item.error
    assert item.raw_payload == body
    assert "Arriving" not in auth_client.get("/inbox/").text
    assert accepting.sweep_waiting_deliveries(now=later) == 0
    assert InboxItem.objects.count() == 1
