"""The project's own periodic task: pruning finished task results and processed raw
webhook deliveries, enqueued by the scheduler (cyan/scheduler.py) every
CYAN_TASK_RESULTS_PRUNE_SECONDS."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.tasks import task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

FINISHED = ("SUCCESSFUL", "FAILED")


def prune_finished_task_results(*, older_than: timedelta) -> int:
    """Delete results of tasks that finished more than `older_than` ago (waiting and
    running tasks are never touched); returns how many."""
    cutoff = timezone.now() - older_than
    deleted, _ = DBTaskResult.objects.filter(status__in=FINISHED, finished_at__lt=cutoff).delete()
    return deleted


@task()
def prune_task_results() -> int:
    from inbox.accepting import prune_processed_deliveries

    keep = timedelta(days=settings.CYAN_TASK_RESULTS_KEEP_DAYS)
    return prune_finished_task_results(older_than=keep) + prune_processed_deliveries(
        older_than=keep
    )
