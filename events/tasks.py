"""Background delivery on Django's Tasks API.

`deliver_due_task` is enqueued after each commit that adds deliveries, for speed; the
self-rescheduling `sweep_deliveries` (seeded by `cyan worker`, as polling is) catches
retries that fall due and anything whose enqueue was lost, so nothing depends on it.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from events.delivery import deliver_due


def sweep_interval() -> timedelta:
    return timedelta(seconds=getattr(settings, "CYAN_WEBHOOKS_SWEEP_SECONDS", 10))


@task()
def deliver_due_task() -> int:
    return deliver_due()


@task()
def sweep_deliveries(reschedule: bool = True) -> int:
    made = deliver_due()
    if reschedule:
        schedule_next_sweep()
    return made


def schedule_next_sweep() -> bool:
    """Only on a backend that can defer (the tests' immediate backend would recurse)."""
    if not sweep_deliveries.get_backend().supports_defer:
        return False
    sweep_deliveries.using(run_after=timezone.now() + sweep_interval()).enqueue(True)
    return True


def ensure_sweep_scheduled() -> bool:
    """Seed the sweep unless one is already waiting or running."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        task_path=sweep_deliveries.module_path, status__in=["READY", "RUNNING"]
    ).exists()
    return False if waiting else schedule_next_sweep()
