"""Every write to the Inbox: receive (store + dedupe), dismiss, restore, mark read.

Webhook, poll and API push may bring the same order, in any order, any number of times:
deliveries are deduplicated by their key (webhook-id, or order id + version), items by
(studio, source, account, order id), and an older version never overwrites a newer one.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from pydantic import ValidationError

from accounts.models import Studio
from core import limits
from core.money import format_money
from galleries.schema import ORDER_STATUS_LABELS, PAYMENT_STATUS_LABELS, GalleryOrder
from inbox.models import InboxDelivery, InboxItem
from inbox.schema import Enquiry

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Receipt:
    """What receiving did. Downstream work (auto-import, updating an imported sale) is
    inbox.intake's to call, with what this says."""

    item: InboxItem
    created: bool
    changed: bool
    duplicate_delivery: bool
    delivery: InboxDelivery | None = None
    # The version the item held before this one, when this delivery replaced it.
    previous: GalleryOrder | None = None

    @property
    def updated_imported_order(self) -> bool:
        """A newer version of an order that is already a sale: the sale must follow."""
        return self.changed and not self.created and self.item.state == InboxItem.State.IMPORTED


def receive_order(
    *,
    studio: Studio,
    order: GalleryOrder,
    raw_payload: str,
    channel: str,
    delivery_key: str,
    event_type: str = "",
) -> Receipt:
    """Store one delivered version of an order; one transaction, safe to repeat.

    The first attempt does not look the delivery key up: the unique constraint refuses a
    repeat (rolling everything back), and the second attempt, which does look, answers it
    as a duplicate. That saves a query on every first delivery, the common case."""
    args = (studio, order, raw_payload, channel, delivery_key, event_type)
    try:
        with transaction.atomic():
            return _receive_order(*args, check_delivery=False)
    except IntegrityError:
        # A repeated delivery key, or a concurrent delivery of the same order won the race.
        with transaction.atomic():
            return _receive_order(*args, check_delivery=True)


def _receive_order(
    studio: Studio,
    order: GalleryOrder,
    raw_payload: str,
    channel: str,
    delivery_key: str,
    event_type: str,
    *,
    check_delivery: bool,
) -> Receipt:
    existing_delivery = _delivery(studio, channel, delivery_key) if check_delivery else None
    if existing_delivery is not None:
        return Receipt(
            existing_delivery.item, created=False, changed=False, duplicate_delivery=True
        )
    item = (
        InboxItem.objects.select_for_update()
        .filter(
            studio=studio,
            source=order.provider,
            account_id=order.account_id,
            external_id=order.order_id,
        )
        .first()
    )
    created = item is None
    if created:
        item = InboxItem(
            studio=studio,
            kind=InboxItem.Kind.ORDER,
            source=order.provider,
            account_id=order.account_id,
            external_id=order.order_id,
        )
    changed, note, previous = _apply_version(item, order, raw_payload)
    delivery = InboxDelivery.objects.create(
        studio=studio,
        item=item,
        channel=channel,
        delivery_key=delivery_key,
        event_type=event_type,
        changed=changed,
        note=note,
    )
    return Receipt(
        item,
        created=created,
        changed=changed,
        duplicate_delivery=False,
        delivery=delivery,
        previous=previous,
    )


@dataclass(frozen=True)
class NewOrder:
    """One delivered version of an order the Inbox does not hold yet (receive_new_orders)."""

    studio: Studio
    order: GalleryOrder
    raw_payload: str
    channel: str
    delivery_key: str
    event_type: str = ""


def receive_new_orders(*, orders: list[NewOrder]) -> list[Receipt]:
    """Store many new orders, each as its item and its delivery, with two statements (the
    batched intake, inbox.batch_intake); their receipts, in order.

    The caller has checked that each is new: no item holds its order, no delivery has its
    key, and none is twice in `orders`. Should that have changed since (a poll or another
    worker took the same order in), the unique constraints raise IntegrityError and
    nothing is stored (a savepoint); receive_order then takes them one by one."""
    items = []
    for new in orders:
        item = InboxItem(
            studio=new.studio,
            kind=InboxItem.Kind.ORDER,
            source=new.order.provider,
            account_id=new.order.account_id,
            external_id=new.order.order_id,
        )
        _write_version(item, new.order, new.raw_payload, previous=None)
        items.append(item)
    with transaction.atomic():
        InboxItem.objects.bulk_create(items)
        deliveries = InboxDelivery.objects.bulk_create(
            InboxDelivery(
                studio=new.studio,
                item=item,
                channel=new.channel,
                delivery_key=new.delivery_key,
                event_type=new.event_type,
                changed=True,
                note="received",
            )
            for item, new in zip(items, orders, strict=True)
        )
    receipts = []
    for item, new, delivery in zip(items, orders, deliveries, strict=True):
        item.order = new.order  # parsed already: InboxItem.order need not parse it again
        receipts.append(
            Receipt(item, created=True, changed=True, duplicate_delivery=False, delivery=delivery)
        )
    return receipts


