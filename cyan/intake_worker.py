"""The intake thread's worker: accepted webhooks are taken in by the batch, not one task
at a time (issue 15: one delivery per task was ~15 ms of CPU, three commits and ~13
queries per order, so a busy studio's webhooks outran the worker).

Each round claims up to `batch_size` ready tasks of the intake queue with one
`SELECT … FOR UPDATE SKIP LOCKED` and one UPDATE (RUNNING, this worker's id), commits,
then takes their deliveries in (inbox.batch_intake.process_deliveries) and marks the
tasks SUCCESSFUL with each one's outcome, in ONE transaction. So:
- a batch is all or nothing: cut off (the process dies, the database goes away), its
  tasks stay RUNNING under this worker and task_recovery puts them back, as it does a
  single task (it counts the tries, so a delivery that kills the worker is not retried
  for ever);
- two intake threads (two worker processes) never claim the same task;
- a batch that fails for a reason of Cyan's own, outside any one delivery, is run again
  one task at a time through the library's path, which records each failure.
Any other task that lands on the intake queue runs alone, as before.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from typing import Any

from django.db import OperationalError, close_old_connections, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from cyan.worker import ResilientWorker

logger = logging.getLogger("cyan.worker")

BATCH_SIZE = 50
RUNNING, SUCCESSFUL = "RUNNING", "SUCCESSFUL"


class IntakeWorker(ResilientWorker):
    def __init__(self, *, batch_size: int = BATCH_SIZE, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.batch_size = batch_size

    def loop(self) -> None:
        """Claim a batch, take it in; when there is none, wait `interval`."""
        while self.running:
            close_old_connections()
            claimed = self.claim()
            if claimed:
                self.run_claimed(claimed)
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                return
            if self.batch and not claimed:
                return
            close_old_connections()
            if self.running and not claimed:
                time.sleep(self.interval)

    def claim(self) -> list[DBTaskResult]:
        """Up to batch_size ready tasks of this worker's queues, now RUNNING under it."""
        tasks = DBTaskResult.objects.ready().filter(
            backend_name=self.backend_name, queue_name__in=self.queue_names
        )
        try:
            with exclusive_transaction(tasks.db):
                claimed = list(tasks.select_for_update(skip_locked=True)[: self.batch_size])
                now = timezone.now()
                for task in claimed:
                    task.status, task.started_at = RUNNING, now
                    task.worker_ids = [*task.worker_ids, self.worker_id]
                _mark_running(claimed, now=now, worker_id=self.worker_id)
        except OperationalError as exc:
            if is_locked_database_exception(exc):  # SQLite busy: try again next round
                return []
            raise
        return claimed

    def run_claimed(self, claimed: list[DBTaskResult]) -> None:
        from inbox.tasks import process_webhook_delivery

        batch = [
            task
            for task in claimed
            if task.task_path == process_webhook_delivery.module_path
            and _delivery_id(task) is not None
        ]
        for task in claimed:
            if task not in batch:
                self.run_task(task)
        if batch:
            self.run_batch(batch)

    def run_batch(self, batch: list[DBTaskResult]) -> None:
        from inbox.accepting import TRANSIENT
        from inbox.batch_intake import process_deliveries

        self.running_task = True
        try:
            with transaction.atomic():
                outcomes = process_deliveries([_delivery_id(task) for task in batch])
                _finish(batch, outcomes)
            self._run_tasks += len(batch)
        except TRANSIENT:
            raise  # ResilientWorker waits for the database; recovery puts the batch back
        except Exception:
            logger.exception("An intake batch of %s failed; running it task by task", len(batch))
            for task in batch:
                self.run_task(task)
        finally:
            self.running_task = False


def _mark_running(claimed: list[DBTaskResult], *, now: Any, worker_id: str) -> None:
    """RUNNING under `worker_id`, appended to each task's workers: one UPDATE per list of
    earlier workers (nearly always one, the empty list), not a CASE per row."""
    by_workers: dict[tuple[str, ...], list[Any]] = defaultdict(list)
    for task in claimed:
        by_workers[tuple(task.worker_ids)].append(task.pk)
    for workers, ids in by_workers.items():
        DBTaskResult.objects.filter(pk__in=ids).update(
            status=RUNNING, started_at=now, worker_ids=[*workers, worker_id]
        )


def _delivery_id(task: DBTaskResult) -> int | None:
    args = (task.args_kwargs or {}).get("args") or []
    return args[0] if len(args) == 1 and isinstance(args[0], int) else None


def _finish(batch: list[DBTaskResult], outcomes: dict[int, str]) -> None:
    """Each task SUCCESSFUL with its delivery's outcome: one UPDATE per kind of outcome.
    Only if still RUNNING: one that recovery took back is left to its next run."""
    by_outcome: dict[str, list[Any]] = defaultdict(list)
    for task in batch:
        by_outcome[outcomes.get(_delivery_id(task), "gone")].append(task.pk)
    now = timezone.now()
    for outcome, ids in by_outcome.items():
        DBTaskResult.objects.filter(pk__in=ids, status=RUNNING).update(
            status=SUCCESSFUL,
            finished_at=now,
            return_value=outcome,
            exception_class_path="",
            traceback="",
        )
