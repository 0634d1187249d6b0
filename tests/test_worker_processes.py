"""`cyan worker --processes 2` as real processes on a database of their own (SQLite file,
or a fresh PostgreSQL database): 200 tasks drained by two worker processes, each run
exactly once; a killed child restarted; SIGTERM stops them all."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator

import pytest

from cyan.cli import worker_command
from testkit.tasks import RUNS_TABLE, enqueue_script
from tests.faults.kit import Database, Process, drill_database, wait_until

TASKS = 200


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> Iterator[Database]:
    with drill_database(tmp_path_factory.mktemp("workers-db")) as database:
        yield database


def worker_pids(database: Database) -> set[int]:
    return {pid for (pid,) in database.rows("SELECT pid FROM cyan_workerheartbeat")}


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def start_pool(database: Database, tmp_path) -> Process:
    command = [*worker_command("--processes", "2", "--interval", "0.2", "--heartbeat", "0.5")]
    return Process("workers", command, database.env(), tmp_path / "workers.log").start()


def drain(database: Database, count: int, seconds: float = 0.01) -> list[tuple[int, int]]:
    """Enqueue `count` recorded runs and wait until every one has finished."""
    database.manage("shell", "-c", enqueue_script(count, seconds))
    path = "testkit.tasks.record_run"

    def finished() -> bool:
        rows = database.rows(
            "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult "
            "WHERE task_path = %s AND status IN ('SUCCESSFUL', 'FAILED')",
            path,
        )
        return rows[0][0] == count

    wait_until(finished, 240, f"{count} tasks to finish")
    return database.rows(f"SELECT n, pid FROM {RUNS_TABLE} ORDER BY n")


def test_two_worker_processes_run_each_of_200_tasks_exactly_once(database, tmp_path):
    pool = start_pool(database, tmp_path)
    try:
        wait_until(lambda: len(worker_pids(database)) == 2, 120, "two workers' heartbeats")
        runs = drain(database, TASKS)
        statuses = database.rows(
            "SELECT status, COUNT(*) FROM django_tasks_database_dbtaskresult "
            "WHERE task_path = 'testkit.tasks.record_run' GROUP BY status"
        )
        assert dict(statuses) == {"SUCCESSFUL": TASKS}, pool.log()[-3000:]
        assert [n for n, _ in runs] == list(range(TASKS))  # each once (n is the primary key)
        assert {pid for _, pid in runs} == worker_pids(database)  # both took part
        claims = database.rows(
            "SELECT worker_ids FROM django_tasks_database_dbtaskresult "
            "WHERE task_path = 'testkit.tasks.record_run'"
        )
        assert all(len(_list(ids)) == 1 for (ids,) in claims)  # claimed once, by one worker
    finally:
        pool.stop()


def test_a_killed_worker_is_restarted_and_sigterm_stops_all(database, tmp_path):
    database.execute("DELETE FROM cyan_workerheartbeat")
    pool = start_pool(database, tmp_path)
    try:
        first = wait_until(lambda: len(worker_pids(database)) == 2 and worker_pids(database))
        victim = min(first)
        os.kill(victim, signal.SIGKILL)
        restarted = wait_until(lambda: worker_pids(database) - first, 120, "a restarted worker")
        assert "worker-" in pool.log() and "restarting it" in pool.log()
        survivors = (first - {victim}) | restarted
        assert all(alive(pid) for pid in survivors)
        pool.process.send_signal(signal.SIGTERM)
        assert pool.process.wait(timeout=60) == 0
        wait_until(lambda: not any(alive(pid) for pid in survivors), 30, "every worker stopped")
        assert worker_pids(database) == {victim}  # clean exits forget themselves; kill -9 not
    finally:
        pool.stop()


def _list(value: object) -> list:
    import json

    return json.loads(value) if isinstance(value, str) else list(value)  # type: ignore[arg-type]
