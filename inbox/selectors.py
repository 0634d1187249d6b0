"""Reads of the Inbox, always scoped by studio; keyset pagination so page 2,000 is as fast
as page 1 at 100k items."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet

from accounts.models import Studio
from inbox.models import SOURCE_LABELS, InboxItem, WebhookDelivery

PAGE_SIZE = 50
# The Inbox's filter for imported orders the gallery changed afterwards (not a state).
CHANGED_SINCE_IMPORT = "changed"


@dataclass(frozen=True)
class InboxPage:
    items: list[InboxItem]
    next_before: int | None
    newer_after: int | None


def inbox_items(
    *, studio: Studio, state: str = "", source: str = "", query: str = ""
) -> QuerySet[InboxItem]:
    items = InboxItem.objects.filter(studio=studio)
    if state == CHANGED_SINCE_IMPORT:
        items = changed_since_import(studio=studio)
    elif state:
        items = items.filter(state=state)
    if source:
        items = items.filter(source=source)
    if query.strip():
        items = items.filter(_search(studio, query.strip()))
    return items.order_by("-id")


def _search(studio: Studio, query: str) -> Q:
    """An email or an order number is looked up exactly, on its index; an OR with a name
    search would make every search scan the table. Names match by the start of a word."""
    if "@" in query:
        return Q(customer_email=query.lower())
    if any(ch.isdigit() for ch in query) and " " not in query:
        # Two index lookups, not an OR (which the planners answer by walking the table).
        mine = InboxItem.objects.filter(studio=studio)
        by_number = mine.filter(order_number__in={query, query.upper()})
        by_id = mine.filter(external_id=query)
        ids = [
            *by_number.values_list("id", flat=True)[:500],
            *by_id.values_list("id", flat=True)[:500],
        ]
        return Q(id__in=ids)
    return Q(customer_name__istartswith=query) | Q(customer_name__icontains=f" {query}")


def inbox_page(
    *,
    studio: Studio,
    state: str = "",
    source: str = "",
    query: str = "",
    before: int | None = None,
    after: int | None = None,
    size: int = PAGE_SIZE,
) -> InboxPage:
    """One page of items newest first: `before` an id (older page) or `after` one (newer)."""
    items = inbox_items(studio=studio, state=state, source=source, query=query)
    if after is not None:
        rows = list(items.filter(id__gt=after).order_by("id")[: size + 1])
        has_newer = len(rows) > size
        rows = list(reversed(rows[:size]))
        has_older = bool(rows) and items.filter(id__lt=rows[-1].id).exists()
    else:
        if before is not None:
            items = items.filter(id__lt=before)
        rows = list(items[: size + 1])
        has_older = len(rows) > size
        rows = rows[:size]
        has_newer = before is not None and bool(rows)
    return InboxPage(
        items=rows,
        next_before=rows[-1].id if has_older and rows else None,
        newer_after=rows[0].id if has_newer and rows else None,
    )


def get_item(*, studio: Studio, pk: int) -> InboxItem:
    return InboxItem.objects.get(studio=studio, pk=pk)


def item_with_history(*, studio: Studio, pk: int) -> InboxItem:
    return InboxItem.objects.prefetch_related("deliveries").get(studio=studio, pk=pk)


def unread_count(*, studio: Studio) -> int:
    return InboxItem.objects.filter(
        studio=studio,
        read_at__isnull=True,
        state__in=[InboxItem.State.NEW, InboxItem.State.NEEDS_ATTENTION],
    ).count()


def waiting_to_import_count(*, studio: Studio) -> int:
    """Orders waiting to be imported, read or not: the Inbox badge and Home's count."""
    return InboxItem.objects.filter(
        studio=studio, state=InboxItem.State.NEW, kind=InboxItem.Kind.ORDER
    ).count()


def changed_since_import(*, studio: Studio) -> QuerySet[InboxItem]:
    """Imported orders that a later version changed (refunded, cancelled, re-totalled)."""
    return InboxItem.objects.filter(
        studio=studio, state=InboxItem.State.IMPORTED, changed_after_import_at__isnull=False
    )


def latest_order_document(
    *, studio: Studio, provider: str, account_id: str, order_id: str
) -> dict | None:
    """The provider's document of the latest readable version the Inbox kept of an order
    (None when there is none): what a deletion that names only the order is applied to."""
    if not order_id:
        return None
    item = (
        InboxItem.objects.filter(
            studio=studio, source=provider, account_id=account_id, external_id=order_id
        )
        .filter(normalized__isnull=False)
        .only("raw_payload")
        .first()
    )
    if item is None:
        return None
    try:
        document = json.loads(item.raw_payload)
    except ValueError:
        return None
    return document if isinstance(document, dict) else None


# -- Arriving: accepted webhooks not yet processed (inbox.accepting) -----------------------

ARRIVING_LIMIT = 50


@dataclass(frozen=True)
class Arriving:
    """An accepted webhook delivery the intake task has not turned into an item yet."""

    id: int
    source: str
    account_id: str
    external_id: str
    event_type: str
    received_at: datetime
    error: str  # why processing failed so far ("" while it simply waits)

    @property
    def state(self) -> str:
        return "failed" if self.error else "arriving"

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS.get(self.source, self.source.title())


def arriving_deliveries(
    *, studio: Studio, source: str = "", limit: int = ARRIVING_LIMIT
) -> list[Arriving]:
    """What is on its way into the Inbox, newest first: shown above the items so an order
    is never hidden between its 2xx and its processing (or when processing failed)."""
    rows = WebhookDelivery.objects.filter(studio=studio, processed_at__isnull=True)
    if source:
        rows = rows.filter(provider=source)
    return [_arriving(delivery) for delivery in rows.order_by("-id")[:limit]]


def _arriving(delivery: WebhookDelivery) -> Arriving:
    return Arriving(
        id=delivery.pk,
        source=delivery.provider,
        account_id=delivery.account_id,
        external_id=_order_id(delivery),
        event_type=delivery.event_type,
        received_at=delivery.received_at,
        error=delivery.error,
    )


def _order_id(delivery: WebhookDelivery) -> str:
    """The order id inside the stored body, "" when it cannot be read."""
    from galleries import providers

    try:
        gallery = providers.get(delivery.provider)
        return gallery.order_id_of(gallery.order_in_delivery(json.loads(delivery.body)))
    except (ValueError, LookupError, TypeError, AttributeError, RecursionError):
        return ""
