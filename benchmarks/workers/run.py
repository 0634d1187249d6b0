"""Tasks per second through django-tasks-db with 1 and 2 worker processes on PostgreSQL.

    .venv/bin/python benchmarks/workers/run.py [--tasks 1000] [--sleepy 300] [--processes 1 2]

Uses the database `bench_procs` (dropped and re-made at each run) on the local
PostgreSQL, never the app's or the tests'. For each pool size: the queue is filled first
(`testkit.tasks.nothing`: what the queue itself costs; `testkit.tasks.record_run` with
10 ms of sleep and one INSERT: a task that waits on I/O, as a poll or a delivery does),
then `cyan worker --processes N` drains it; the rate is tasks / (last finish − first
start), from the task rows' own timestamps, so process start-up is not counted.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from cyan.cli import worker_command  # noqa: E402

ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
URL = "postgres://postgres@127.0.0.1:5432/bench_procs"


def sh(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env, cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return result.stdout


def fresh_database(env: dict) -> None:
    with psycopg.connect(ADMIN, autocommit=True) as admin:
        admin.execute("DROP DATABASE IF EXISTS bench_procs WITH (FORCE)")
        admin.execute("CREATE DATABASE bench_procs")
    sh(env, "migrate", "-v0")


def fill(env: dict, kind: str, count: int) -> None:
    if kind == "nothing":
        body = f"for _ in range({count}):\n    nothing.enqueue()\n"
    else:
        body = f"for n in range({count}):\n    record_run.enqueue(n, 0.01)\n"
    script = (
        "from django.db import connection\n"
        "from testkit.tasks import CREATE_RUNS_TABLE, RUNS_TABLE, nothing, record_run\n"
        "with connection.cursor() as c:\n"
        "    c.execute(CREATE_RUNS_TABLE)\n"
        "    c.execute(f'DELETE FROM {RUNS_TABLE}')\n"
        "    c.execute('DELETE FROM django_tasks_database_dbtaskresult')\n" + body
    )
    sh(env, "shell", "-c", script)


def drain(env: dict, processes: int, count: int) -> float:
    pool = subprocess.Popen(
        worker_command("--processes", str(processes), "--interval", "0.1"),
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        with psycopg.connect(URL, autocommit=True) as db:
            while True:
                done, failed, first, last = db.execute(
                    "SELECT COUNT(*) FILTER (WHERE status = 'SUCCESSFUL'), "
                    "COUNT(*) FILTER (WHERE status = 'FAILED'), MIN(started_at), "
                    "MAX(finished_at) FROM django_tasks_database_dbtaskresult "
                    "WHERE task_path LIKE 'testkit.%%'"
                ).fetchone()
                assert failed == 0, "a task failed"
                if done == count:
                    return count / (last - first).total_seconds()
                time.sleep(0.2)
    finally:
        pool.terminate()
        pool.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--sleepy", type=int, default=300, help="tasks of 10 ms + an INSERT")
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    env = {**os.environ, "DATABASE_URL": URL, "DJANGO_SETTINGS_MODULE": "cyan.settings"}
    env["CYAN_TASKS_LOG_LEVEL"] = "WARNING"
    fresh_database(env)
    print(f"load average before: {os.getloadavg()}")
    for kind, count in (("nothing", args.tasks), ("sleepy", args.sleepy)):
        for processes in args.processes:
            fill(env, kind, count)
            rate = drain(env, processes, count)
            print(f"{kind:8} {count:5} tasks, {processes} worker process(es): {rate:7.1f} tasks/s")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
