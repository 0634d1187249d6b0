"""Every write of the events app: record events (the outbox), manage endpoints.

`record` is called by the domain services inside their own transaction: the event and
its deliveries commit with the change, or not at all. Nothing is stored when no active
endpoint of the studio wants the event type (an outbox row nobody will read is waste).
"""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Studio
from events import payloads
from events.models import (
    EVENT_NAMES,
    TEST_EVENT,
    Delivery,
    Event,
    WebhookEndpoint,
)
from events.secrets import new_secret
from events.targets import TargetRefused, check_url
from galleries.crypto import encrypt_secret

MAX_ENDPOINTS = 20


def _subscribers(studio: Studio, event_type: str) -> list[WebhookEndpoint]:
    # Filtered in Python: a studio has a handful of endpoints, and JSON "contains" is not
    # portable to SQLite.
    endpoints = WebhookEndpoint.objects.filter(studio=studio, status=WebhookEndpoint.Status.ACTIVE)
    return [endpoint for endpoint in endpoints if event_type in endpoint.events]


def _envelope(event_type: str, data: dict[str, Any], moment: Any) -> str:
    timestamp = moment.isoformat().replace("+00:00", "Z")
    return json.dumps({"type": event_type, "timestamp": timestamp, "data": data})


def new_webhook_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


def _deliver_soon() -> None:
    # After commit, so the worker sees the rows; if this is lost (a crash right after
    # commit), the periodic sweep still finds the deliveries due.
    from events.tasks import deliver_due_task

    transaction.on_commit(lambda: deliver_due_task.enqueue(), robust=True)


@transaction.atomic
def _store(
    studio: Studio, event_type: str, data: dict[str, Any], endpoints: list[WebhookEndpoint]
) -> Event:
    now = timezone.now()
    event = Event.objects.create(
        studio=studio, type=event_type, body=_envelope(event_type, data, now)
    )
    Delivery.objects.bulk_create(
        Delivery(
            studio=studio,
            endpoint=endpoint,
            event=event,
            webhook_id=new_webhook_id(),
            next_attempt_at=now,
        )
        for endpoint in endpoints
    )
    _deliver_soon()
    return event


def record(*, studio: Studio, type: str, subject: Any) -> Event | None:
    """Record event `type` about `subject` (a sale, contact or Inbox item) for every
    endpoint of the studio subscribed to it. Call inside the change's transaction."""
    if type not in EVENT_NAMES:
        raise ValueError(f"Unknown event type {type!r}.")
    endpoints = _subscribers(studio, type)
    if not endpoints:
        return None
    return _store(studio, type, payloads.data_for(type, subject), endpoints)


def record_inbox_event(*, item: Any, created: bool) -> Event | None:
    """An order arrived in the Inbox (`created`) or a later version changed it. Called by
    the intake inside its receiving transaction."""
    event_type = "inbox.order_received" if created else "inbox.order_updated"
    return record(studio=item.studio, type=event_type, subject=item)


def record_inbox_events(*, items: list[Any], created: bool) -> None:
    """record_inbox_event for many items (the batched intake): each studio's subscribers
    are read once."""
    event_type = "inbox.order_received" if created else "inbox.order_updated"
    endpoints: dict[int, list[WebhookEndpoint]] = {}
    for item in items:
        if item.studio_id not in endpoints:
            endpoints[item.studio_id] = _subscribers(item.studio, event_type)
        if endpoints[item.studio_id]:
            data = payloads.data_for(event_type, item)
            _store(item.studio, event_type, data, endpoints[item.studio_id])


def _clean_events(events: list[str], errors: dict[str, str]) -> list[str]:
    chosen = [name for name in EVENT_NAMES if name in set(events)]
    unknown = sorted(set(events) - set(EVENT_NAMES))
    if unknown:
        errors["events"] = f"Unknown event type: {', '.join(unknown)}."
    elif not chosen:
        errors["events"] = "Pick at least one event."
    return chosen


def _clean_url(url: str, errors: dict[str, str]) -> str:
    url = (url or "").strip()
    if len(url) > WebhookEndpoint._meta.get_field("url").max_length:
        errors["url"] = "The URL is too long (at most 2000 characters)."
        return url
    try:
        return check_url(url)
    except TargetRefused as exc:
        errors["url"] = str(exc)
        return url


