"""What the Inbox tells the studio by email (notifications keeps and sends the emails):
a new order (each, or one email a day listing them) and a refund or cancellation at the
gallery of an order already imported. Called explicitly by the intake, inside its
receiving transaction, only when an order is new or a version changed it: a repeated
webhook changes nothing, so it tells nothing; the notice's key makes "once" hold even
for a retried task.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.tasks import task
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from core.clock import studio_zone
from core.money import format_money
from galleries.schema import GalleryOrder
from inbox.models import InboxItem
from notifications import services as notifications
from notifications.models import Notice, NotificationSettings


def order_arrived(item: InboxItem) -> None:
    orders_arrived([item])


def orders_arrived(items: list[InboxItem]) -> None:
    """order_arrived for many new items (the batched intake): each studio's preference
    is read once."""
    wanted: dict[int, bool] = {}
    for item in items:
        if item.studio_id not in wanted:
            choice = notifications.preferences_of(item.studio).new_orders
            wanted[item.studio_id] = choice == NotificationSettings.NewOrders.EACH
        if wanted[item.studio_id]:
            _tell_order_arrived(item)


def _tell_order_arrived(item: InboxItem) -> None:
    order = item.order
    total = format_money(order.total_minor, order.currency)
    gallery = f" (gallery “{order.gallery.name}”)" if order.gallery and order.gallery.name else ""
    notifications.queue(
        studio=item.studio,
        key=f"order:{item.pk}",
        kind=Notice.Kind.NEW_ORDER,
        subject=f"New {item.source_label} order {_number(item)}: {total}",
        body=(
            f"{order.customer.full_name or order.customer.email} ordered {total} "
            f"from {item.source_label}{gallery}.\n\nOpen it in your Inbox: {_link(item)}\n"
        ),
    )


def imported_order_changed(item: InboxItem, previous: GalleryOrder, order: GalleryOrder) -> None:
    """A refund or a cancellation at the gallery after the order was imported."""
    if not notifications.preferences_of(item.studio).changes_after_import:
        return
    what = _what_changed(previous, order)
    if not what:
        return
    notifications.queue(
        studio=item.studio,
        key=f"changed:{item.pk}:{order.updated_at.isoformat()}",
        kind=Notice.Kind.CHANGED_AFTER_IMPORT,
        subject=f"{what[0].capitalize()}: {item.source_label} order {_number(item)}",
        body=(
            f"{item.source_label} order {_number(item)} "
            f"({order.customer.full_name or order.customer.email}) was imported as a sale, "
            f"and at the gallery: {'; '.join(what)}.\n\n"
            f"The sale follows the gallery; check it from the order: {_link(item)}\n"
        ),
    )


def _what_changed(previous: GalleryOrder, order: GalleryOrder) -> list[str]:
    changes = []
    refunded = order.refunded_minor - previous.refunded_minor
    if refunded > 0:
        changes.append(f"refunded {format_money(refunded, order.currency)}")
    if order.status == "cancelled" and previous.status != "cancelled":
        changes.append("cancelled")
    return changes


def queue_daily_digests(now: datetime | None = None) -> int:
    """One email a day per studio that asked for it, listing the orders that arrived since
    the last one (none: no email); sent after the studio's chosen hour."""
    now = now or timezone.now()
    queued = 0
    chosen = NotificationSettings.objects.filter(new_orders=NotificationSettings.NewOrders.DAILY)
    for prefs in chosen.select_related("studio"):
        local = now.astimezone(studio_zone(prefs.studio))
        if local.hour < prefs.digest_hour:
            continue
        day_start = local.replace(hour=prefs.digest_hour, minute=0, second=0, microsecond=0)
        if prefs.last_digest_at is not None and prefs.last_digest_at >= day_start:
            continue  # today's is done
        queued += _queue_digest(prefs, since=prefs.last_digest_at or now - timedelta(days=1))
        prefs.last_digest_at = now
        prefs.save(update_fields=["last_digest_at"])
    return queued


def _queue_digest(prefs: NotificationSettings, *, since: datetime) -> int:
    items = list(
        InboxItem.objects.filter(
            studio=prefs.studio, kind=InboxItem.Kind.ORDER, received_at__gt=since
        ).order_by("id")[:200]
    )
    if not items:
        return 0
    lines = [
        f"- {item.source_label} {_number(item)}: {item.customer_name or item.customer_email}"
        + (f", {format_money(item.total_minor, item.currency)}" if item.total_minor else "")
        for item in items
    ]
    count = len(items)
    notifications.queue(
        studio=prefs.studio,
        key=f"digest:{items[-1].pk}",
        kind=Notice.Kind.DIGEST,
        subject=ngettext("%(n)d new gallery order", "%(n)d new gallery orders", count)
        % {"n": count},
        body="\n".join(lines) + f"\n\nYour Inbox: {_base_url()}{reverse('inbox:list')}\n",
    )
    return 1


def _number(item: InboxItem) -> str:
    return item.order_number or item.external_id


def _base_url() -> str:
    return getattr(settings, "CYAN_BASE_URL", "").rstrip("/")


def _link(item: InboxItem) -> str:
    return f"{_base_url()}{reverse('inbox:detail', args=[item.pk])}"


def round_interval() -> timedelta:
    return timedelta(seconds=getattr(settings, "CYAN_NOTICES_ROUND_SECONDS", 300))


@task()
def notices_round(reschedule: bool = True) -> int:
    """Queue the daily emails that are due, then send every notice still waiting."""
    queue_daily_digests()
    sent = notifications.send_pending()
    if reschedule:
        schedule_next_round()
    return sent


def schedule_next_round() -> bool:
    if not notices_round.get_backend().supports_defer:
        return False
    notices_round.using(run_after=timezone.now() + round_interval()).enqueue(True)
    return True


def ensure_notices_scheduled() -> bool:
    """Seed the self-rescheduling round unless one is waiting or running."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        task_path=notices_round.module_path, status__in=["READY", "RUNNING"]
    ).exists()
    return False if waiting else schedule_next_round()
