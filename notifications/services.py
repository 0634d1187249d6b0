"""Every write of notifications: the studio's settings, and queueing/sending a notice.

`queue` runs inside the caller's transaction (the intake's): the notice exists exactly
when what it tells of was stored. The worker sends it after the commit; a send that
fails is tried again by the next round (`send_pending`), a sent one never again.
"""

from __future__ import annotations

import logging

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Studio
from core.enqueue import enqueue_with_commit
from notifications.models import Notice, NotificationSettings

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 20


def settings_for(studio: Studio) -> NotificationSettings:
    prefs, _ = NotificationSettings.objects.get_or_create(studio=studio)
    return prefs


def preferences_of(studio: Studio) -> NotificationSettings:
    """The studio's choices, or the defaults when it made none: a read only, for the
    intake's path (no row is written for every studio that receives an order)."""
    found = NotificationSettings.objects.filter(studio=studio).first()
    return found or NotificationSettings(studio=studio)


def recipient(studio: Studio) -> str:
    """The address the studio chose, else its owner's."""
    chosen = NotificationSettings.objects.filter(studio=studio).values_list("email", flat=True)
    email = next(iter(chosen), "")
    if email:
        return email
    users = studio.users.filter(is_active=True).order_by("-role", "id")  # "owner" first
    owner = users.values_list("email", flat=True).first()
    return owner or ""


def queue(*, studio: Studio, key: str, kind: str, subject: str, body: str) -> Notice | None:
    """Keep a notice to send (once per key); the worker sends it after the commit."""
    try:
        with transaction.atomic():
            notice = Notice.objects.create(
                studio=studio, key=key[:200], kind=kind, subject=subject[:200], body=body
            )
    except IntegrityError:
        return None  # told already
    from notifications.tasks import send_notice_task

    enqueue_with_commit(send_notice_task, notice.pk)
    return notice


def send(notice_id: int) -> bool:
    """Send one notice unless it was sent; True when this call sent it."""
    with transaction.atomic():
        notice = (
            Notice.objects.select_for_update(skip_locked=True)
            .select_related("studio")
            .filter(pk=notice_id, sent_at__isnull=True)
            .first()
        )
        if notice is None:
            return False  # sent already, or another worker is sending it
        to = recipient(notice.studio)
        notice.attempts += 1
        try:
            if to:
                EmailMessage(subject=notice.subject, body=notice.body, to=[to]).send()
        except OSError as exc:  # the mail server: kept for the next round
            notice.last_error = str(exc)[:300]
            notice.save(update_fields=["attempts", "last_error"])
            logger.warning("Notice %s not sent (will retry): %s", notice.pk, exc)
            return False
        notice.sent_at = timezone.now()
        notice.last_error = "" if to else "no address to send to"
        notice.save(update_fields=["attempts", "sent_at", "last_error"])
        return bool(to)


def send_pending() -> int:
    """Send every notice still waiting (a failed send, or a lost enqueue)."""
    waiting = Notice.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
    return sum(send(pk) for pk in list(waiting.values_list("pk", flat=True)[:500]))


def update_settings(*, studio: Studio, **fields: object) -> NotificationSettings:
    prefs = settings_for(studio)
    for name, value in fields.items():
        setattr(prefs, name, value)
    prefs.full_clean()
    prefs.save()
    return prefs
