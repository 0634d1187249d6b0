"""The polling safety net: fetch every order updated since the link's high-water mark.

Webhooks are the fast path; polling catches whatever they missed (receiver down, a
dropped delivery). The window overlaps the previous poll, and the inbox dedupes by
order version, so an order seen twice is still one item.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.models import Studio
from galleries import providers
from galleries.models import GalleryLink
from galleries.providers.base import ProviderError
from galleries.providers.pictime_orders import OrderMappingError, map_order
from galleries.services import note_order_received
from galleries.tokens import LinkNeedsRelink, call_with_access_token, record_link_error
from inbox.models import InboxDelivery
from inbox.services import receive_order, receive_unreadable

logger = logging.getLogger(__name__)

OVERLAP = timedelta(minutes=10)
BACKFILL = timedelta(days=90)
PAGE_LIMIT = 100
MAX_PAGES = 1000


@dataclass
class PollResult:
    fetched: int = 0
    created: int = 0
    updated: int = 0
    unreadable: int = 0
    error: str = ""
    high_water_mark: datetime | None = None
    items: list[int] = field(default_factory=list)


def poll_link(*, link: GalleryLink) -> PollResult:
    """Fetch and store every order updated since the high-water mark (minus the overlap)."""
    result = PollResult()
    since = _poll_since(link)
    client = providers.get_client(link.provider)
    cursor: str | None = None
    newest = link.sync_high_water_mark
    try:
        for _ in range(MAX_PAGES):
            page = call_with_access_token(
                link=link,
                call=lambda token, c=cursor: client.list_orders(
                    access_token=token, updated_since=since, cursor=c, limit=PAGE_LIMIT
                ),
            )
            for raw in page.orders:
                newest = _later(newest, _store_polled_order(link, raw, result))
            cursor = page.next_cursor
            if not cursor:
                break
    except (LinkNeedsRelink, ProviderError) as exc:
        result.error = str(exc)
        if isinstance(exc, ProviderError):
            record_link_error(link=link, message=f"Polling failed: {exc}")
    _advance_high_water_mark(link, newest)
    result.high_water_mark = newest
    return result


def _poll_since(link: GalleryLink) -> datetime:
    if link.sync_high_water_mark is None:
        return timezone.now() - BACKFILL
    return link.sync_high_water_mark - OVERLAP


def _store_polled_order(link: GalleryLink, raw: dict, result: PollResult) -> datetime | None:
    result.fetched += 1
    updated_at = parse_datetime(str(raw.get("updated_at") or ""))
    # The account is part of the key: another account's order with the same id and
    # version is another order, not this delivery again.
    key = f"{link.provider_account_id}:{raw.get('id')}@{raw.get('updated_at')}"
    payload = json.dumps(raw, ensure_ascii=False)
    try:
        order = map_order(raw)
    except OrderMappingError as exc:
        result.unreadable += 1
        receipt = receive_unreadable(
            studio=link.studio,
            source=link.provider,
            account_id=link.provider_account_id,
            external_id=str(raw.get("id") or "")[:100],
            raw_payload=payload,
            error=str(exc),
            channel=InboxDelivery.Channel.POLL,
            delivery_key=key,
        )
        result.items.append(receipt.item.pk)
        return updated_at
    receipt = receive_order(
        studio=link.studio,
        order=order,
        raw_payload=payload,
        channel=InboxDelivery.Channel.POLL,
        delivery_key=key,
        event_type="poll",
    )
    result.items.append(receipt.item.pk)
    if receipt.created:
        result.created += 1
        note_order_received(link=link)
    elif receipt.changed:
        result.updated += 1
    return order.updated_at


def _later(a: datetime | None, b: datetime | None) -> datetime | None:
    if a is None or b is None:
        return a or b
    return max(a, b)


def _advance_high_water_mark(link: GalleryLink, newest: datetime | None) -> None:
    if newest is None:
        return
    # Only forward: two polls finishing out of order must not move the mark back.
    GalleryLink.objects.filter(pk=link.pk).filter(
        Q(sync_high_water_mark__isnull=True) | Q(sync_high_water_mark__lt=newest)
    ).update(sync_high_water_mark=newest)
    link.sync_high_water_mark = max(filter(None, [link.sync_high_water_mark, newest]))


def linked_links(studio: Studio | None = None) -> QuerySet[GalleryLink]:
    """Links that can be polled: every studio's, or one studio's."""
    links = GalleryLink.objects.select_related("studio").filter(status=GalleryLink.Status.LINKED)
    return links if studio is None else links.filter(studio=studio)