def _delivery(studio: Studio, channel: str, key: str) -> InboxDelivery | None:
    return (
        InboxDelivery.objects.select_related("item")
        .filter(studio=studio, channel=channel, delivery_key=key)
        .first()
    )


def _apply_version(
    item: InboxItem, order: GalleryOrder, raw_payload: str
) -> tuple[bool, str, GalleryOrder | None]:
    """Write `order` onto `item` unless the item already holds the same or a newer version;
    (changed, the delivery's note, the version it replaced)."""
    held = item.provider_updated_at if item.normalized else None
    if held is not None and order.updated_at < held:
        return False, "an older version, ignored (the newer one is kept)", None
    if held is not None and order.updated_at == held and not _further_along(order, item):
        return False, "nothing new (the same version again)", None
    previous = _stored_version(item)
    _write_version(item, order, raw_payload, previous)
    item.save()
    item.order = order  # parsed already: InboxItem.order need not parse it again
    return True, describe_change(previous, order) if previous else "received", previous


def _further_along(order: GalleryOrder, item: InboxItem) -> bool:
    """A same-time version further along (cancelled, or more refunded): a gallery may
    record a refund or a cancellation without moving the order's time. Refunds only
    grow and a cancellation is final, so whichever arrives first, this never goes back.
    The item's own columns say it: no stored order is parsed."""
    held = (item.order_status == "cancelled", item.refunded_minor)
    return (order.status == "cancelled", order.refunded_minor) > held


def _write_version(
    item: InboxItem, order: GalleryOrder, raw_payload: str, previous: GalleryOrder | None
) -> None:
    """Set `order` (replacing `previous`) on `item`'s fields; the caller saves."""
    item.raw_payload = raw_payload
    item.normalized = order.model_dump(mode="json")
    item.error = ""
    item.order_number = order.order_number
    item.customer_name = order.customer.full_name
    item.customer_email = order.customer.email.lower()
    item.gallery_name = order.gallery.name if order.gallery else ""
    item.currency = order.currency
    item.total_minor = order.total_minor
    item.order_status = order.status
    item.refunded_minor = order.refunded_minor
    if item.state == InboxItem.State.IMPORTED and previous and _changes_the_sale(previous, order):
        item.changed_after_import_at = timezone.now()
    item.provider_updated_at = order.updated_at
    item.placed_at = order.placed_at
    if item.state == InboxItem.State.NEEDS_ATTENTION:
        item.state = InboxItem.State.NEW


def _stored_version(item: InboxItem) -> GalleryOrder | None:
    """The order the item holds, or None when there is none or it no longer reads (kept
    under looser limits of an earlier Cyan): the new version then replaces it outright."""
    if not item.normalized:
        return None
    try:
        return item.order
    except (ValueError, ValidationError):
        logger.warning("Inbox item %s holds an order the schema no longer reads", item.pk)
        return None


def append_delivery_note(*, delivery: InboxDelivery, note: str) -> None:
    """Add what downstream work did (e.g. the imported sale's update) to a delivery's
    history line, in the receiving transaction."""
    delivery.note = limits.storable(f"{delivery.note}; {note}", limits.DELIVERY_NOTE)
    delivery.save(update_fields=["note"])


def _changes_the_sale(previous: GalleryOrder, current: GalleryOrder) -> bool:
    return (
        current.status != previous.status
        or current.refunded_minor != previous.refunded_minor
        or current.total_minor != previous.total_minor
    )


def describe_change(previous: GalleryOrder, current: GalleryOrder) -> str:
    """What a new version changed, in plain words (the item's history shows it)."""
    changes = []
    if current.status != previous.status:
        was, now = ORDER_STATUS_LABELS[previous.status], ORDER_STATUS_LABELS[current.status]
        changes.append(f"status {was} → {now}")
    if current.refunded_minor != previous.refunded_minor:
        changes.append(
            f"refunded {format_money(previous.refunded_minor, current.currency)} → "
            f"{format_money(current.refunded_minor, current.currency)}"
        )
    if current.payment_status != previous.payment_status:
        was = PAYMENT_STATUS_LABELS[previous.payment_status]
        changes.append(f"payment {was} → {PAYMENT_STATUS_LABELS[current.payment_status]}")
    if current.total_minor != previous.total_minor:
        changes.append(
            f"total {format_money(previous.total_minor, previous.currency)} → "
            f"{format_money(current.total_minor, current.currency)}"
        )
    return "updated: " + (", ".join(changes) or "details changed")


