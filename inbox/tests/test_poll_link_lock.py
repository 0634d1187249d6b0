"""Two workers never poll one link at once: a poll of a link whose lock another process
holds (a PostgreSQL advisory lock on another connection, or SQLite's file lock) does not
run; it is deferred to run after, with what it was asked (a full reconcile stays full)."""

from __future__ import annotations

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.locks import HeldLock
from galleries.models import GalleryLink
from inbox.tasks import link_lock_name, poll_link_task
from testkit.standin.oauth import link_via_fake

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def link(studio, owner, fake_pictime, settings, tmp_path) -> GalleryLink:
    from api.services import generate_api_key

    settings.VAR_DIR = tmp_path
    generate_api_key(studio=studio)
    return link_via_fake(studio, owner, fake_pictime)


@pytest.fixture
def another_worker_polls(link):
    lock = HeldLock(link_lock_name(link.pk))
    assert lock.acquire()
    yield lock
    lock.release()


def test_a_poll_waits_while_another_worker_polls_the_link(
    link, another_worker_polls, fake_pictime, settings
):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}
    }
    queries = len(fake_pictime.order_queries)
    assert poll_link_task.call(link.pk, True) == {"deferred": True}
    assert len(fake_pictime.order_queries) == queries  # the provider was not called
    deferred = DBTaskResult.objects.get(task_path=poll_link_task.module_path)
    assert deferred.status == "READY" and deferred.run_after > timezone.now()
    assert deferred.args_kwargs["args"] == [link.pk, True]


def test_once_the_other_poll_ends_the_link_is_polled(link, another_worker_polls, fake_pictime):
    another_worker_polls.release()
    queries = len(fake_pictime.order_queries)
    result = poll_link_task.call(link.pk, False)
    assert "deferred" not in result and result["full"]  # the first poll: the backfill
    assert len(fake_pictime.order_queries) > queries
