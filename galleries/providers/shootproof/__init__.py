"""ShootProof: the second gallery provider, on ShootProof's public Studio API.

Polling only (ShootProof has no webhooks). Each poll first reads the brand's notification
feed, newest first — the cheap check: the cursor is the newest notification id seen, and
when nothing is newer (and this is not a full reconcile) the poll ends there with one
request. Otherwise it lists orders most recently updated first, page by page, until one
older than the plan's `since`, and fetches the items and payments of the orders the new
notifications name (of every order in the window on a full reconcile: the first poll's
90-day backfill, daily, and "Sync now"). Deletions name only the order: see with_previous.
Cadence: CYAN_SHOOTPROOF_POLL_SECONDS (default 120) while orders arrive, doubling to
CYAN_SHOOTPROOF_POLL_MAX_SECONDS (default 900) when quiet.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils.dateparse import parse_datetime

from core.providers import Provider
from galleries.providers.base import (
    PolledOrder,
    PollOutcome,
    PollPlan,
    ProviderError,
    version_key,
)
from galleries.providers.shootproof.client import ShootProofClient
from galleries.providers.shootproof.orders import map_order, order_id_of
from galleries.schema import GalleryOrder

BACKFILL = timedelta(days=90)
NOTIFICATION_ROWS = 50
MAX_NOTIFICATION_PAGES = 20  # 1,000 notifications since the last poll: list the orders anyway
ORDER_ROWS = 100


class ShootProofProvider:
    name = Provider.SHOOTPROOF.value
    label = Provider.SHOOTPROOF.label
    has_webhooks = False
    chooses_account = True  # one login, several brands: the photographer picks one

    def client(self) -> ShootProofClient:
        return ShootProofClient()

    def map_order(self, raw: Mapping[str, Any], *, account_id: str) -> GalleryOrder:
        return map_order(raw, account_id=account_id)

    def order_id_of(self, raw: Any) -> str:
        return order_id_of(raw)

    def with_previous(self, raw: Any, *, previous: Callable[[], Any]) -> Any:
        """A deletion names only the order (ShootProof answers 404 for it from then on):
        the intake hands over the last version Cyan kept, and the deletion marks that one
        cancelled. Any other document is returned as it is; `previous` is not called."""
        if not isinstance(raw, Mapping) or raw.get("order") is not None:
            return raw
        if not isinstance(raw.get("deleted"), Mapping):
            return raw
        before = previous()
        if not isinstance(before, Mapping) or not isinstance(before.get("order"), Mapping):
            return raw  # nothing kept: the mapper says so ("kept no earlier version")
        return {**before, "deleted": raw["deleted"]}

    def poll(
        self, *, client: ShootProofClient, access_token: str, account_id: str, plan: PollPlan
    ) -> PollOutcome:
        cursor = _cursor_id(plan.cursor)
        fresh, complete = _new_notifications(client, access_token, account_id, cursor)
        newest = max([n["id"] for n in fresh], default=cursor)
        # "0": the feed was read and held nothing, so any notification later is new.
        new_cursor = str(newest if newest is not None else 0)
        if not fresh and cursor is not None and not plan.full:
            return PollOutcome(orders=(), cursor=new_cursor, busy=False)
        since = plan.since
        if plan.full:
            since = min(since, datetime.now(UTC) - BACKFILL)
        # Between full reconciles only the orders the feed names have changed: the others
        # in the window were read by an earlier poll (whose cursor moved only once it
        # went through), so their items and payments are not fetched again.
        # (A feed read only in part — over MAX_NOTIFICATION_PAGES — names too little.)
        wanted = None if plan.full or cursor is None or not complete else _named_orders(fresh)
        orders = _changed_orders(
            client, access_token, account_id, since, _deletions_of_seen_orders(fresh), wanted
        )
        return PollOutcome(orders=orders, cursor=new_cursor, busy=bool(fresh))

    def next_poll_delay(self, *, busy: bool, previous: timedelta | None) -> timedelta:
        """The base cadence while orders arrive; quiet polls double the wait up to the
        ceiling. A 429's Retry-After is applied by the scheduler on top (never sooner)."""
        base = _seconds("CYAN_SHOOTPROOF_POLL_SECONDS", 120)
        ceiling = _seconds("CYAN_SHOOTPROOF_POLL_MAX_SECONDS", 900)
        if busy or previous is None:
            return min(base, ceiling)
        return max(base, min(previous * 2, ceiling))


def _seconds(name: str, default: float) -> timedelta:
    return timedelta(seconds=float(getattr(settings, name, default)))


def _cursor_id(cursor: str) -> int | None:
    # "0" is a cursor too (no notification seen yet); isdigit() would pass '²' to int().
    text = (cursor or "").strip()
    return int(text) if text.isascii() and text.isdecimal() else None


