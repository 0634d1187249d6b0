"""On PostgreSQL the webhook view writes the delivery and its task row in one statement
(inbox.accepting): the row must be the one django-tasks-db's own enqueue writes, so the
worker runs it like any other task."""

from __future__ import annotations

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from cyan.worker import ResilientWorker
from inbox.models import WebhookDelivery
from inbox.tasks import process_webhook_delivery
from testkit.intake import accepted, accepted_item
from testkit.payloads import event_body, order_json, signed_headers

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's one-statement path"),
]
SAME = ["status", "priority", "task_path", "worker_ids", "queue_name", "backend_name",
        "run_after", "return_value", "exception_class_path", "traceback", "started_at",
        "finished_at"]  # fmt: skip


@pytest.fixture(autouse=True)
def database_tasks(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}
    }


def test_the_task_row_is_the_one_the_librarys_enqueue_writes_and_the_worker_runs_it(
    client, pictime_link
):
    body = event_body(order_json())
    headers = signed_headers(body)
    for _ in range(2):  # the resend stores nothing and enqueues nothing
        response = client.post(
            "/galleries/webhooks/pictime/", data=body, content_type="application/json", **headers
        )
        assert response.status_code == 200
    delivery = accepted(headers["HTTP_WEBHOOK_ID"])
    ours = DBTaskResult.objects.get()
    theirs = DBTaskResult.objects.get(pk=process_webhook_delivery.enqueue(delivery.pk).id)
    assert ours.args_kwargs == theirs.args_kwargs == {"args": [delivery.pk], "kwargs": {}}
    assert {f: getattr(ours, f) for f in SAME} == {f: getattr(theirs, f) for f in SAME}
    assert WebhookDelivery.objects.count() == 1
    ResilientWorker(
        queue_names=["intake"], interval=0, batch=True, backend_name="default",
        startup_delay=False, max_tasks=None, worker_id="w-pg", excluded_queue_names=[],
        heartbeat_every=60,
    ).run()  # fmt: skip
    assert accepted_item(headers["HTTP_WEBHOOK_ID"]).external_id == "ord_1001"
    assert sorted(DBTaskResult.objects.values_list("status", flat=True)) == ["SUCCESSFUL"] * 2