def receive_unreadable(
    *,
    studio: Studio,
    source: str,
    account_id: str,
    raw_payload: str,
    error: str,
    channel: str,
    delivery_key: str,
    external_id: str = "",
    event_type: str = "",
) -> Receipt:
    """Keep a payload the mapper could not understand, with the reason: nothing is lost."""
    with transaction.atomic():
        existing = _delivery(studio, channel, delivery_key)
        if existing is not None:
            return Receipt(existing.item, created=False, changed=False, duplicate_delivery=True)
        item, created = InboxItem.objects.select_for_update().get_or_create(
            studio=studio,
            source=source,
            account_id=account_id,
            external_id=external_id or _unreadable_id(channel, delivery_key),
            defaults={"raw_payload": raw_payload},
        )
        if created or item.state in (InboxItem.State.NEW, InboxItem.State.NEEDS_ATTENTION):
            item.raw_payload = raw_payload
            item.error = limits.storable(error, limits.ITEM_ERROR)
            item.state = InboxItem.State.NEEDS_ATTENTION
            item.save()
        elif item.state == InboxItem.State.IMPORTED:
            _flag_unread_version(item, error)
        InboxDelivery.objects.create(
            studio=studio,
            item=item,
            channel=channel,
            delivery_key=delivery_key,
            event_type=event_type,
            changed=True,
            note=limits.storable(f"could not be read: {error}", limits.DELIVERY_NOTE),
        )
    logger.warning(
        "Inbox kept an unreadable %s payload for studio %s: %s", source, studio.pk, error
    )
    return Receipt(item, created=created, changed=True, duplicate_delivery=False)


def _flag_unread_version(item: InboxItem, error: str) -> None:
    """The sale may no longer match its order (a refund or cancellation sent in a form
    Cyan cannot read): "Changed after import" with the reason, as for a version that
    cannot be applied (inbox.imported_updates), until a readable one is applied."""
    item.error = limits.storable(
        f"Changed at the gallery after import: a version could not be read ({error}); "
        "check the order at the gallery",
        limits.ITEM_ERROR,
    )
    item.changed_after_import_at = timezone.now()
    item.save(update_fields=["error", "changed_after_import_at", "updated_at"])


def _unreadable_id(channel: str, delivery_key: str) -> str:
    """An id of its own for a payload without a usable order id: one item per delivery."""
    external_id = f"unreadable:{channel}:{delivery_key}"
    if len(external_id) <= limits.ORDER_ID:
        return external_id
    return f"unreadable:{hashlib.sha256(external_id.encode()).hexdigest()}"


@transaction.atomic
def dismiss_item(*, item: InboxItem) -> InboxItem:
    if item.state == InboxItem.State.IMPORTED:
        raise ValueError("An imported item cannot be dismissed; un-import it first.")
    item.state = InboxItem.State.DISMISSED
    item.save(update_fields=["state", "updated_at"])
    return item


@transaction.atomic
def restore_item(*, item: InboxItem) -> InboxItem:
    if item.state == InboxItem.State.DISMISSED:
        item.state = InboxItem.State.NEEDS_ATTENTION if item.error else InboxItem.State.NEW
        item.save(update_fields=["state", "updated_at"])
    return item


def mark_read(*, item: InboxItem) -> None:
    if item.read_at is None:
        InboxItem.objects.filter(pk=item.pk, read_at__isnull=True).update(read_at=timezone.now())


def receive_enquiry(
    *, studio: Studio, enquiry: Enquiry, raw_payload: str, channel: str, delivery_key: str
) -> Receipt:
    """Store an enquiry once per delivery key (and once per external id when it has one)."""
    with transaction.atomic():
        existing = _delivery(studio, channel, delivery_key)
        if existing is not None:
            return Receipt(existing.item, created=False, changed=False, duplicate_delivery=True)
        external_id = enquiry.external_id or f"enquiry:{delivery_key}"[:100]
        item, created = InboxItem.objects.get_or_create(
            studio=studio,
            source=enquiry.source,
            account_id="",
            external_id=external_id,
            defaults={
                "kind": InboxItem.Kind.ENQUIRY,
                "raw_payload": raw_payload,
                "normalized": enquiry.model_dump(mode="json"),
                "customer_name": enquiry.full_name,
                "customer_email": enquiry.email,
                "placed_at": enquiry.sent_at or timezone.now(),
            },
        )
        InboxDelivery.objects.create(
            studio=studio,
            item=item,
            channel=channel,
            delivery_key=delivery_key,
            event_type="enquiry",
            changed=created,
            note="received" if created else "same enquiry again",
        )
    return Receipt(item, created=created, changed=created, duplicate_delivery=False)
