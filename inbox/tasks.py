"""Background work of the Inbox, on Django's Tasks API (django-tasks-db in production).

`poll_all_links` is the poll round: every CYAN_POLL_TICK_SECONDS it enqueues a poll of
each linked link whose next poll is due (each provider says how long until its next one,
inbox.sync), then re-enqueues itself; `cyan scheduler` (or, without one, a worker's
janitor) keeps it seeded (cyan/scheduler.py). Polls of one link never overlap:
each holds the link's lock (core.locks) while it runs.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from core.enqueue import enqueue_with_commit
from core.locks import try_lock
from galleries.models import GalleryLink
from inbox.sync import due_links, poll_link

logger = logging.getLogger(__name__)

DEFAULT_TICK_SECONDS = 30
# A link whose poll is enqueued is not enqueued again by the next rounds for this long,
# while the poll waits for a worker; the poll then sets its real next time.
ENQUEUED_LEASE = timedelta(minutes=10)
# A poll of a link another worker is polling is tried again this much later.
BUSY_LINK_RETRY = timedelta(seconds=5)


def poll_tick() -> timedelta:
    return timedelta(seconds=getattr(settings, "CYAN_POLL_TICK_SECONDS", DEFAULT_TICK_SECONDS))


def link_lock_name(link_id: int) -> str:
    return f"poll-link:{link_id}"


@task()
def poll_link_task(link_id: int, full: bool = False) -> dict:
    """Poll one link, never two polls of it at once: two workers may hold polls of the
    same link (a round's and a Sync now's, or a re-queued one), and a poll reads the
    link's cursor and mark, then moves them. The second waits its turn, deferred."""
    with try_lock(link_lock_name(link_id)) as mine:
        if not mine:
            return {"deferred": defer_busy_poll(link_id, full)}
        return _poll_link_now(link_id, full)


def defer_busy_poll(link_id: int, full: bool) -> bool:
    """Run this poll after the one in progress (on a backend that can defer)."""
    if not poll_link_task.get_backend().supports_defer:
        return False
    poll_link_task.using(run_after=timezone.now() + BUSY_LINK_RETRY).enqueue(link_id, full)
    return True


def _poll_link_now(link_id: int, full: bool) -> dict:
    link = GalleryLink.objects.select_related("studio").filter(pk=link_id).first()
    if link is None or link.status != GalleryLink.Status.LINKED:
        return {"skipped": True}
    result = poll_link(link=link, full=full)
    logger.info(
        "Polled %s link %s%s: %s fetched, %s new, %s updated, %s unreadable%s",
        link.provider,
        link.pk,
        " (full)" if result.full else "",
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
        "full": result.full,
        "error": result.error,
    }


@task()
def poll_all_links(reschedule: bool = True) -> int:
    """One poll round: enqueue a poll of every link that is due; returns how many."""
    now = timezone.now()
    due = list(due_links(now).values_list("pk", flat=True))
    GalleryLink.objects.filter(pk__in=due).update(next_poll_at=now + ENQUEUED_LEASE)
    for link_id in due:
        poll_link_task.enqueue(link_id)
    if reschedule:
        schedule_next_poll()
    return len(due)


def poll_new_link(link: GalleryLink) -> None:
    """A link just made: its first poll (the 90-day backfill) runs at once, not at the next
    round, and the rounds leave it alone meanwhile (the galleries' OAuth callback runs it,
    handed in by cyan/urls.py)."""
    GalleryLink.objects.filter(pk=link.pk).update(next_poll_at=timezone.now() + ENQUEUED_LEASE)
    enqueue_with_commit(poll_link_task, link.pk)


def schedule_next_poll() -> bool:
    """Enqueue the next round; only on a backend that can defer (the immediate backend of
    the tests would otherwise recurse forever)."""
    if not poll_all_links.get_backend().supports_defer:
        return False
    poll_all_links.using(run_after=timezone.now() + poll_tick()).enqueue(True)
    return True


def ensure_polling_scheduled() -> bool:
    """Seed the self-rescheduling poll unless a round is already waiting or running (a
    round that failed, e.g. during a database outage, scheduled no next one)."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        task_path=poll_all_links.module_path, status__in=["READY", "RUNNING"]
    ).exists()
    return False if waiting else schedule_next_poll()


@task(queue_name="intake")  # inbox.accepting.INTAKE_QUEUE; `cyan worker` listens to it
def process_webhook_delivery(delivery_id: int) -> str:
    """Take an accepted webhook delivery into the Inbox (inbox.accepting); idempotent."""
    from inbox.accepting import process_delivery  # accepting enqueues this task

    return process_delivery(delivery_id)
