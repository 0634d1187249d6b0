"""What readiness means: each part Cyan needs answers, and the background work keeps up.

Liveness (`/health`) only says the process serves requests; readiness (`/ready`) says
whether this deployment can do its work now. Every check returns a dict with a "status"
("ok" or "fail") and what it saw, so an operator reading `/ready` knows which part failed
and by how much:

- database: a trivial query round-trips;
- migrations: the schema is the code's (needs the database);
- cache: a set/get round trip on the shared cache (Redis, or the database table);
- queue: the tasks ready to run and how long the oldest has waited (the lag); fails when
  the lag passes CYAN_QUEUE_MAX_LAG_SECONDS (workers gone, or too few for the load);
- scheduler: the elected scheduler's heartbeat in the shared cache is fresher than three
  beats (CYAN_SCHEDULER_BEAT_SECONDS); it names the holder and the heartbeat's age.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Case, Count, DateTimeField, F, Min, When
from django.utils import timezone

OK, FAIL = "ok", "fail"
# Written by the elected scheduler every CYAN_SCHEDULER_BEAT_SECONDS: {"holder", "at"}.
SCHEDULER_HEARTBEAT_KEY = "cyan:scheduler:heartbeat"
SCHEDULER_MISSED_BEATS = 3
Check = dict[str, object]


def database_check() -> Check:
    # A connection an outage broke is dropped here, not only at the next request's start:
    # a probe run outside Django's request cycle must see the database come back.
    if not connection.in_atomic_block:
        connection.close_if_unusable_or_obsolete()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return {"status": FAIL, "error": f"database unreachable: {type(exc).__name__}"}
    return {"status": OK}


def migrations_check() -> Check:
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        return {"status": FAIL, "error": f"migrations unknown: {type(exc).__name__}"}
    if plan:
        return {"status": FAIL, "unapplied": len(plan), "error": f"{len(plan)} not applied"}
    return {"status": OK, "unapplied": 0}


def cache_check() -> Check:
    """A value only this call knows goes in and comes back out."""
    key, value = f"cyan:health:{secrets.token_hex(8)}", secrets.token_hex(8)
    try:
        cache.set(key, value, timeout=30)
        seen = cache.get(key)
        cache.delete(key)
    except Exception as exc:  # Redis, database or network: any of them means "fail"
        return {"status": FAIL, "error": f"cache unreachable: {type(exc).__name__}"}
    if seen != value:
        return {"status": FAIL, "error": "cache lost a value it was just given"}
    return {"status": OK}


def queue_backlog(now: datetime | None = None) -> dict[str, dict[str, float]]:
    """For each queue with ready tasks: how many, and the age in seconds of the oldest
    (since it became due: a delayed task waits from its `run_after`, not its enqueue)."""
    from django_tasks_db.models import DBTaskResult, get_date_max

    now = now or timezone.now()
    due_since = Case(
        When(run_after=get_date_max(), then=F("enqueued_at")),
        default=F("run_after"),
        output_field=DateTimeField(),
    )
    rows = (
        DBTaskResult.objects.ready()
        .values("queue_name")
        .annotate(ready=Count("id"), oldest=Min(due_since))
        .order_by("queue_name")
    )
    return {
        row["queue_name"]: {
            "ready": row["ready"],
            "lag_seconds": max(0.0, (now - row["oldest"]).total_seconds()),
        }
        for row in rows
    }


def queue_check() -> Check:
    limit = settings.CYAN_QUEUE_MAX_LAG_SECONDS
    try:
        backlog = queue_backlog()
    except DatabaseError as exc:
        return {"status": FAIL, "error": f"queue unknown: {type(exc).__name__}"}
    ready = sum(int(queue["ready"]) for queue in backlog.values())
    lag = max((queue["lag_seconds"] for queue in backlog.values()), default=0.0)
    check: Check = {
        "status": OK if lag <= limit else FAIL,
        "ready": ready,
        "lag_seconds": round(lag, 3),
        "max_lag_seconds": limit,
        "queues": backlog,
    }
    if lag > limit:
        check["error"] = f"the oldest ready task has waited {lag:.0f} s (limit {limit} s)"
    return check


def scheduler_heartbeat() -> tuple[str, float] | None:
    """(holder, age in seconds) of the scheduler's last beat; None when there is none."""
    beat = cache.get(SCHEDULER_HEARTBEAT_KEY)
    if not isinstance(beat, dict) or not isinstance(beat.get("at"), int | float):
        return None
    return str(beat.get("holder", "")), max(0.0, time.time() - float(beat["at"]))


def scheduler_check() -> Check:
    limit = SCHEDULER_MISSED_BEATS * settings.CYAN_SCHEDULER_BEAT_SECONDS
    try:
        beat = scheduler_heartbeat()
    except Exception as exc:  # the shared cache is down: no scheduler can be seen
        return {"status": FAIL, "error": f"heartbeat unreadable: {type(exc).__name__}"}
    if beat is None:
        return {"status": FAIL, "error": "no scheduler heartbeat", "max_age_seconds": limit}
    holder, age = beat
    check: Check = {
        "status": OK if age <= limit else FAIL,
        "holder": holder,
        "age_seconds": round(age, 3),
        "max_age_seconds": limit,
    }
    if age > limit:
        check["error"] = f"the scheduler's last heartbeat is {age:.0f} s old"
    return check


CHECKS: dict[str, Callable[[], Check]] = {
    "database": database_check,
    "migrations": migrations_check,
    "cache": cache_check,
    "queue": queue_check,
    "scheduler": scheduler_check,
}
NEEDS_DATABASE = {"migrations", "queue"}


def readiness(only: set[str] | None = None) -> tuple[bool, dict[str, Check]]:
    """(ready, every check's result); `only` limits it to those checks. The checks that
    read the database are not run while the database is down (each waits out
    connect_timeout otherwise)."""
    names = [name for name in CHECKS if only is None or name in only]
    results: dict[str, Check] = {}
    database_down = False
    for name in names:
        if name in NEEDS_DATABASE and database_down:
            results[name] = {"status": FAIL, "error": "not checked: the database is unreachable"}
            continue
        results[name] = CHECKS[name]()
        if name == "database":
            database_down = results[name]["status"] == FAIL
    return all(r["status"] == OK for r in results.values()), results
