"""Accepted webhooks with the real task backend (django-tasks-db) and the real worker:
nothing is lost when the worker dies between accept and process, the sweep finds a
delivery whose task is gone (and leaves alone one whose task waits), and `cyan worker`'s
intake thread processes a delivery with no other configuration."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.db import OperationalError
from django_tasks_db.models import DBTaskResult

from cyan import task_recovery
from cyan.worker import ResilientWorker, start_intake_worker
from inbox import accepting
from inbox.models import InboxItem, WebhookDelivery
from inbox.tasks import process_webhook_delivery
from testkit.intake import accepted, accepted_item
from testkit.payloads import event_body, order_json, signed_headers

# Committed rows: the worker closes and reopens connections as in production.
pytestmark = pytest.mark.django_db(transaction=True)
URL = "/galleries/webhooks/pictime/"


@pytest.fixture(autouse=True)
def database_tasks(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}
    }


def deliver(client, order: dict | None = None) -> str:
    body = event_body(order or order_json())
    headers = signed_headers(body)
    response = client.post(URL, data=body, content_type="application/json", **headers)
    assert response.status_code == 200, response.content
    return headers["HTTP_WEBHOOK_ID"]


def processed(msg_id: str) -> bool:
    try:
        return accepted(msg_id).processed_at is not None
    except OperationalError:  # SQLite's in-memory test database: a table locked a moment
        return False


def intake_tasks():
    return DBTaskResult.objects.filter(task_path=process_webhook_delivery.module_path)


def run_intake_worker(worker_id: str = "w-intake") -> None:
    ResilientWorker(
        queue_names=[accepting.INTAKE_QUEUE], interval=0, batch=True, backend_name="default",
        startup_delay=False, max_tasks=None, worker_id=worker_id, excluded_queue_names=[],
        heartbeat_every=60,
    ).run()  # fmt: skip


def test_the_delivery_and_its_task_commit_together_and_a_later_worker_processes_it(
    client, pictime_link
):
    msg_id = deliver(client)  # no worker runs: as if it had died before the task started
    task = intake_tasks().get()
    assert task.queue_name == "intake" and task.status == "READY"
    assert task.args_kwargs["args"] == [accepted(msg_id).pk]
    assert InboxItem.objects.count() == 0
    run_intake_worker()
    assert accepted_item(msg_id).external_id == "ord_1001"
    assert intake_tasks().get().status == "SUCCESSFUL"


def test_a_worker_killed_while_processing_is_replaced_and_the_order_arrives_once(
    client, pictime_link
):
    msg_id = deliver(client)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    intake_tasks().get().claim("w-killed")
    task_recovery.beat(worker_id="w-killed", pid=dead.pid)
    run_intake_worker()  # takes back what the dead worker left RUNNING
    assert accepted_item(msg_id).deliveries.count() == 1
    assert InboxItem.objects.count() == 1


def test_the_sweep_enqueues_a_delivery_whose_task_is_gone_not_one_whose_task_waits(
    client, pictime_link
):
    waiting_id, lost_id = deliver(client), deliver(client, order_json(order_id="ord_2"))
    intake_tasks().filter(args_kwargs__args__0=accepted(lost_id).pk).delete()
    later = accepted(lost_id).received_at + accepting.WAITING_GRACE + timedelta(seconds=1)
    assert accepting.sweep_waiting_deliveries(now=later) == 1
    assert accepting.sweep_waiting_deliveries(now=later) == 0  # its new task now waits
    assert accepted(lost_id).attempts == 1 and accepted(waiting_id).attempts == 0
    run_intake_worker()
    assert {accepted_item(m).external_id for m in (waiting_id, lost_id)} == {"ord_1001", "ord_2"}
    assert not WebhookDelivery.objects.filter(processed_at__isnull=True).exists()


def test_the_worker_commands_intake_thread_processes_an_accepted_delivery(client, pictime_link):
    msg_id = deliver(client)
    intake = start_intake_worker(worker_id="w-main", interval=0.05)
    try:
        deadline = time.monotonic() + 30  # a generous bound for a loaded machine, not a target
        while not processed(msg_id) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        intake.stop()
    assert not intake.thread.is_alive()
    assert accepted_item(msg_id).external_id == "ord_1001"
