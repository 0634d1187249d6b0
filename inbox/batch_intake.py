"""The intake in batches: the worker's intake thread (cyan.worker.IntakeWorker) hands
over up to a few dozen accepted webhook deliveries at once, and they are taken in with
one transaction, bulk reads and bulk writes.

One delivery per task cost ~13 queries and three commits per order (claim, process,
finish), ~15 ms of CPU: fewer orders per second than a busy studio's webhooks bring.
Here a batch costs a handful of statements in all, plus what each new order must write
(its item, its delivery, its event and notice, in bulk where the Inbox allows).

What holds, as for one delivery at a time (inbox.accepting.process_delivery):
- Exactly once: the deliveries are locked (FOR UPDATE) and those already processed are
  left alone; the caller marks their tasks done in the same transaction, so a batch is
  all or nothing, and one cut off (the worker died, the database went away) is taken
  again whole by task_recovery, as a single task would be.
- Versions of one order apply in `updated_at` order, oldest first.
- A delivery that fails is kept with its reason (inbox.accepting's retries, then
  "needs attention") in a savepoint of its own; the rest of its batch goes on.
- New orders, the common case, are stored together (inbox.intake.take_in_new_orders);
  anything else (a new version of a held order, an order twice in the batch, a resend,
  a body the mapper refuses, a provider that completes orders from the previous
  version) goes through inbox.intake.take_in, one at a time, as before.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import IntegrityError, connection, transaction

from accounts.models import Studio
from galleries import providers
from galleries.models import GalleryLink
from galleries.schema import GalleryOrder
from inbox.accepting import TRANSIENT, _keep_failure, _mark_processed, _order_document
from inbox.intake import storable_key, take_in, take_in_new_orders
from inbox.models import InboxDelivery, InboxItem, WebhookDelivery
from inbox.services import NewOrder

logger = logging.getLogger(__name__)

WEBHOOK = InboxDelivery.Channel.WEBHOOK
EARLIEST = datetime.min.replace(tzinfo=UTC)


@dataclass
class Arrival:
    """An accepted delivery of the batch, and its order when it maps."""

    delivery: WebhookDelivery
    order: GalleryOrder | None = None

    @property
    def item_key(self) -> tuple[Any, ...] | None:
        if self.order is None:
            return None
        order = self.order
        return (self.delivery.studio_id, order.provider, order.account_id, order.order_id)

    @property
    def key(self) -> str:
        return storable_key(self.delivery.delivery_key)


def process_deliveries(delivery_ids: list[int]) -> dict[int, str]:
    """Take the accepted deliveries `delivery_ids` into the Inbox in one transaction;
    what happened to each (the words of process_delivery). A database that went away
    raises (TRANSIENT) and nothing of the batch is kept."""
    outcomes = dict.fromkeys(delivery_ids, "gone")
    with transaction.atomic():
        waiting = []
        for delivery in _locked(delivery_ids):
            if delivery.processed_at is not None:
                outcomes[delivery.pk] = "processed already"
            else:
                waiting.append(Arrival(delivery, _mapped(delivery)))
        new, others = _sort_out(waiting)
        outcomes.update(_take_in_new(new, others))
        for arrival in sorted(others, key=_version_order):
            outcomes[arrival.delivery.pk] = _take_in_one(arrival.delivery)
    return outcomes


def _locked(delivery_ids: list[int]) -> list[WebhookDelivery]:
    """The deliveries, locked (in id order, so two batches never deadlock), with their
    studios and links read in one query each."""
    deliveries = list(
        WebhookDelivery.objects.select_for_update().filter(pk__in=delivery_ids).order_by("pk")
    )
    studios = Studio.objects.in_bulk({d.studio_id for d in deliveries})
    links = GalleryLink.objects.in_bulk({d.link_id for d in deliveries if d.link_id})
    for delivery in deliveries:
        delivery.studio = studios[delivery.studio_id]
        delivery.link = links.get(delivery.link_id) if delivery.link_id else None
    return deliveries


def _mapped(delivery: WebhookDelivery) -> GalleryOrder | None:
    """The delivery's order, when it is a plain new version the batch can store itself;
    None sends it through take_in (which maps it again and keeps any refusal)."""
    gallery = providers.get(delivery.provider)
    if getattr(gallery, "with_previous", None) is not None:
        return None  # its order may need the previous version: take_in knows how
    try:
        raw = _order_document(delivery)
        document = raw if isinstance(raw, dict) else {}
        return gallery.map_order(document, account_id=delivery.account_id)
    except Exception:  # take_in says why, and keeps it as it always did
        return None


def _sort_out(waiting: list[Arrival]) -> tuple[list[Arrival], list[Arrival]]:
    """(new orders to store together, the rest for take_in). New: its order maps, is
    once in the batch, and neither its item nor its delivery key is stored yet."""
    mapped = [a for a in waiting if a.order is not None]
    per_item: dict[Any, int] = {}
    per_key: dict[Any, int] = {}
    for arrival in mapped:
        per_item[arrival.item_key] = per_item.get(arrival.item_key, 0) + 1
        key = (arrival.delivery.studio_id, arrival.key)
        per_key[key] = per_key.get(key, 0) + 1
    held_items = _held_items(mapped)
    held_keys = _held_keys(mapped)
    new, others = [], [a for a in waiting if a.order is None]
    for arrival in mapped:
        key = (arrival.delivery.studio_id, arrival.key)
        alone = per_item[arrival.item_key] == 1 and per_key[key] == 1
        if alone and arrival.item_key not in held_items and key not in held_keys:
            new.append(arrival)
        else:
            others.append(arrival)
    return new, others


def _held_items(arrivals: list[Arrival]) -> set[Any]:
    """The item keys among `arrivals` the Inbox already holds (one query)."""
    if not arrivals:
        return set()
    rows = InboxItem.objects.filter(
        studio_id__in={a.delivery.studio_id for a in arrivals},
        external_id__in={a.order.order_id for a in arrivals if a.order},
    ).values_list("studio_id", "source", "account_id", "external_id")
    return set(rows)


def _held_keys(arrivals: list[Arrival]) -> set[Any]:
    """The (studio, delivery key) pairs among `arrivals` already stored (one query)."""
    if not arrivals:
        return set()
    rows = InboxDelivery.objects.filter(
        studio_id__in={a.delivery.studio_id for a in arrivals},
        channel=WEBHOOK,
        delivery_key__in={a.key for a in arrivals},
    ).values_list("studio_id", "delivery_key")
    return set(rows)


def _take_in_new(new: list[Arrival], others: list[Arrival]) -> dict[int, str]:
    """Store the new orders together; should that fail (a concurrent delivery of one of
    them won the race, or one does not store), they join `others`, one at a time."""
    if not new:
        return {}
    orders = [
        NewOrder(
            studio=a.delivery.studio,
            order=a.order,
            raw_payload=a.delivery.body,
            channel=WEBHOOK,
            delivery_key=a.key,
            event_type=a.delivery.event_type,
        )
        for a in new
        if a.order is not None
    ]
    try:
        with transaction.atomic():
            receipts = take_in_new_orders(orders=orders, links=[a.delivery.link for a in new])
            _mark_all_processed(new, [receipt.item for receipt in receipts])
    except TRANSIENT:
        raise
    except Exception as exc:  # each is tried alone next, and kept if it fails
        if not isinstance(exc, IntegrityError):
            logger.warning("A batch of %s new orders was taken in one by one: %r", len(new), exc)
        others.extend(new)
        return {}
    return {a.delivery.pk: "taken in" for a in new}


_MARK_SQL = (
    f"UPDATE {WebhookDelivery._meta.db_table} AS d SET processed_at = %s,"
    " item_id = v.item_id, error = '' FROM unnest(%s::bigint[], %s::bigint[]) AS v(id, item_id)"
    " WHERE d.id = v.id"
)


def _mark_all_processed(arrivals: list[Arrival], items: list[InboxItem]) -> None:
    """The deliveries processed, each with its item: one statement (plain SQL on
    PostgreSQL; the ORM's bulk_update compiles a CASE per row, ~1 ms per delivery)."""
    now = datetime.now(UTC)
    deliveries = [a.delivery for a in arrivals]
    if connection.vendor == "postgresql":
        ids, item_ids = [d.pk for d in deliveries], [item.pk for item in items]
        with connection.cursor() as cursor:
            cursor.execute(_MARK_SQL, [now, ids, item_ids])
        return
    for delivery, item in zip(deliveries, items, strict=True):
        delivery.processed_at, delivery.item, delivery.error = now, item, ""
    WebhookDelivery.objects.bulk_update(deliveries, ["processed_at", "item", "error"])


def _version_order(arrival: Arrival) -> tuple[Any, ...]:
    """Oldest version first (so each later one is applied as the update it is); the
    deliveries that did not map, by id, first (take_in keeps them as they come)."""
    updated = arrival.order.updated_at if arrival.order is not None else EARLIEST
    return (updated, arrival.delivery.pk)


def _take_in_one(delivery: WebhookDelivery) -> str:
    """One delivery through take_in, in a savepoint: a failure keeps it with its reason
    (inbox.accepting) and the batch goes on."""
    try:
        with transaction.atomic():
            receipt = take_in(
                studio=delivery.studio,
                provider=delivery.provider,
                account_id=delivery.account_id,
                raw=_order_document(delivery),
                raw_payload=delivery.body,
                channel=WEBHOOK,
                delivery_key=delivery.delivery_key,
                event_type=delivery.event_type,
                link=delivery.link,
            )
            _mark_processed(delivery, receipt, error="")
    except TRANSIENT:
        raise
    except Exception as exc:
        logger.exception("Webhook delivery %s could not be processed", delivery.pk)
        return _keep_failure(delivery.pk, exc)
    return "duplicate" if receipt.duplicate_delivery else "taken in"
