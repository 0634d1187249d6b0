"""The intake by the batch (cyan/intake_worker.py, inbox/batch_intake.py), with the real
task backend: new orders are stored together, anything else one at a time in the same
transaction; a failing delivery is kept with its reason while the rest of its batch is
taken in; versions of one order apply oldest first; and a batch cut off midway leaves
nothing half-done, so running it again takes every order in exactly once."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django_tasks_db.models import DBTaskResult

from cyan import task_recovery
from cyan.intake_worker import IntakeWorker
from inbox import accepting, batch_intake, intake
from inbox.models import InboxDelivery, InboxItem, WebhookDelivery
from inbox.tasks import process_webhook_delivery
from testkit.intake import accepted, accepted_item
from testkit.payloads import event_body, order_json, signed_headers

pytestmark = pytest.mark.django_db(transaction=True)
URL = "/galleries/webhooks/pictime/"


@pytest.fixture(autouse=True)
def database_tasks(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}
    }


class WorkerDied(BaseException):
    """The worker process ends mid-batch (nothing catches it, as with a kill)."""


def deliver(client, order: dict) -> str:
    body = event_body(order)
    headers = signed_headers(body)
    response = client.post(URL, data=body, content_type="application/json", **headers)
    assert response.status_code == 200, response.content
    return headers["HTTP_WEBHOOK_ID"]


def worker(worker_id: str = "w-batch") -> IntakeWorker:
    return IntakeWorker(
        queue_names=[accepting.INTAKE_QUEUE], interval=0, batch=True, backend_name="default",
        startup_delay=False, max_tasks=None, worker_id=worker_id, excluded_queue_names=[],
        heartbeat_every=60, batch_size=50,
    )  # fmt: skip


def intake_tasks():
    return DBTaskResult.objects.filter(task_path=process_webhook_delivery.module_path)


def outcomes() -> list:
    return sorted(intake_tasks().values_list("status", "return_value"))


def test_new_orders_are_stored_together_once_each(client, pictime_link, monkeypatch):
    ids = [deliver(client, order_json(order_id=f"ord_{n}")) for n in range(3)]

    def one_at_a_time(**kwargs):
        raise AssertionError("new orders go through receive_new_orders, not receive_order")

    monkeypatch.setattr(intake, "receive_order", one_at_a_time)
    worker().loop()
    assert [accepted_item(m).external_id for m in ids] == ["ord_0", "ord_1", "ord_2"]
    assert InboxDelivery.objects.filter(note="received").count() == 3
    assert outcomes() == [("SUCCESSFUL", "taken in")] * 3


def test_a_failing_delivery_is_kept_with_its_reason_and_the_rest_of_its_batch_arrives(
    client, pictime_link, monkeypatch
):
    good = deliver(client, order_json(order_id="ord_good"))
    bad = deliver(client, order_json(order_id="ord_bad"))
    refused_order = order_json(order_id="ord_refused")
    refused_order["total"] = "1.00"  # does not add up: the mapper refuses it
    refused = deliver(client, refused_order)
    original = intake.auto_import_when_enabled

    def fails_for_one(item):
        if item.external_id == "ord_bad":
            raise RuntimeError("boom")
        original(item)

    monkeypatch.setattr(intake, "auto_import_when_enabled", fails_for_one)
    worker().loop()

    assert accepted_item(good).state == InboxItem.State.NEW
    assert accepted_item(refused).state == InboxItem.State.NEEDS_ATTENTION
    kept = accepted(bad)
    assert kept.processed_at is None
    assert kept.error == "could not be processed: RuntimeError: boom"
    assert not InboxItem.objects.filter(external_id="ord_bad").exists()
    assert InboxItem.objects.count() == 2
    assert outcomes() == [
        ("SUCCESSFUL", "failed, will retry"),
        ("SUCCESSFUL", "taken in"),
        ("SUCCESSFUL", "taken in"),
    ]


def test_two_versions_of_one_order_in_a_batch_apply_oldest_first(client, pictime_link):
    newer = deliver(client, order_json(updated_at="2026-05-03T10:00:00Z", status="cancelled"))
    older = deliver(client, order_json(updated_at="2026-05-02T10:00:00Z"))
    worker().loop()

    item = accepted_item(newer)
    assert accepted_item(older) == item and InboxItem.objects.count() == 1
    assert item.order_status == "cancelled"
    notes = dict(InboxDelivery.objects.values_list("delivery_key", "note"))
    assert notes[older] == "received"
    assert notes[newer].startswith("updated: status Placed → Cancelled")


def test_a_batch_cut_off_midway_leaves_nothing_and_runs_again_exactly_once(
    client, pictime_link, monkeypatch
):
    held = deliver(client, order_json(order_id="ord_held"))
    worker().loop()
    assert accepted_item(held).order_status == "placed"
    new_ids = [deliver(client, order_json(order_id=f"ord_new{n}")) for n in range(2)]
    update = deliver(
        client,
        order_json(order_id="ord_held", updated_at="2026-05-04T10:00:00Z", status="shipped"),
    )
    original = batch_intake.take_in

    def dies_on_the_update(**kwargs):
        raise WorkerDied  # after the new orders were stored, in the same batch

    monkeypatch.setattr(batch_intake, "take_in", dies_on_the_update)
    died = worker("w-dies")
    with pytest.raises(WorkerDied):
        died.loop()

    assert InboxItem.objects.count() == 1  # the new orders' items were rolled back
    assert WebhookDelivery.objects.filter(processed_at__isnull=True).count() == 3
    assert accepted_item(held).order_status == "placed"
    assert set(intake_tasks().values_list("status", flat=True)) == {"RUNNING", "SUCCESSFUL"}

    monkeypatch.setattr(batch_intake, "take_in", original)
    task_recovery.recover_abandoned_tasks(idle_worker_id="w-dies")  # as its restart does
    worker().loop()
    assert [accepted_item(m).external_id for m in new_ids] == ["ord_new0", "ord_new1"]
    assert accepted_item(update).order_status == "shipped"
    assert InboxItem.objects.count() == 3
    assert InboxDelivery.objects.count() == 4  # one per accepted delivery, none twice
    assert outcomes() == [("SUCCESSFUL", "taken in")] * 4


def test_a_database_failure_mid_batch_keeps_nothing_of_it(client, pictime_link, monkeypatch):
    deliver(client, order_json(order_id="ord_a"))
    deliver(client, order_json(order_id="ord_b"))

    def database_gone(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(intake, "notices", type("N", (), {"orders_arrived": database_gone}))
    batch = worker()
    claimed = batch.claim()
    with pytest.raises(OperationalError):
        batch.run_claimed(claimed)
    assert not InboxItem.objects.exists()
    assert not WebhookDelivery.objects.filter(processed_at__isnull=False).exists()
    assert set(intake_tasks().values_list("status", flat=True)) == {"RUNNING"}
