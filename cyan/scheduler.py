"""`cyan scheduler`: the one process that starts periodic jobs, elected among N copies.

Every copy tries the lock "scheduler" (core.locks: a PostgreSQL advisory lock on a
connection of its own; on SQLite a file lock) once per beat. The copy that holds it leads:
each beat it writes the heartbeat to the shared cache and enqueues the jobs that are due;
the others wait on standby. A leader that dies, or loses its database session, loses
the lock with it, and a standby takes over at its next beat.

The leader enqueues, workers run: the scheduler does no work of its own, so one is
enough for any number of workers. Its jobs:

- the self-rescheduling rounds (gallery polling, the outgoing-webhook sweep that retries
  deliveries, payment reminders, notification emails) are kept seeded each beat; each
  round re-enqueues itself on its own setting (CYAN_POLL_TICK_SECONDS, …). A worker's
  janitor seeds them too, but only while it can take the same lock, i.e. while no
  scheduler runs: one seeder at a time, never two chains of the same round.
- purging expired idempotency records, pruning finished task results and refreshing
  provider tokens ahead of expiry are enqueued every their interval, and only when the
  previous one has finished.

When each job last ran is kept in the shared cache, so a new leader carries on the
cadence rather than running everything again.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, close_old_connections, connections

from core.locks import HeldLock, try_lock

logger = logging.getLogger("cyan.scheduler")

LOCK_NAME = "scheduler"
# The heartbeat contract /ready reads (helper "obs"): {"holder": "<host>-<pid>", "at": epoch}.
HEARTBEAT_KEY = "cyan:scheduler:heartbeat"
LAST_RUN_KEY = "cyan:scheduler:last:{name}"


def holder_name() -> str:
    from cyan.task_recovery import HOSTNAME

    return f"{HOSTNAME}-{os.getpid()}"


def keep_rounds_seeded() -> None:
    """The self-rescheduling rounds: gallery polling, outgoing webhooks (retries),
    payment reminders, the studio's notification emails."""
    from events.tasks import ensure_sweep_scheduled
    from inbox.notices import ensure_notices_scheduled
    from inbox.tasks import ensure_polling_scheduled
    from invoicing.tasks import ensure_reminders_scheduled

    ensure_polling_scheduled()
    ensure_sweep_scheduled()
    ensure_reminders_scheduled()
    ensure_notices_scheduled()


def seed_rounds_unless_a_scheduler_runs() -> bool:
    """The worker's fallback (`cyan worker` without `cyan scheduler`): seed the rounds only
    while holding the scheduler's lock, so a running scheduler, or another worker doing
    the same, is never doubled. Returns whether it seeded."""
    with try_lock(LOCK_NAME) as free:
        if free:
            keep_rounds_seeded()
        return free


def enqueue_unless_waiting(task) -> bool:  # type: ignore[no-untyped-def]
    """Enqueue `task` unless one is still waiting or running (workers down or behind:
    one pending run is enough)."""
    from django_tasks_db.models import DBTaskResult

    backend = task.get_backend()
    if getattr(backend, "supports_defer", False):  # the database backend
        pending = DBTaskResult.objects.filter(
            task_path=task.module_path, status__in=["READY", "RUNNING"]
        ).exists()
        if pending:
            return False
    task.enqueue()
    return True


def _purge_idempotency() -> object:
    from api.tasks import purge_idempotency_records

    return enqueue_unless_waiting(purge_idempotency_records)


def _prune_task_results() -> object:
    from cyan.tasks import prune_task_results

    return enqueue_unless_waiting(prune_task_results)


def _refresh_tokens() -> object:
    from galleries.tasks import refresh_tokens

    return enqueue_unless_waiting(refresh_tokens)


@dataclass(frozen=True)
class Job:
    name: str
    every: float  # seconds
    run: Callable[[], object]


def default_jobs() -> list[Job]:
    beat = settings.CYAN_SCHEDULER_BEAT_SECONDS
    return [
        Job("rounds", beat, keep_rounds_seeded),
        Job("purge-idempotency", settings.CYAN_IDEMPOTENCY_PURGE_SECONDS, _purge_idempotency),
        Job("prune-task-results", settings.CYAN_TASK_RESULTS_PRUNE_SECONDS, _prune_task_results),
        Job("refresh-tokens", settings.CYAN_TOKEN_REFRESH_SECONDS, _refresh_tokens),
    ]


class Scheduler:
    def __init__(
        self,
        *,
        beat: float | None = None,
        jobs: list[Job] | None = None,
        lock: HeldLock | None = None,
    ) -> None:
        self.beat = float(beat if beat is not None else settings.CYAN_SCHEDULER_BEAT_SECONDS)
        self.jobs = jobs if jobs is not None else default_jobs()
        self.lock = lock or HeldLock(LOCK_NAME)
        self.holder = holder_name()
        self.leading = False
        self.stop_event = threading.Event()

    def run(self) -> None:
        logger.info("Scheduler %s starting (beat %.1fs)", self.holder, self.beat)
        try:
            while not self.stop_event.is_set():
                self.step()
                self.stop_event.wait(self.beat)
        finally:
            self.lock.release()
            logger.info("Scheduler %s stopped", self.holder)

    def stop(self, *_args: object) -> None:
        self.stop_event.set()

    def step(self, now: float | None = None) -> bool:
        """One beat: try to lead (or check it still does); if leading, heartbeat and
        enqueue what is due. Returns whether this process leads."""
        try:
            self._elect()
            if self.leading:
                self.write_heartbeat(now)
                self.run_due_jobs(now)
        except DatabaseError as exc:
            logger.warning("Scheduler %s: database unavailable (%s)", self.holder, exc)
            self._step_down()
            for connection in connections.all(initialized_only=True):
                with contextlib.suppress(DatabaseError):
                    connection.close()
        except Exception:
            # E.g. Redis unreachable: the lock still holds, so keep leading and try again
            # next beat rather than exit (a supervisor would count that as a crash).
            logger.exception("Scheduler %s: beat failed", self.holder)
        finally:
            close_old_connections()
        return self.leading

    def _elect(self) -> None:
        if self.leading and not self.lock.held():
            logger.warning("Scheduler %s lost its lock; standing by", self.holder)
            self._step_down()
        if not self.leading and self.lock.acquire():
            self.leading = True
            logger.info("Scheduler %s elected", self.holder)

    def _step_down(self) -> None:
        self.leading = False
        self.lock.release()

    def write_heartbeat(self, now: float | None = None) -> None:
        at = time.time() if now is None else now
        cache.set(HEARTBEAT_KEY, {"holder": self.holder, "at": at}, timeout=None)

    def run_due_jobs(self, now: float | None = None) -> list[str]:
        """Run (enqueue) every job whose interval has passed since it last ran."""
        now = time.time() if now is None else now
        ran = []
        for job in self.jobs:
            key = LAST_RUN_KEY.format(name=job.name)
            last = cache.get(key)
            if last is not None and now - float(last) < job.every:
                continue
            try:
                job.run()
            except DatabaseError:
                raise
            except Exception:
                logger.exception("Scheduler job %s failed", job.name)
            cache.set(key, now, timeout=None)
            ran.append(job.name)
        return ran
