"""`cyan worker`: django-tasks-db's worker, made to ride out database and network outages.

The library's worker exits on the first database error it cannot ignore. This one closes
the broken connection, waits (0.5 s doubling to `max_backoff`), and carries on; when the
database answers again it first puts back the task the outage interrupted. Meanwhile a
heartbeat thread tells other workers this one is alive and, every `janitor_every`
seconds, re-queues tasks whose workers died and keeps the polling schedule seeded.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable

from django.db import DatabaseError, close_old_connections, connections
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from cyan import task_recovery

logger = logging.getLogger("cyan.worker")


def new_worker_id() -> str:
    """Unique across the pool, and says where the worker runs (host, pid) for people."""
    return f"{task_recovery.HOSTNAME[:40]}-{os.getpid()}-{get_random_string(8)}"


class Backoff:
    def __init__(self, first: float = 0.5, cap: float = 10.0) -> None:
        self.first, self.cap, self.current = first, cap, first

    def next(self) -> float:
        delay, self.current = self.current, min(self.current * 2, self.cap)
        return delay

    def reset(self) -> None:
        self.current = self.first


class ResilientWorker(Worker):
    def __init__(
        self,
        *,
        heartbeat_every: float = 5.0,
        janitor_every: float = 30.0,
        max_backoff: float = 10.0,
        on_idle: Callable[[], object] | None = None,
        **kwargs: object,
    ) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.heartbeat_every = heartbeat_every
        self.janitor_every = janitor_every
        self.backoff = Backoff(cap=max_backoff)
        self.on_idle = on_idle  # housekeeping that needs the database (polling schedule)
        self._stop = threading.Event()

    def run(self) -> None:
        heartbeat = threading.Thread(target=self._heartbeat_loop, name="heartbeat", daemon=True)
        heartbeat.start()
        try:
            while self.running:
                try:
                    self._recover_while_idle()
                    self.backoff.reset()
                    self.loop()  # returns only when stopping (or --batch/--max-tasks)
                    return
                except DatabaseError as exc:
                    self._wait_for_database(exc)
                self.startup_delay = False
        finally:
            self._stop.set()
            self._forget_quietly()

    def loop(self) -> None:
        """Claim and run tasks until stopped: the library's loop, one task at a time."""
        Worker.run(self)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        super().run_task(db_task_result)
        if db_task_result.status == task_recovery.FAILED:
            task_recovery.retry_if_transient(db_task_result)

    def _recover_while_idle(self) -> None:
        """Between tasks: whatever is still RUNNING under this worker's id was cut off."""
        close_old_connections()
        task_recovery.beat(worker_id=self.worker_id)
        task_recovery.recover_abandoned_tasks(idle_worker_id=self.worker_id)
        if self.on_idle is not None:
            self.on_idle()

    def _wait_for_database(self, exc: DatabaseError) -> None:
        delay = self.backoff.next()
        logger.warning(
            "Database unavailable (%s: %s); worker %s retries in %.1fs",
            type(exc).__name__,
            str(exc).strip().splitlines()[0] if str(exc).strip() else "",
            self.worker_id,
            delay,
        )
        _close_quietly()
        time.sleep(delay)

    def _heartbeat_loop(self) -> None:
        last_janitor = time.monotonic()
        while not self._stop.wait(self.heartbeat_every):
            try:
                task_recovery.beat(worker_id=self.worker_id)
                if time.monotonic() - last_janitor >= self.janitor_every:
                    last_janitor = time.monotonic()
                    self._janitor()
            except DatabaseError as exc:
                logger.info("Heartbeat skipped, database unavailable: %s", exc)
                _close_quietly()
            finally:
                close_old_connections()

    def _janitor(self) -> None:
        """Other workers' abandoned tasks, old heartbeats, and the polling schedule (a
        round that failed during an outage did not schedule the next one)."""
        task_recovery.recover_abandoned_tasks()
        task_recovery.prune_heartbeats()
        if self.on_idle is not None:
            self.on_idle()

    def _forget_quietly(self) -> None:
        with contextlib.suppress(DatabaseError):  # if not, the lease ends it
            task_recovery.forget(worker_id=self.worker_id)


def _close_quietly() -> None:
    for connection in connections.all(initialized_only=True):
        with contextlib.suppress(DatabaseError):
            connection.close()


# -- The intake queue ----------------------------------------------------------------------


class WorkerThread:
    """A ResilientWorker run in a thread of the worker process, stopped with it."""

    def __init__(self, worker: ResilientWorker) -> None:
        self.worker = worker
        self.thread = threading.Thread(target=self._run, name=worker.worker_id, daemon=True)

    def _run(self) -> None:
        try:
            self.worker.run()
        finally:
            connections.close_all()  # this thread's own connections

    def start(self) -> WorkerThread:
        self.thread.start()
        return self

    def stop(self, timeout: float = 15.0) -> None:
        """Finish the task in hand (if any), then stop; a task cut off by the timeout is
        taken back by task_recovery and the intake sweep."""
        self.worker.running = False
        self.thread.join(timeout)


def start_intake_worker(*, worker_id: str, interval: float) -> WorkerThread:
    """Accepted webhooks are processed on their own queue ("intake") by a thread of the
    worker that looks every `interval` seconds when idle, so an order is in the Inbox
    within a second of its 2xx even while the main loop runs a long poll. It takes them
    in by the batch (cyan/intake_worker.py). Its housekeeping, every 5 s, is the intake
    sweep (deliveries whose task was lost)."""
    from cyan.intake_worker import IntakeWorker
    from inbox.accepting import INTAKE_QUEUE, sweep_waiting_deliveries

    worker = IntakeWorker(
        queue_names=[INTAKE_QUEUE],
        interval=interval,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=f"{worker_id}-in"[:64],
        excluded_queue_names=[],
        heartbeat_every=5.0,
        janitor_every=5.0,
        on_idle=sweep_waiting_deliveries,
    )
    return WorkerThread(worker).start()
