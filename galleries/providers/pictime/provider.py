"""Pic-Time as a GalleryProvider: webhooks are the fast path, a poll every
CYAN_POLL_INTERVAL_SECONDS the safety net (GET /orders?updated_since=…, cursor paging)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils.dateparse import parse_datetime

from core import limits
from core.providers import Provider
from galleries.providers.base import (
    OrderMappingError,
    PolledOrder,
    PollOutcome,
    PollPlan,
    VerifiedDelivery,
    version_key,
)
from galleries.providers.pictime import orders, webhooks
from galleries.providers.pictime.client import PicTimeClient
from galleries.schema import GalleryOrder

PAGE_LIMIT = 100
MAX_PAGES = 1000
DEFAULT_POLL_SECONDS = 300


class PicTimeProvider:
    name = Provider.PICTIME.value
    label = Provider.PICTIME.label
    has_webhooks = True
    chooses_account = False  # one login is one account

    def client(self) -> PicTimeClient:
        """The configured client (PICTIME_* settings). Tests replace this attribute on
        PROVIDER to talk to testkit.fakes.FakePicTime."""
        return PicTimeClient()

    def map_order(self, raw: Mapping[str, Any], *, account_id: str) -> GalleryOrder:
        """The order, when it is the account's that it arrived for: `account_id` is the
        link's (whose webhook secret verified it, whose token polled it). An order naming
        another account is refused, so the Inbox keeps it flagged under the link's
        account rather than filing it as another account's order."""
        order = orders.map_order(raw)
        if order.account_id != account_id:
            raise OrderMappingError(
                f"the order names Pic-Time account {order.account_id!r}, but it arrived for "
                f"account {account_id!r} (this studio's link): kept here for review, not "
                "filed under another account"
            )
        return order

    def verify_delivery(self, *, body: bytes, headers: Mapping[str, str]) -> VerifiedDelivery:
        return webhooks.verify_delivery(body=body, headers=headers)

    def order_in_delivery(self, payload: Mapping[str, Any]) -> Any:
        return webhooks.order_in_delivery(payload)

    def poll(
        self, *, client: Any, access_token: str, account_id: str, plan: PollPlan
    ) -> PollOutcome:
        """Every order updated since `plan.since`; Pic-Time has no cheaper check, so a full
        reconcile is the same query from an older `since` and the cursor stays empty."""
        return PollOutcome(orders=self._orders(client, access_token, account_id, plan.since))

    def _orders(
        self, client: Any, access_token: str, account_id: str, since: datetime
    ) -> Iterator[PolledOrder]:
        cursor: str | None = None
        for _ in range(MAX_PAGES):
            page = client.list_orders(
                access_token=access_token, updated_since=since, cursor=cursor, limit=PAGE_LIMIT
            )
            for raw in page.orders:
                yield self.polled_order(raw, account_id=account_id)
            cursor = page.next_cursor
            if not cursor:
                return

    def polled_order(self, raw: Any, *, account_id: str) -> PolledOrder:
        fields = raw if isinstance(raw, dict) else {}
        # The account is part of the key: another account's order with the same id and
        # version is another order, not this delivery again.
        key = (
            version_key(
                account_id,
                fields.get("id"),
                fields.get("updated_at"),
                fields.get("status"),
                fields.get("amount_paid"),
                fields.get("refunds"),
            )
            if fields
            else ""
        )
        return PolledOrder(
            raw=raw, version_key=key, updated_at=_aware_timestamp(fields.get("updated_at"))
        )

    def next_poll_delay(self, *, busy: bool, previous: timedelta | None) -> timedelta:
        # Webhooks bring orders at once; polling only catches what they missed.
        return timedelta(
            seconds=getattr(settings, "CYAN_POLL_INTERVAL_SECONDS", DEFAULT_POLL_SECONDS)
        )

    def order_id_of(self, raw: Any) -> str:
        """The order's id when it is one a column can keep, else "" (the item is then
        keyed by its delivery)."""
        order_id = raw.get("id") if isinstance(raw, dict) else None
        if not isinstance(order_id, str) or not order_id:
            return ""
        if len(order_id) > limits.ORDER_ID or limits.forbidden_characters(order_id):
            return ""
        return order_id


def _aware_timestamp(value: object) -> datetime | None:
    """`value` as an aware datetime, or None when it is not one (naive, malformed…)."""
    try:
        moment = parse_datetime(str(value or ""))
    except ValueError:
        return None
    return moment if moment is not None and moment.tzinfo is not None else None
