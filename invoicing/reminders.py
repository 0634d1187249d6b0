"""Payment reminders: an email N days before an instalment is due and N days after it is
overdue (Preferences → Invoicing), sent by the worker once each.

"Once": the instalment row is locked (skip_locked, so two workers never take the same one)
and its reminded_*_at is set in the transaction that sends; a send that fails rolls back
and is tried again on the next round. A reminder is only sent while the instalment is
still outstanding, and a missed day (the worker was down) is caught up, never skipped.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from core.clock import studio_today
from invoicing.models import Instalment, InvoicingSettings
from invoicing.pdf import client_email
from invoicing.schedules import schedule_state
from sales.models import Sale

logger = logging.getLogger(__name__)


def send_reminders() -> int:
    """One round over every studio that asked for reminders; returns how many were sent."""
    sent = 0
    studios = InvoicingSettings.objects.filter(
        remind_days_before__isnull=False
    ) | InvoicingSettings.objects.filter(remind_days_after__isnull=False)
    for prefs in studios.select_related("studio"):
        today = studio_today(prefs.studio)
        if prefs.remind_days_before is not None:
            sent += _round(prefs, today, "before", prefs.remind_days_before)
        if prefs.remind_days_after is not None:
            sent += _round(prefs, today, "after", prefs.remind_days_after)
    return sent


def _round(prefs: InvoicingSettings, today: dt.date, side: str, days: int) -> int:
    field = f"reminded_{side}_at"
    if side == "before":  # from N days before the due date until it is due
        window = {"due_on__lte": today + dt.timedelta(days=days), "due_on__gte": today}
    else:  # N days or more after it was due
        window = {"due_on__lte": today - dt.timedelta(days=days)}
    candidates = Instalment.objects.filter(
        studio_id=prefs.studio_id,
        sale__status=Sale.Status.ACTIVE,
        **{f"{field}__isnull": True},
        **window,
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(candidates[:1000]):
        try:
            sent += _send_one(pk, field, side, today)
        except OSError:  # the mail server: this one is tried again next round
            logger.warning("Payment reminder for instalment %s not sent; will retry", pk)
    return sent


@transaction.atomic
def _send_one(pk: int, field: str, side: str, today: dt.date) -> int:
    instalment = (
        Instalment.objects.select_for_update(skip_locked=True)
        .filter(pk=pk, **{f"{field}__isnull": True})
        .first()
    )
    if instalment is None:
        return 0  # another worker has it, or sent it
    sale = Sale.objects.select_related("contact", "studio").get(pk=instalment.sale_id)
    state = next(
        (s for s in schedule_state(sale).instalments if s.instalment.pk == instalment.pk), None
    )
    to = client_email(sale)
    if state is None or state.outstanding_minor <= 0 or not to:
        setattr(instalment, field, timezone.now())  # nothing to remind of: done with it
        instalment.save(update_fields=[field])
        return 0
    context = {
        "sale": sale,
        "client_name": sale.contact.display_name,
        "studio_name": sale.studio.name,
        "due_on": instalment.due_on,
        "outstanding_minor": state.outstanding_minor,
        "currency": sale.currency,
        "overdue": side == "after",
    }
    EmailMessage(
        subject=f"Payment {'overdue' if side == 'after' else 'reminder'}: {sale.studio.name}",
        body=render_to_string("invoicing/email/reminder.txt", context),
        to=[to],
    ).send()
    setattr(instalment, field, timezone.now())
    instalment.save(update_fields=[field])
    return 1
