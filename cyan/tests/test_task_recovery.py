"""Abandoned and transiently failed tasks go back to the queue (real database rows)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from cyan import task_recovery
from cyan.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture
def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def running_task(*worker_ids: str, started_ago: timedelta = timedelta(0)) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status="RUNNING",
        args_kwargs={"args": [1], "kwargs": {}},
        task_path="inbox.tasks.poll_link_task",
        backend_name="default",
        run_after=get_date_max(),
        worker_ids=list(worker_ids),
        started_at=timezone.now() - started_ago,
    )


def heartbeat(worker_id: str, *, pid: int, seen_ago: timedelta = timedelta(0)) -> None:
    WorkerHeartbeat.objects.create(
        worker_id=worker_id,
        hostname=task_recovery.HOSTNAME,
        pid=pid,
        last_seen=timezone.now() - seen_ago,
    )


def status_of(task: DBTaskResult) -> str:
    task.refresh_from_db()
    return task.status


def test_a_task_whose_worker_process_died_goes_back_to_the_queue(dead_pid):
    heartbeat("w-dead", pid=dead_pid)
    task = running_task("w-dead")
    assert task_recovery.recover_abandoned_tasks().requeued == 1
    task.refresh_from_db()
    assert (task.status, task.started_at) == ("READY", None)
    assert DBTaskResult.objects.ready().filter(pk=task.pk).exists()


def test_a_task_a_live_worker_is_running_is_left_alone():
    heartbeat("w-alive", pid=os.getpid())
    task = running_task("w-alive", started_ago=timedelta(hours=3))  # slow is not dead
    assert task_recovery.recover_abandoned_tasks().requeued == 0
    assert status_of(task) == "RUNNING"


def test_a_silent_worker_loses_its_task_after_the_lease(settings):
    settings.CYAN_WORKER_LEASE_SECONDS = 30
    heartbeat("w-silent", pid=os.getpid(), seen_ago=timedelta(seconds=31))
    task = running_task("w-silent")
    task_recovery.recover_abandoned_tasks()
    assert status_of(task) == "READY"


def test_a_task_without_a_heartbeat_is_abandoned_only_after_the_lease(settings):
    settings.CYAN_WORKER_LEASE_SECONDS = 30
    fresh = running_task("w-unknown-1", started_ago=timedelta(seconds=5))
    old = running_task("w-unknown-2", started_ago=timedelta(seconds=31))
    task_recovery.recover_abandoned_tasks()
    assert (status_of(fresh), status_of(old)) == ("RUNNING", "READY")


def test_the_idle_worker_takes_back_the_task_an_outage_cut_off():
    heartbeat("w-me", pid=os.getpid())
    mine, theirs = running_task("w-me"), running_task("w-other")
    heartbeat("w-other", pid=os.getpid())
    task_recovery.recover_abandoned_tasks(idle_worker_id="w-me")
    assert (status_of(mine), status_of(theirs)) == ("READY", "RUNNING")


def test_a_task_abandoned_too_often_fails_with_the_reason(dead_pid):
    ids = [f"w-{n}" for n in range(task_recovery.MAX_ATTEMPTS)]
    heartbeat(ids[-1], pid=dead_pid)
    task = running_task(*ids)
    assert task_recovery.recover_abandoned_tasks().failed == 1
    task.refresh_from_db()
    assert task.status == "FAILED"
    assert task.exception_class_path == "cyan.task_recovery.TaskAbandoned"
    assert "Abandoned 5 times" in task.traceback


def failed_task(error: str, attempts: int = 1) -> DBTaskResult:
    task = running_task(*[f"w-{n}" for n in range(attempts)])
    task.status, task.exception_class_path = "FAILED", error
    task.save()
    return task


def test_a_task_failed_by_a_lost_database_connection_runs_again_later():
    task = failed_task("django.db.utils.OperationalError")
    assert task_recovery.retry_if_transient(task)
    task.refresh_from_db()
    assert task.status == "READY"
    assert task.run_after > timezone.now()  # backoff, not a hot loop
    assert not DBTaskResult.objects.ready().filter(pk=task.pk).exists()


@pytest.mark.parametrize(
    ("error", "attempts"),
    [("builtins.ValueError", 1), ("django.db.utils.DataError", 1),
     ("django.db.utils.OperationalError", task_recovery.MAX_ATTEMPTS)],
)  # fmt: skip
def test_other_failures_and_the_last_attempt_stay_failed(error, attempts):
    task = failed_task(error, attempts)
    assert not task_recovery.retry_if_transient(task)
    assert status_of(task) == "FAILED"


def test_heartbeats_come_and_go():
    task_recovery.beat(worker_id="w-beat")
    first = WorkerHeartbeat.objects.get(worker_id="w-beat")
    task_recovery.beat(worker_id="w-beat")
    assert WorkerHeartbeat.objects.get(worker_id="w-beat").last_seen >= first.last_seen
    assert first.pid == os.getpid() and first.hostname == task_recovery.HOSTNAME
    task_recovery.forget(worker_id="w-beat")
    assert not WorkerHeartbeat.objects.filter(worker_id="w-beat").exists()
