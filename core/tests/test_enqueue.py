"""A task asked for by a write commits with it: with the database task backend it is a
row of the same transaction (so nothing can lose it between the commit and the enqueue);
with any other backend it is enqueued only once the write has committed."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.tasks import task
from django_tasks_db.models import DBTaskResult

from core.enqueue import enqueue_with_commit, keeps_tasks_in_this_database

pytestmark = pytest.mark.django_db(transaction=True)
RAN: list[int] = []


@task()
def remember(value: int) -> int:
    RAN.append(value)
    return value


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}
    }


def queued(value: int) -> bool:
    return DBTaskResult.objects.filter(
        task_path=remember.module_path, args_kwargs__args=[value]
    ).exists()


def test_with_the_database_backend_the_task_is_a_row_of_the_writing_transaction(
    database_tasks,
):
    assert keeps_tasks_in_this_database(remember)
    with transaction.atomic():
        enqueue_with_commit(remember, 1)
        assert queued(1)  # already written, before any on-commit hook could run
    assert queued(1)


def test_with_the_database_backend_a_rolled_back_write_leaves_no_task(database_tasks):
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_with_commit(remember, 2)
        raise RuntimeError("the write failed")
    assert not queued(2)


def test_with_another_backend_the_task_runs_only_after_the_commit():
    RAN.clear()
    assert not keeps_tasks_in_this_database(remember)  # the tests' immediate backend
    with transaction.atomic():
        enqueue_with_commit(remember, 3)
        assert RAN == []
    assert RAN == [3]
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_with_commit(remember, 4)
        raise RuntimeError("the write failed")
    assert RAN == [3]