def _new_notifications(
    client: ShootProofClient, access_token: str, brand_id: str, cursor: int | None
) -> tuple[list[dict], bool]:
    """Notifications newer than the cursor (all of the first page when there is none),
    and whether they are all of them (False when the pages ran out first)."""
    fresh: list[dict] = []
    for page in range(1, MAX_NOTIFICATION_PAGES + 1):
        body = client.notifications(
            access_token=access_token, brand_id=brand_id, page=page, rows=NOTIFICATION_ROWS
        )
        items = [n for n in body.get("items") or [] if isinstance(n.get("id"), int)]
        newer = [n for n in items if cursor is None or n["id"] > cursor]
        fresh.extend(newer)
        total_pages = (body.get("meta") or {}).get("totalPages") or page
        if cursor is None or len(newer) < len(items) or page >= total_pages:
            return fresh, True
    return fresh, False


def _deletions_of_seen_orders(fresh: list[dict]) -> list[dict]:
    """Deletion notices, except for orders placed since the last poll: Cyan never saw
    those (they are gone from the list already), so there is nothing to mark."""
    placed = {n.get("orderId") for n in fresh if n.get("notificationType") == "order-placed"}
    return [
        n
        for n in fresh
        if n.get("notificationType") == "order-deleted" and n.get("orderId") not in placed
    ]


def _named_orders(fresh: list[dict]) -> set[int]:
    """Orders the new notifications say changed, less those they say are deleted."""
    gone = {n.get("orderId") for n in fresh if n.get("notificationType") == "order-deleted"}
    named = {n.get("orderId") for n in fresh if isinstance(n.get("orderId"), int)}
    return named - gone


def _changed_orders(
    client: ShootProofClient,
    access_token: str,
    brand_id: str,
    since: datetime,
    deleted: list[dict],
    wanted: set[int] | None,
) -> Iterator[PolledOrder]:
    """Orders updated since `since` (only those in `wanted`, unless it is None), newest
    first, each with its items and payments; then one document per deleted order."""
    remaining = None if wanted is None else set(wanted)
    orders = client.orders(access_token=access_token, brand_id=brand_id, rows=ORDER_ROWS)
    for order in orders if remaining is None or remaining else ():
        updated_at = _moment(order.get("updatedAt"))
        if updated_at is not None and updated_at < since:
            break  # sorted by updatedAt desc: everything after is older still
        if remaining is not None:
            if order.get("id") not in remaining:
                continue
            remaining.discard(order.get("id"))
        polled = _with_details(client, access_token, brand_id, order)
        if polled is not None:
            yield polled
        if remaining is not None and not remaining:
            break  # every order the feed named is read: no further pages
    for order_id in sorted(remaining or ()):  # named, but outside the window: read it alone
        try:
            order = client.order(access_token=access_token, brand_id=brand_id, order_id=order_id)
        except ProviderError as exc:
            if exc.status == 404:
                continue  # deleted meanwhile: its notification follows
            raise
        polled = _with_details(client, access_token, brand_id, order)
        if polled is not None:
            yield polled
    for notice in deleted:
        yield deleted_document(notice, brand_id=brand_id)


def _with_details(
    client: ShootProofClient, access_token: str, brand_id: str, order: dict
) -> PolledOrder | None:
    """The order with its items and payments (None when it was deleted meanwhile)."""
    try:
        items = client.order_part(order, "items", access_token=access_token)
        payments = client.order_part(order, "payments", access_token=access_token)
    except ProviderError as exc:
        if exc.status == 404:
            return None  # deleted since the list was read; its notification follows
        raise
    return PolledOrder(
        raw={"order": order, "items": items, "payments": payments},
        version_key=version_key(
            brand_id,
            order.get("id"),
            order.get("updatedAt"),
            order.get("status"),
            order.get("amountPaid"),
            order.get("amountRefunded"),
            payments,
        ),
        updated_at=_moment(order.get("updatedAt")),
    )


def deleted_document(notice: Mapping[str, Any], *, brand_id: str) -> PolledOrder:
    """The document for an order ShootProof deleted (404 from then on): its id and when.
    `order` is filled in by the intake from the last version Cyan kept (with_previous)."""
    raw = {
        "order": None,
        "deleted": {
            "orderId": notice.get("orderId"),
            "at": notice.get("createdAt"),
            "notificationId": notice.get("id"),
            "message": notice.get("message") or "",
        },
    }
    return PolledOrder(
        raw=raw,
        version_key=f"{brand_id}:{notice.get('orderId')}@deleted:{notice.get('id')}",
        updated_at=None,  # a deletion does not move the listing's high-water mark
    )


def _moment(value: Any) -> datetime | None:
    try:
        moment = parse_datetime(str(value or ""))
    except ValueError:
        return None
    return moment if moment is not None and moment.tzinfo is not None else None


PROVIDER = ShootProofProvider()

__all__ = ["PROVIDER", "ShootProofClient", "ShootProofProvider"]
