"""Polling, the same for every provider: fetch what changed since the link's high-water
mark, take each order in through inbox.intake, keep the provider's cursor and say when
the next poll is due.

The provider decides how it polls (galleries.providers.<name>: a cheap check first, which
pages) and how often (next_poll_delay); this module does what is common: a usable token
(refreshed on a 401, once), errors shown on the link, the mark only moving forward, and
the schedule. For a provider with webhooks polling is the safety net; for one without, it
is the way in. The window overlaps the previous poll and the inbox dedupes by order
version, so an order seen twice is still one item.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import ngettext

from accounts.models import Studio
from core import metrics
from core.limits import storable
from galleries import providers
from galleries.models import GalleryLink
from galleries.providers.base import (
    GalleryProvider,
    PolledOrder,
    PollOutcome,
    PollPlan,
    ProviderAuthError,
    ProviderError,
)
from galleries.services import clear_link_error
from galleries.tokens import (
    LinkNeedsRelink,
    get_access_token,
    record_link_error,
    refresh_link_tokens,
)
from inbox.intake import payload_text, take_in
from inbox.models import InboxDelivery, InboxItem

logger = logging.getLogger(__name__)

OVERLAP = timedelta(minutes=10)
BACKFILL = timedelta(days=90)
# A full reconcile runs when the last one is older than this (and on "Sync now").
FULL_SYNC_EVERY = timedelta(hours=24)


@dataclass
class PollResult:
    fetched: int = 0
    created: int = 0
    updated: int = 0
    unreadable: int = 0
    error: str = ""
    full: bool = False
    high_water_mark: datetime | None = None
    next_poll_at: datetime | None = None
    items: list[int] = field(default_factory=list)


def poll_link(*, link: GalleryLink, full: bool = False) -> PollResult:
    """Fetch and store every order changed since the high-water mark (minus the overlap),
    or, for a full reconcile (`full`, the first poll, or a day since the last), since
    BACKFILL ago. Never raises for the provider's faults: they are recorded on the link."""
    provider = providers.get(link.provider)
    started = timezone.now()
    plan = _plan(link, full=full, now=started)
    result = PollResult(full=plan.full)
    newest = link.sync_high_water_mark
    outcome: PollOutcome | None = None
    retry_after: float | None = None
    try:
        outcome, newest = _poll(link, provider, plan, result, newest)
    except LinkNeedsRelink as exc:
        result.error = str(exc)  # the link's status says so already
    except Exception as exc:
        # Whatever stopped this poll, the studio sees it now, not an older error; the
        # orders stored so far still move the mark, and the cursor stays where it was.
        if isinstance(exc, ProviderError):
            logger.warning("Polling %s link %s failed: %s", link.provider, link.pk, exc)
            result.error = str(exc)
            retry_after = exc.retry_after
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
    result.next_poll_at = _schedule(
        link, provider, outcome, result, started=started, retry_after=retry_after
    )
    metrics.poll_finished(link.provider, failed=bool(result.error))
    return result


def _plan(link: GalleryLink, *, full: bool, now: datetime) -> PollPlan:
    last_full = link.last_full_sync_at
    full = full or last_full is None or now - last_full >= FULL_SYNC_EVERY
    if full or link.sync_high_water_mark is None:
        since = now - BACKFILL
    else:
        since = min(link.sync_high_water_mark, now) - OVERLAP
    return PollPlan(since=since, full=full, cursor=link.poll_cursor)


def _poll(
    link: GalleryLink,
    provider: GalleryProvider,
    plan: PollPlan,
    result: PollResult,
    newest: datetime | None,
) -> tuple[PollOutcome, datetime | None]:
    """Run the provider's poll with a usable token; on a 401 (even pages in), refresh the
    tokens and run it once more (what was stored already dedupes)."""
    client = provider.client()
    token = get_access_token(link=link)
    for attempt in (1, 2):
        try:
            outcome = provider.poll(
                client=client, access_token=token, account_id=link.provider_account_id, plan=plan
            )
            newest = _take_in_all(link, outcome.orders, result, newest)
        except ProviderAuthError:
            if attempt == 2:
                raise
            token = refresh_link_tokens(link=link, rejected_access_token=token)
            continue
        return outcome, newest
    raise AssertionError("unreachable")  # pragma: no cover


def _take_in_all(
    link: GalleryLink,
    orders: Iterable[PolledOrder],
    result: PollResult,
    newest: datetime | None,
) -> datetime | None:
    for polled in orders:
        _take_in_polled(link, polled, result)
        newest = _later(newest, polled.updated_at)
    return newest


def _take_in_polled(link: GalleryLink, polled: PolledOrder, result: PollResult) -> None:
    """Store one polled order (or keep it as needs attention) and count what it was."""
    result.fetched += 1
    payload = payload_text(polled.raw)
    receipt = take_in(
        studio=link.studio,
        provider=link.provider,
        account_id=link.provider_account_id,
        raw=polled.raw,
        raw_payload=payload,
        channel=InboxDelivery.Channel.POLL,
        # Without a version key (not an order document at all) the payload is the key.
        delivery_key=polled.version_key or payload,
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


def _schedule(
    link: GalleryLink,
    provider: GalleryProvider,
    outcome: PollOutcome | None,
    result: PollResult,
    *,
    started: datetime,
    retry_after: float | None,
) -> datetime:
    """Keep what this poll learnt on the link: the provider's new cursor and, after a
    full reconcile that went through, its time (both only when the poll succeeded, so a
    failed one is retried from where it was), and when the next poll is due."""
    previous = (
        timedelta(seconds=link.poll_delay_seconds) if link.poll_delay_seconds is not None else None
    )
    busy = bool(outcome and outcome.busy) or result.created + result.updated > 0
    delay = provider.next_poll_delay(busy=busy, previous=previous)
    if retry_after:
        delay = max(delay, timedelta(seconds=retry_after))
    fields = {
        "next_poll_at": started + delay,
        "poll_delay_seconds": int(delay.total_seconds()),
        "last_poll_finished_at": timezone.now(),
        "last_poll_summary": storable(poll_summary(result), 300),
    }
    if outcome is not None and not result.error:
        fields["poll_cursor"] = storable(outcome.cursor, 500)
        if result.full:
            fields["last_full_sync_at"] = started
    GalleryLink.objects.filter(pk=link.pk).update(**fields)
    for name, value in fields.items():
        setattr(link, name, value)
    return fields["next_poll_at"]


def poll_summary(result: PollResult) -> str:
    """What a poll did, as the studio reads it: "2 new orders, 1 updated", "nothing new",
    "could not check: …"."""
    if result.error:
        return f"could not check: {result.error}"
    parts = []
    if result.created:
        parts.append(ngettext("%d new order", "%d new orders", result.created) % result.created)
    if result.updated:
        parts.append(ngettext("%d updated", "%d updated", result.updated) % result.updated)
    if result.unreadable:
        parts.append(
            ngettext("%d needs attention", "%d need attention", result.unreadable)
            % result.unreadable
        )
    return ", ".join(parts) or "nothing new"


def linked_links(studio: Studio | None = None) -> QuerySet[GalleryLink]:
    """Links that can be polled: every studio's, or one studio's."""
    links = GalleryLink.objects.select_related("studio").filter(status=GalleryLink.Status.LINKED)
    return links if studio is None else links.filter(studio=studio)


def due_links(now: datetime) -> QuerySet[GalleryLink]:
    """Linked links whose next poll is due (never polled: due now)."""
    return linked_links().filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))
