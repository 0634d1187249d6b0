"""Tasks that outlive a failure: abandoned runs go back to the queue, transient failures
are retried with backoff, and each worker says it is alive.

django-tasks-db marks a task RUNNING when a worker claims it and never looks at it again,
so a worker killed mid-task (kill -9, OOM, a lost host) leaves it RUNNING forever. Here a
RUNNING task is *abandoned* when the worker that claimed it is gone: its heartbeat is
older than the lease, its process no longer exists on this host, or (a worker without a
heartbeat row) the task started longer than a lease ago. Abandoned tasks are re-queued,
which is safe because every Cyan task is idempotent: polling and the backfill store
orders through the Inbox's dedupe (one item per provider+account+order, one delivery per
key) and move the poll position only forward; the auto-import skips an imported item.
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cyan.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

HOSTNAME = socket.gethostname()
# A task is tried at most this many times (each claim adds a worker id to the row).
MAX_ATTEMPTS = 5
# Failures that say the database or the network was away, not that the task is wrong.
TRANSIENT_ERRORS = frozenset(
    {
        "django.db.utils.OperationalError",
        "django.db.utils.InterfaceError",
        "psycopg.OperationalError",
        "psycopg.InterfaceError",
    }
)
RUNNING, READY, FAILED = "RUNNING", "READY", "FAILED"


class TaskAbandoned(Exception):
    """Recorded as the failure of a task abandoned more often than MAX_ATTEMPTS allows."""


@dataclass
class Recovery:
    requeued: int = 0
    failed: int = 0


def lease() -> timedelta:
    return timedelta(seconds=getattr(settings, "CYAN_WORKER_LEASE_SECONDS", 60))


def retry_delay(attempts: int) -> timedelta:
    """Backoff before another try: 2, 4, 8 … seconds, at most a minute."""
    return timedelta(seconds=min(2**attempts, 60))


# -- Heartbeats --------------------------------------------------------------------------


def beat(*, worker_id: str, pid: int | None = None, hostname: str = HOSTNAME) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"hostname": hostname, "pid": pid or os.getpid(), "last_seen": timezone.now()},
    )


def forget(*, worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def prune_heartbeats(*, now: datetime | None = None) -> int:
    """Rows of workers silent for a day are history, not workers."""
    now = now or timezone.now()
    return WorkerHeartbeat.objects.filter(last_seen__lt=now - timedelta(days=1)).delete()[0]


# -- Abandoned tasks ---------------------------------------------------------------------


def recover_abandoned_tasks(
    *, idle_worker_id: str | None = None, now: datetime | None = None
) -> Recovery:
    """Re-queue (or, past MAX_ATTEMPTS, fail) every RUNNING task whose worker is gone.

    `idle_worker_id`: the calling worker, between tasks, so any task still RUNNING under
    its id was interrupted (its database connection died mid-task) and is abandoned too.
    """
    now = now or timezone.now()
    running = list(DBTaskResult.objects.running())
    last_ids = {task.worker_ids[-1] for task in running if task.worker_ids}
    heartbeats = {h.worker_id: h for h in WorkerHeartbeat.objects.filter(worker_id__in=last_ids)}
    recovery = Recovery()
    for task in running:
        last_id = task.worker_ids[-1] if task.worker_ids else None
        if last_id != idle_worker_id and not worker_gone(task, heartbeats.get(last_id), now):
            continue
        if len(task.worker_ids) >= MAX_ATTEMPTS:
            recovery.failed += _fail_abandoned(task, now)
        else:
            recovery.requeued += _requeue(task, run_after=None)
    if recovery.requeued or recovery.failed:
        logger.warning(
            "Recovered abandoned tasks: %s re-queued, %s failed after %s attempts",
            recovery.requeued,
            recovery.failed,
            MAX_ATTEMPTS,
        )
    return recovery


def worker_gone(task: DBTaskResult, heartbeat: WorkerHeartbeat | None, now: datetime) -> bool:
    if heartbeat is None:  # not a `cyan worker`, or one from before heartbeats: the lease
        return task.started_at is None or task.started_at < now - lease()
    if heartbeat.last_seen < now - lease():
        return True
    return heartbeat.hostname == HOSTNAME and not process_alive(heartbeat.pid)


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return not _is_zombie(pid)


def _is_zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


# -- Transient failures ------------------------------------------------------------------


def retry_if_transient(task: DBTaskResult, *, now: datetime | None = None) -> bool:
    """A task that failed because the database or network went away runs again later
    (with backoff, up to MAX_ATTEMPTS tries) instead of staying failed."""
    if task.status != FAILED or task.exception_class_path not in TRANSIENT_ERRORS:
        return False
    if len(task.worker_ids) >= MAX_ATTEMPTS:
        return False
    now = now or timezone.now()
    requeued = _requeue(task, run_after=now + retry_delay(len(task.worker_ids)), status=FAILED)
    if requeued:
        logger.warning(
            "Task %s (%s) failed with %s; retrying (attempt %s of %s)",
            task.id,
            task.task_path,
            task.exception_class_path,
            len(task.worker_ids) + 1,
            MAX_ATTEMPTS,
        )
    return bool(requeued)


def _requeue(task: DBTaskResult, *, run_after: datetime | None, status: str = RUNNING) -> int:
    """Back to READY, only if nobody else changed the row since we read it."""
    fields: dict[str, object] = {"status": READY, "started_at": None, "finished_at": None}
    if run_after is not None:
        fields["run_after"] = run_after
    with transaction.atomic():
        return _unchanged(task, status).update(**fields)


def _fail_abandoned(task: DBTaskResult, now: datetime) -> int:
    message = (
        f"Abandoned {len(task.worker_ids)} times by workers that stopped mid-run "
        f"(last: {task.worker_ids[-1] if task.worker_ids else 'unknown'}); not retried again."
    )
    with transaction.atomic():
        return _unchanged(task, RUNNING).update(
            status=FAILED,
            finished_at=now,
            exception_class_path=f"{TaskAbandoned.__module__}.{TaskAbandoned.__qualname__}",
            traceback=message,
        )


def _unchanged(task: DBTaskResult, status: str):  # type: ignore[no-untyped-def]
    return DBTaskResult.objects.filter(pk=task.pk, status=status, started_at=task.started_at)
