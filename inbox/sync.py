"""The polling safety net: fetch every order updated since the link's high-water mark.

Webhooks are the fast path; polling catches whatever they missed (receiver down, a
dropped delivery). The window overlaps the previous poll, and the inbox dedupes by
order version, so an order seen twice is still one item.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.models import Studio
from core.limits import storable
from galleries import providers
from galleries.models import GalleryLink
from galleries.providers.base import ProviderError
from galleries.services import clear_link_error
from galleries.tokens import LinkNeedsRelink, call_with_access_token, record_link_error
from inbox.intake import payload_text, take_in
from inbox.models import InboxDelivery, InboxItem

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
    started = timezone.now()
    since = _poll_since(link)
    client = providers.get(link.provider).client()
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
    except LinkNeedsRelink as exc:
        result.error = str(exc)  # the link's status says so already
    except Exception as exc:
        # Whatever stopped this poll, the studio sees it now, not an older error; the
        # orders stored so far still move the mark.
        if isinstance(exc, ProviderError):
            logger.warning("Polling %s link %s failed: %s", link.provider, link.pk, exc)
            result.error = str(exc)
        else:
            logger.exception("Polling %s link %s failed", link.provider, link.pk)
            result.error = "an unexpected error (see Cyan's log)"
        record_link_error(link=link, message=storable(f"Polling failed: {result.error}", 2000))
    else:
        clear_link_error(link=link)
    # Never past this poll's own start: a provider clock (or an order) from the future
    # must not make the next polls skip what changes meanwhile.
    newest = min(newest, started) if newest is not None else None
    _advance_high_water_mark(link, newest, now=started)
    result.high_water_mark = newest
    return result


def _poll_since(link: GalleryLink) -> datetime:
    now = timezone.now()
    if link.sync_high_water_mark is None:
        return now - BACKFILL
    return min(link.sync_high_water_mark, now) - OVERLAP


def _store_polled_order(link: GalleryLink, raw: object, result: PollResult) -> datetime | None:
    """Store one polled order (or keep it as needs attention); its updated_at, if any."""
    result.fetched += 1
    fields = raw if isinstance(raw, dict) else {}
    payload = payload_text(raw)
    # The account is part of the key: another account's order with the same id and
    # version is another order, not this delivery again.
    key = (
        f"{link.provider_account_id}:{fields.get('id')}@{fields.get('updated_at')}"
        if fields
        else payload
    )
    receipt = take_in(
        studio=link.studio,
        provider=link.provider,
        account_id=link.provider_account_id,
        raw=raw,
        raw_payload=payload,
        channel=InboxDelivery.Channel.POLL,
        delivery_key=key,
        event_type="poll",
        link=link,
    )
    result.items.append(receipt.item.pk)
    if receipt.item.state == InboxItem.State.NEEDS_ATTENTION and receipt.changed:
        result.unreadable += 1
    elif receipt.created:
        result.created += 1
    elif receipt.changed:
        result.updated += 1
    return _aware_timestamp(fields.get("updated_at"))


def _aware_timestamp(value: object) -> datetime | None:
    """`value` as an aware datetime, or None when it is not one (naive, malformed…)."""
    try:
        moment = parse_datetime(str(value or ""))
    except ValueError:
        return None
    return moment if moment is not None and moment.tzinfo is not None else None


def _later(a: datetime | None, b: datetime | None) -> datetime | None:
    if a is None or b is None:
        return a or b
    return max(a, b)


def _advance_high_water_mark(link: GalleryLink, newest: datetime | None, *, now: datetime) -> None:
    if newest is None:
        return
    # Only forward: two polls finishing out of order must not move the mark back. A
    # mark in the future (left by an order dated ahead before the cap) is brought back.
    GalleryLink.objects.filter(pk=link.pk).filter(
        Q(sync_high_water_mark__isnull=True)
        | Q(sync_high_water_mark__lt=newest)
        | Q(sync_high_water_mark__gt=now)
    ).update(sync_high_water_mark=newest)
    link.refresh_from_db(fields=["sync_high_water_mark"])


def linked_links(studio: Studio | None = None) -> QuerySet[GalleryLink]:
    """Links that can be polled: every studio's, or one studio's."""
    links = GalleryLink.objects.select_related("studio").filter(status=GalleryLink.Status.LINKED)
    return links if studio is None else links.filter(studio=studio)
