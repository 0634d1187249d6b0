"""Accepted webhooks in tests: the tests' immediate task backend processes a delivery as
it is accepted; with the database backend (or to replay a worker that died) the test
runs the intake itself."""

from __future__ import annotations

from inbox.accepting import process_delivery
from inbox.intake import storable_key
from inbox.models import InboxItem, WebhookDelivery


def accepted(webhook_id: str) -> WebhookDelivery:
    return WebhookDelivery.objects.get(delivery_key=storable_key(webhook_id))


def accepted_item(webhook_id: str) -> InboxItem:
    """The Inbox item an accepted delivery became (it must have been processed)."""
    delivery = accepted(webhook_id)
    assert delivery.processed_at is not None, f"delivery {webhook_id} was not processed"
    assert delivery.item is not None
    return delivery.item


def drain_intake() -> list[str]:
    """Process every accepted delivery still waiting, oldest first, as the worker would."""
    waiting = WebhookDelivery.objects.filter(processed_at__isnull=True).order_by("id")
    return [process_delivery(pk) for pk in waiting.values_list("pk", flat=True)]
