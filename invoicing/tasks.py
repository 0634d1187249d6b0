"""Background work of invoicing (Django's Tasks API): the payment reminder round
re-enqueues itself every CYAN_REMINDER_INTERVAL_SECONDS (default an hour), seeded by the
worker command like the Inbox's polling (cyan/management/commands/worker.py)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from invoicing.reminders import send_reminders


def reminder_interval() -> timedelta:
    return timedelta(seconds=getattr(settings, "CYAN_REMINDER_INTERVAL_SECONDS", 3600))


@task()
def send_payment_reminders(reschedule: bool = True) -> int:
    sent = send_reminders()
    if reschedule:
        schedule_next_round()
    return sent


def schedule_next_round() -> bool:
    """Only on a backend that can defer (the tests' immediate backend would recurse)."""
    if not send_payment_reminders.get_backend().supports_defer:
        return False
    run_after = timezone.now() + reminder_interval()
    send_payment_reminders.using(run_after=run_after).enqueue(True)
    return True


def ensure_reminders_scheduled() -> bool:
    """Seed the self-rescheduling round unless one is waiting or running."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        task_path=send_payment_reminders.module_path, status__in=["READY", "RUNNING"]
    ).exists()
    return False if waiting else schedule_next_round()
