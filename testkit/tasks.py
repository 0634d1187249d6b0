"""Tasks for tests and benchmarks of the worker pool, importable by a real worker process
(the worker imports a task by its path). `record_run` writes one row per run into
testkit_task_run, whose primary key is the task's number: a task run twice fails on its
second insert, and the table says which process ran each."""

from __future__ import annotations

import os
import time

from django.db import connection
from django.tasks import task

RUNS_TABLE = "testkit_task_run"
CREATE_RUNS_TABLE = f"CREATE TABLE IF NOT EXISTS {RUNS_TABLE} (n integer PRIMARY KEY, pid integer)"


@task()
def record_run(n: int, seconds: float = 0.0) -> int:
    time.sleep(seconds)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {RUNS_TABLE} (n, pid) VALUES (%s, %s)", [n, os.getpid()])
    return n


@task()
def nothing() -> None:
    """The cheapest task: what the queue itself costs (benchmarks/workers)."""


def enqueue_script(count: int, seconds: float = 0.0) -> str:
    """Python for `manage.py shell -c`: create the runs table, enqueue `count` runs."""
    return (
        "from django.db import connection\n"
        "from testkit.tasks import CREATE_RUNS_TABLE, record_run\n"
        "with connection.cursor() as cursor:\n"
        "    cursor.execute(CREATE_RUNS_TABLE)\n"
        f"for n in range({count}):\n"
        f"    record_run.enqueue(n, {seconds!r})\n"
    )
