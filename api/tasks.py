"""Background work of the API (Django's Tasks API), enqueued by the scheduler
(cyan/scheduler.py) every CYAN_IDEMPOTENCY_PURGE_SECONDS."""

from __future__ import annotations

from django.tasks import task

from api.services import purge_expired_idempotency_records


@task()
def purge_idempotency_records() -> int:
    """Drop Idempotency-Key records past their lifetime; returns how many."""
    return purge_expired_idempotency_records()
