"""`cyan worker` in-process on the real test database: it takes back what a dead worker
left RUNNING, and it keeps exactly one polling round scheduled."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django_tasks_db.models import DBTaskResult

from cyan import task_recovery
from cyan.models import WorkerHeartbeat
from cyan.worker import Backoff, ResilientWorker
from inbox.tasks import ensure_polling_scheduled, poll_all_links

# Committed rows: the worker closes and reopens connections as in production.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def database_tasks(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}
    }


def worker(worker_id: str = "w-test") -> ResilientWorker:
    return ResilientWorker(
        queue_names=["default"], interval=0, batch=True, backend_name="default",
        startup_delay=False, max_tasks=None, worker_id=worker_id, excluded_queue_names=[],
        heartbeat_every=60,
    )  # fmt: skip


def test_a_starting_worker_runs_the_task_a_killed_worker_left_running():
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    result = poll_all_links.enqueue(False)
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim("w-killed")
    task_recovery.beat(worker_id="w-killed", pid=dead.pid)
    worker().run()
    row.refresh_from_db()
    assert row.status == "SUCCESSFUL"
    assert row.worker_ids == ["w-killed", "w-test"]
    assert not WorkerHeartbeat.objects.filter(worker_id="w-test").exists()  # clean exit


def test_polling_is_seeded_once_while_a_round_waits_or_runs():
    assert ensure_polling_scheduled()
    assert not ensure_polling_scheduled()
    DBTaskResult.objects.filter(task_path=poll_all_links.module_path).update(status="RUNNING")
    assert not ensure_polling_scheduled()
    DBTaskResult.objects.filter(task_path=poll_all_links.module_path).update(status="FAILED")
    assert ensure_polling_scheduled()  # a round that failed scheduled no next one


def test_backoff_doubles_up_to_its_cap_and_starts_over():
    backoff = Backoff(first=0.5, cap=2)
    assert [backoff.next() for _ in range(5)] == [0.5, 1, 2, 2, 2]
    backoff.reset()
    assert backoff.next() == 0.5
