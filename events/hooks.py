"""Zapier REST hooks on the outbox: subscribe, unsubscribe, and samples for performList.

A subscription is a WebhookEndpoint of kind REST_HOOK with one event: deliveries to it are
recorded, signed, retried and logged exactly as an endpoint's; a 410 from its target
deletes it (events/delivery.py)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Studio
from events import payloads
from events.models import WebhookEndpoint
from events.services import create_endpoint

SAMPLE_LIMIT = 10


API_FIELDS = {"url": "target_url", "events": "event"}


def subscribe(*, studio: Studio, target_url: str, event: str) -> tuple[WebhookEndpoint, str]:
    """A subscription and its secret; ValidationError names the API's fields."""
    try:
        return create_endpoint(
            studio=studio,
            url=target_url,
            events=[event],
            description="Zapier REST hook",
            kind=WebhookEndpoint.Kind.REST_HOOK,
        )
    except ValidationError as exc:
        raise ValidationError(
            {API_FIELDS.get(name, name): errors for name, errors in exc.message_dict.items()}
        ) from exc


def rest_hooks(*, studio: Studio) -> Any:
    return WebhookEndpoint.objects.filter(studio=studio, kind=WebhookEndpoint.Kind.REST_HOOK)


@transaction.atomic
def unsubscribe(*, hook: WebhookEndpoint) -> None:
    hook.delete()


def _recent(studio: Studio, event: str, limit: int) -> list[Any]:
    from contacts.models import Contact
    from inbox.models import InboxItem
    from sales.models import Sale

    kind = event.partition(".")[0]
    if kind == "sale":
        sales = Sale.objects.filter(studio=studio)
        if event == "sale.refunded":
            sales = sales.filter(refunded_minor__gt=0)
        order = "-created_at" if event == "sale.created" else "-updated_at"
        return list(sales.order_by(order, "-id")[:limit])
    if kind == "contact":
        order = "-created_at" if event == "contact.created" else "-updated_at"
        return list(Contact.objects.filter(studio=studio).order_by(order, "-id")[:limit])
    items = InboxItem.objects.filter(studio=studio, kind=InboxItem.Kind.ORDER)
    order = "-received_at" if event == "inbox.order_received" else "-updated_at"
    return list(items.filter(normalized__isnull=False).order_by(order, "-id")[:limit])


def samples(*, studio: Studio, event: str, limit: int = SAMPLE_LIMIT) -> list[dict[str, Any]]:
    """Real recent objects as `event` would carry them (Zapier's performList: the sample
    a Zap is built from must look exactly like a live delivery's `data`)."""
    return [payloads.data_for(event, subject) for subject in _recent(studio, event, limit)]
