"""The task table (django-tasks-db) read directly: how old the ready tasks are while the
load runs, how long each task waited for a worker, and waiting until a batch is done."""

from __future__ import annotations

import threading
import time

import psycopg

TABLE = "django_tasks_database_dbtaskresult"
# django-tasks-db stores "no run_after" as 9999-01-01.
READY_SINCE = (
    "CASE WHEN run_after >= '9000-01-01' THEN enqueued_at ELSE greatest(enqueued_at, run_after) END"
)


class LagSampler:
    """Every `period` s: how many tasks are ready and the age of the oldest (the queue lag
    a new task would see at the back of the line)."""

    def __init__(self, database_url: str, period: float = 1.0) -> None:
        self.conn = psycopg.connect(database_url, autocommit=True)
        self.backend_pid = self.conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        self.period = period
        self.samples: list[tuple[int, float]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> LagSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.period):
            ready, age = self.conn.execute(
                f"SELECT count(*), coalesce(extract(epoch FROM now() - min({READY_SINCE})), 0)"
                f" FROM {TABLE} WHERE status = 'READY'"
                " AND (run_after <= now() OR run_after >= '9000-01-01')"
            ).fetchone()
            self.samples.append((int(ready), float(age)))

    def summary(self) -> dict[str, float]:
        ages = sorted(age for _, age in self.samples) or [0.0]
        depths = [ready for ready, _ in self.samples] or [0]
        return {
            "samples": len(self.samples),
            "oldest_ready_age_p50_s": ages[len(ages) // 2],
            "oldest_ready_age_p99_s": ages[min(len(ages) - 1, int(0.99 * len(ages)))],
            "oldest_ready_age_max_s": ages[-1],
            "ready_tasks_mean": sum(depths) / len(depths),
            "ready_tasks_max": max(depths),
        }

    def close(self) -> None:
        self.conn.close()


def pickup_lag(database_url: str, since: float, until: float) -> dict[str, dict[str, float]]:
    """Per task kind, for tasks started in [since, until] (Unix time): how many, their
    wait from ready to started (p50/p99/max), run time p50, and failures."""
    query = f"""
        SELECT regexp_replace(task_path, '^.*\\.', '') AS task, count(*),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM started_at - {READY_SINCE})),
               percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM started_at - {READY_SINCE})),
               max(extract(epoch FROM started_at - {READY_SINCE})),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - started_at)),
               percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - started_at)),
               count(*) FILTER (WHERE status = 'FAILED'),
               count(*) FILTER (WHERE coalesce(return_value->>'error', '') <> '')
        FROM {TABLE}
        WHERE started_at BETWEEN to_timestamp(%s) AND to_timestamp(%s)
        GROUP BY 1 ORDER BY 2 DESC
    """  # noqa: E501
    with psycopg.connect(database_url, autocommit=True) as conn:
        rows = conn.execute(query, (since, until)).fetchall()

    def seconds(value: object) -> float:  # numeric comes back as Decimal
        return float(value or 0)

    return {
        task: {"started": n, "wait_p50_s": seconds(p50), "wait_p99_s": seconds(p99),
               "wait_max_s": seconds(top), "run_p50_s": seconds(run), "run_p99_s": seconds(run99),
               "failed": failed, "returned_error": errored}
        for task, n, p50, p99, top, run, run99, failed, errored in rows
    }  # fmt: skip


def wait_drained(
    database_url: str, task_suffix: str, timeout: float, enqueued: tuple[float, float]
) -> dict[str, float]:
    """Wait until no task whose path ends with `task_suffix`, enqueued within `enqueued`
    (Unix times), is ready or running; then that batch's first start, last finish and how
    many finished. Tasks the rounds enqueue meanwhile are not the batch."""
    deadline = time.monotonic() + timeout
    batch = "task_path LIKE %s AND enqueued_at BETWEEN to_timestamp(%s) AND to_timestamp(%s)"
    params = (f"%{task_suffix}", *enqueued)
    with psycopg.connect(database_url, autocommit=True) as conn:
        while time.monotonic() < deadline:
            left = conn.execute(
                f"SELECT count(*) FROM {TABLE} WHERE {batch} AND status IN ('READY', 'RUNNING')",
                params,
            ).fetchone()[0]
            if left == 0:
                break
            time.sleep(0.5)
        first, last, done = conn.execute(
            f"SELECT extract(epoch FROM min(started_at)), extract(epoch FROM max(finished_at)),"
            f" count(*) FROM {TABLE} WHERE {batch} AND finished_at IS NOT NULL",
            params,
        ).fetchone()
    return {"left": left, "first_start": float(first or 0), "last_finish": float(last or 0),
            "finished": int(done)}  # fmt: skip


class PollsHeld:
    """While a phase measures one batch, keep every link's next poll a day away (a poll
    sets its own next time, start + the compressed interval, when it ends; this pushes it
    back within 0.2 s; the enqueue lease of 10 min is left alone), so the rounds enqueue
    no more polls into that phase."""

    def __init__(self, database_url: str, not_ours: set[int]) -> None:
        self.conn = psycopg.connect(database_url, autocommit=True)
        # The driver's own connection: left out of PostgreSQL's CPU, as the lag sampler.
        not_ours.add(self.conn.execute("SELECT pg_backend_pid()").fetchone()[0])
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PollsHeld:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.conn.close()

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            self.conn.execute(
                "UPDATE galleries_gallerylink SET next_poll_at = now() + interval '1 day'"
                " WHERE next_poll_at < now() + interval '5 minutes'"
            )


def clear_finished(database_url: str, task_suffix: str) -> None:
    """Forget a finished batch, so the next one is measured alone."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(
            f"DELETE FROM {TABLE} WHERE task_path LIKE %s AND status IN ('SUCCESSFUL', 'FAILED')",
            (f"%{task_suffix}",),
        )


def spread_polls(database_url: str, interval_s: int) -> None:
    """Every link's next poll at a random moment in the next interval: steady polling,
    as after the links have been polling for a while."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(
            "UPDATE galleries_gallerylink"
            " SET next_poll_at = now() + random() * %s * interval '1 second'",
            (interval_s,),
        )
