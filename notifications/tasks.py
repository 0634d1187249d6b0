"""The worker sends a notice (notifications.services.send) after the commit that kept it."""

from __future__ import annotations

from django.tasks import task

from notifications import services


@task()
def send_notice_task(notice_id: int) -> bool:
    return services.send(notice_id)
