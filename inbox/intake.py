"""The one way an order enters the Inbox: the webhook (inbox.webhooks), the poll
(inbox.sync) and the API push (api.routers.inbox) all come through here.

`take_in` maps a provider's order document with that provider's mapper; `take_in_normalized`
takes an order already in the normalized schema. Both store the delivery and create or
update the item (inbox.services.receive_order), then call what follows explicitly, in the
same transaction: the update of a sale already imported from the order, and the studio's
auto-import of a new order. Whatever arrives ends as an Inbox item: the order when it maps
and stores, else a "needs attention" item keeping the payload and the reason. Only a fault
of Cyan's own (the database unreachable) escapes, so the provider retries and the poll
stops there.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

from django.db import DataError, transaction

from accounts.models import Studio
from core import limits
from events import services as events
from galleries import providers
from galleries.models import GalleryLink
from galleries.providers.base import OrderMappingError
from galleries.schema import GalleryOrder
from galleries.services import note_order_received, note_order_received_for_account
from inbox import notices
from inbox.auto_import import auto_import_when_enabled
from inbox.imported_updates import update_imported_sale
from inbox.selectors import latest_order_document
from inbox.services import (
    NewOrder,
    Receipt,
    append_delivery_note,
    receive_new_orders,
    receive_order,
    receive_unreadable,
)

logger = logging.getLogger(__name__)


def storable_key(raw_key: str) -> str:
    """A delivery key that fits its column: the key itself, or a digest of it when it is
    too long or holds characters no column can keep (the same key → the same digest)."""
    if len(raw_key) <= limits.DELIVERY_KEY and not limits.forbidden_characters(raw_key):
        return raw_key
    digest = hashlib.sha256(raw_key.encode("utf-8", "surrogatepass")).hexdigest()
    return f"sha256:{digest}"


def payload_text(payload: Any) -> str:
    """The JSON text of a payload as a column can keep it (NUL and lone surrogates escaped)."""
    text = json.dumps(payload, ensure_ascii=False)
    return json.dumps(payload) if limits.forbidden_characters(text) else text


def take_in(
    *,
    studio: Studio,
    provider: str,
    account_id: str,
    raw: Any,
    raw_payload: str,
    channel: str,
    delivery_key: str,
    event_type: str = "",
    link: GalleryLink | None = None,
) -> Receipt:
    """Map `raw` (the provider's order document) and take it in, or keep it as "needs
    attention" with the reason. `link`, when the caller holds it, saves a look-up."""
    gallery = providers.get(provider)
    key = storable_key(delivery_key)
    event_type = limits.storable(event_type, limits.EVENT_TYPE)
    completed = _with_previous(gallery, raw, studio=studio, account_id=account_id)
    if completed is not raw:  # the item keeps the whole document the order was read from
        raw, raw_payload = completed, payload_text(completed)
    try:
        order = gallery.map_order(raw if isinstance(raw, dict) else {}, account_id=account_id)
        return take_in_normalized(
            studio=studio,
            order=order,
            raw_payload=raw_payload,
            channel=channel,
            delivery_key=key,
            event_type=event_type,
            link=link,
        )
    except OrderMappingError as exc:
        reason = str(exc)
    except DataError as exc:
        # The schema keeps within the columns (core.limits); should a field ever slip
        # through, the order is still kept, not refused until the provider gives up.
        logger.exception("Inbox could not store a %s order for studio %s", provider, studio.pk)
        reason = f"could not be stored: {str(exc).splitlines()[0] if str(exc) else 'data error'}"
    receipt = receive_unreadable(
        studio=studio,
        source=provider,
        account_id=account_id,
        external_id=gallery.order_id_of(raw),
        raw_payload=raw_payload,
        error=reason,
        channel=channel,
        delivery_key=key,
        event_type=event_type,
    )
    _note_arrival(receipt, studio=studio, provider=provider, account_id=account_id, link=link)
    return receipt


def _with_previous(gallery: Any, raw: Any, *, studio: Studio, account_id: str) -> Any:
    """A provider that reports some changes without the order (ShootProof's deletions)
    gets the last version the Inbox kept, through its optional `with_previous`."""
    complete = getattr(gallery, "with_previous", None)
    if complete is None:
        return raw
    return complete(
        raw,
        previous=lambda: latest_order_document(
            studio=studio,
            provider=gallery.name,
            account_id=account_id,
            order_id=gallery.order_id_of(raw),
        ),
    )


def take_in_normalized(
    *,
    studio: Studio,
    order: GalleryOrder,
    raw_payload: str,
    channel: str,
    delivery_key: str,
    event_type: str = "",
    link: GalleryLink | None = None,
) -> Receipt:
    """Store one version of a normalized order and run what follows, in one transaction:
    a sale imported from the order follows it (its changes are noted on the delivery),
    and a new order is auto-imported when the studio asked for it (enqueued with the commit)."""
    with transaction.atomic():
        receipt = receive_order(
            studio=studio,
            order=order,
            raw_payload=raw_payload,
            channel=channel,
            delivery_key=storable_key(delivery_key),
            event_type=limits.storable(event_type, limits.EVENT_TYPE),
        )
        _follow(receipt, order)
    _note_arrival(
        receipt, studio=studio, provider=order.provider, account_id=order.account_id, link=link
    )
    return receipt


def take_in_new_orders(*, orders: list[NewOrder], links: list[GalleryLink | None]) -> list[Receipt]:
    """take_in_normalized for many orders the Inbox does not hold yet (see
    inbox.services.receive_new_orders), in one transaction: the batched intake's common
    case, a new order from a webhook. `links[i]` is the link of `orders[i]`, when known."""
    with transaction.atomic():
        receipts = receive_new_orders(orders=orders)
        items = [receipt.item for receipt in receipts]
        events.record_inbox_events(items=items, created=True)  # as _follow does, in bulk
        notices.orders_arrived(items)
        for item in items:
            auto_import_when_enabled(item)
    for receipt, new, link in zip(receipts, orders, links, strict=True):
        order = new.order
        _note_arrival(
            receipt, studio=new.studio, provider=order.provider, account_id=order.account_id,
            link=link,
        )  # fmt: skip
    return receipts


def _follow(receipt: Receipt, order: GalleryOrder) -> None:
    """What follows a stored version, in its transaction: a sale imported from the order
    follows it, the outbox and the studio hear of it, a new order may be auto-imported."""
    if receipt.updated_imported_order and receipt.delivery is not None:
        note = update_imported_sale(receipt.item, order, receipt.previous)
        append_delivery_note(delivery=receipt.delivery, note=note)
        if receipt.previous is not None:
            notices.imported_order_changed(receipt.item, receipt.previous, order)
    if receipt.changed:  # the outbox: a new order, or a new version of one
        events.record_inbox_event(item=receipt.item, created=receipt.created)
    if receipt.created:
        notices.order_arrived(receipt.item)
        auto_import_when_enabled(receipt.item)


def _note_arrival(
    receipt: Receipt,
    *,
    studio: Studio,
    provider: str,
    account_id: str,
    link: GalleryLink | None,
) -> None:
    """A new order shows as "last order received" on the provider's link."""
    if not receipt.created:
        return
    if link is not None:
        note_order_received(link=link)
    else:
        note_order_received_for_account(studio=studio, provider=provider, account_id=account_id)
