"""Background work of the galleries (Django's Tasks API): refreshing provider tokens
before they expire, enqueued by the scheduler (cyan/scheduler.py) every
CYAN_TOKEN_REFRESH_SECONDS."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.tasks import task

from galleries.tokens import REFRESH_MARGIN, refresh_expiring_tokens


def refresh_window() -> timedelta:
    """Two rounds ahead, plus the margin a call keeps: a round that is late or fails once
    still leaves the next one time to refresh."""
    return 2 * timedelta(seconds=settings.CYAN_TOKEN_REFRESH_SECONDS) + REFRESH_MARGIN


@task()
def refresh_tokens() -> int:
    return refresh_expiring_tokens(within=refresh_window())
