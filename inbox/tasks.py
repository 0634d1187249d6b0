"""Background work of the Inbox, on Django's Tasks API (django-tasks-db in production).

`poll_all_links` re-enqueues itself `POLL_INTERVAL` later, so polling needs no separate
scheduler process: the worker command seeds it once (see cyan/management/commands/worker.py).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from galleries.models import GalleryLink
from inbox.sync import linked_links, poll_link

logger = logging.getLogger(__name__)


def poll_interval() -> timedelta:
    return timedelta(seconds=getattr(settings, "CYAN_POLL_INTERVAL_SECONDS", 300))


@task()
def poll_link_task(link_id: int) -> dict:
    link = GalleryLink.objects.select_related("studio").filter(pk=link_id).first()
    if link is None or link.status != GalleryLink.Status.LINKED:
        return {"skipped": True}
    result = poll_link(link=link)
    logger.info(
        "Polled %s link %s: %s fetched, %s new, %s updated, %s unreadable%s",
        link.provider,
        link.pk,
        result.fetched,
        result.created,
        result.updated,
        result.unreadable,
        f" (error: {result.error})" if result.error else "",
    )
    return {
        "fetched": result.fetched,
        "created": result.created,
        "updated": result.updated,
        "unreadable": result.unreadable,
        "error": result.error,
    }


@task()
def poll_all_links(reschedule: bool = True) -> int:
    count = 0
    for link in linked_links():
        poll_link_task.enqueue(link.pk)
        count += 1
    if reschedule:
        schedule_next_poll()
    return count


def schedule_next_poll() -> bool:
    """Enqueue the next round; only on a backend that can defer (the immediate backend of
    the tests would otherwise recurse forever)."""
    if not poll_all_links.get_backend().supports_defer:
        return False
    poll_all_links.using(run_after=timezone.now() + poll_interval()).enqueue(True)
    return True


def ensure_polling_scheduled() -> bool:
    """Seed the self-rescheduling poll unless a round is already waiting or running (a
    round that failed, e.g. during a database outage, scheduled no next one)."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        task_path=poll_all_links.module_path, status__in=["READY", "RUNNING"]
    ).exists()
    return False if waiting else schedule_next_poll()