@transaction.atomic
def create_endpoint(
    *,
    studio: Studio,
    url: str,
    events: list[str],
    description: str = "",
    kind: str = WebhookEndpoint.Kind.ENDPOINT,
) -> tuple[WebhookEndpoint, str]:
    """A new endpoint and its secret (`whsec_…`, returned once; stored encrypted)."""
    errors: dict[str, str] = {}
    url = _clean_url(url, errors)
    chosen = _clean_events(list(events), errors)
    description = (description or "").strip()
    if len(description) > 200:
        errors["description"] = "Keep the description under 200 characters."
    if WebhookEndpoint.objects.filter(studio=studio, kind=kind).count() >= MAX_ENDPOINTS:
        errors["url"] = f"A studio can have at most {MAX_ENDPOINTS} of these; delete one first."
    if errors:
        raise ValidationError(errors)
    secret = new_secret()
    endpoint = WebhookEndpoint.objects.create(
        studio=studio,
        kind=kind,
        url=url,
        events=chosen,
        description=description,
        secret_encrypted=encrypt_secret(secret),
    )
    return endpoint, secret


def overlap() -> timedelta:
    return timedelta(hours=getattr(settings, "CYAN_WEBHOOKS_SECRET_OVERLAP_HOURS", 24))


@transaction.atomic
def rotate_secret(*, endpoint: WebhookEndpoint) -> str:
    """A new secret signs from now on; the old one signs too for `overlap()`, so the
    receiver can switch without losing a message (two signatures in the header)."""
    secret = new_secret()
    endpoint.previous_secret_encrypted = endpoint.secret_encrypted
    endpoint.previous_secret_expires_at = timezone.now() + overlap()
    endpoint.secret_encrypted = encrypt_secret(secret)
    endpoint.save(
        update_fields=[
            "secret_encrypted",
            "previous_secret_encrypted",
            "previous_secret_expires_at",
        ]
    )
    return secret


@transaction.atomic
def update_endpoint_events(*, endpoint: WebhookEndpoint, events: list[str]) -> WebhookEndpoint:
    errors: dict[str, str] = {}
    chosen = _clean_events(list(events), errors)
    if errors:
        raise ValidationError(errors)
    endpoint.events = chosen
    endpoint.save(update_fields=["events"])
    return endpoint


@transaction.atomic
def disable_endpoint(*, endpoint: WebhookEndpoint, reason: str) -> WebhookEndpoint:
    """Stop sending; pending deliveries stay pending (they go out once it is enabled)."""
    endpoint.status = WebhookEndpoint.Status.DISABLED
    endpoint.disabled_reason = reason[:300]
    endpoint.disabled_at = timezone.now()
    endpoint.save(update_fields=["status", "disabled_reason", "disabled_at"])
    return endpoint


@transaction.atomic
def enable_endpoint(*, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    endpoint.status = WebhookEndpoint.Status.ACTIVE
    endpoint.disabled_reason = ""
    endpoint.disabled_at = None
    endpoint.failing_since = None
    endpoint.save(update_fields=["status", "disabled_reason", "disabled_at", "failing_since"])
    Delivery.objects.filter(endpoint=endpoint, status=Delivery.Status.PENDING).update(
        next_attempt_at=timezone.now()
    )
    _deliver_soon()
    return endpoint


@transaction.atomic
def delete_endpoint(*, endpoint: WebhookEndpoint) -> None:
    """Delete the endpoint with its delivery log (events other endpoints got stay)."""
    endpoint.delete()


@transaction.atomic
def resend(*, delivery: Delivery) -> Delivery:
    """Send a delivery again, under its own webhook-id (it is the same message)."""
    delivery.status = Delivery.Status.PENDING
    delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["status", "next_attempt_at"])
    _deliver_soon()
    return delivery


@transaction.atomic
def send_test_event(*, endpoint: WebhookEndpoint) -> Delivery:
    """A `webhook.test` event for this endpoint only, whatever events it picked."""
    now = timezone.now()
    data = {"message": "A test event from Cyan.", "endpoint_url": endpoint.url}
    event = Event.objects.create(
        studio=endpoint.studio, type=TEST_EVENT, body=_envelope(TEST_EVENT, data, now)
    )
    delivery = Delivery.objects.create(
        studio=endpoint.studio,
        endpoint=endpoint,
        event=event,
        webhook_id=new_webhook_id(),
        next_attempt_at=now,
    )
    _deliver_soon()
    return delivery
