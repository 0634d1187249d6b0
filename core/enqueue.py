"""Enqueue a background task so that it commits with the work that asked for it.

With the database task backend (the default, django_tasks_db) the task is a row in the
same database: enqueued inside the transaction, it commits with that transaction or not
at all, so a process that dies right after the commit cannot lose it (an on-commit hook
runs after the commit, in the same process, and would be lost with it). Any other
backend (Redis, the tests' immediate backend) could run the task before the commit, so
it is enqueued on commit instead.
"""

from __future__ import annotations

from typing import Any

from django.db import router, transaction
from django.tasks import Task


def keeps_tasks_in_this_database(task: Task) -> bool:
    """True when `task` would be enqueued as a row of the database the caller writes to."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    backend = task.get_backend()
    return isinstance(backend, DatabaseBackend) and router.db_for_write(DBTaskResult) == "default"


def enqueue_with_commit(task: Task, *args: Any) -> None:
    """Enqueue `task(*args)` atomically with the current transaction (see the module)."""
    if keeps_tasks_in_this_database(task):
        task.enqueue(*args)
    else:
        transaction.on_commit(lambda: task.enqueue(*args))
