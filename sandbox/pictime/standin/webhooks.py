"""Webhook subscriptions, events and the fault-injection mode (sending is in delivery.py)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application, RefreshToken

from . import serializers
from .models import Account, Delivery, DeliveryControl, Order, WebhookEndpoint

EVENT_TYPES = ("order.created", "order.updated", "order.refunded", "order.cancelled")


class WebhookError(ValueError):
    """A subscription request that cannot be honoured."""


def validate_url(url: str) -> str:
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise WebhookError("url must be an absolute http:// or https:// URL.")
    if len(url) > 500:
        raise WebhookError("url is longer than 500 characters.")
    return url


def active_endpoints(
    account: Account, application: Application | None = None
) -> QuerySet[WebhookEndpoint]:
    qs = WebhookEndpoint.objects.filter(account=account, disabled_at__isnull=True)
    if application is not None:
        qs = qs.filter(application=application)
    return qs


def subscribe(*, account: Account, application: Application | None, url: str) -> WebhookEndpoint:
    """A new subscription with its own secret, every time (even for a URL already
    subscribed): a client that re-links creates the new one, then deletes the old one."""
    url = validate_url(url)
    return WebhookEndpoint.objects.create(account=account, application=application, url=url)


@transaction.atomic
def unsubscribe(*, endpoint: WebhookEndpoint) -> None:
    now = timezone.now()
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(disabled_at=now)
    endpoint.deliveries.filter(status=Delivery.Status.PENDING).update(
        status=Delivery.Status.CANCELLED, finished_at=now
    )


def grant_is_live(*, user_id: int, application: Application) -> bool:
    """Whether the user still has a usable token for the client (the link still exists)."""
    now = timezone.now()
    tokens = AccessToken.objects.filter(user_id=user_id, application=application)
    refresh = RefreshToken.objects.filter(user_id=user_id, application=application)
    return tokens.filter(expires__gt=now).exists() or refresh.filter(revoked__isnull=True).exists()


def remove_if_unlinked(*, user_id: int, application: Application) -> int:
    """After a revocation: drop the client's subscriptions when no live grant remains."""
    if grant_is_live(user_id=user_id, application=application):
        return 0
    endpoints = WebhookEndpoint.objects.filter(
        account__user_id=user_id, application=application, disabled_at__isnull=True
    )
    count = 0
    for endpoint in endpoints:
        unsubscribe(endpoint=endpoint)
        count += 1
    return count


def event_body(event_type: str, order: Order) -> str:
    """The exact bytes that are signed and sent (compact JSON, UTF-8, keys in order)."""
    payload: dict[str, Any] = {
        "type": event_type,
        "timestamp": serializers.iso(order.updated_at),
        "data": {"account_id": order.account.public_id, "order": serializers.order_json(order)},
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def emit(*, event_type: str, order: Order) -> list[Delivery]:
    """Queue the event for every active endpoint of the order's account. Call inside the
    transaction that changed the order: the deliveries commit with it."""
    assert event_type in EVENT_TYPES, event_type
    body = event_body(event_type, order)
    now = timezone.now()
    deliveries = [
        Delivery.objects.create(
            endpoint=endpoint,
            account=order.account,
            event_type=event_type,
            order=order,
            payload=body,
            next_attempt_at=now,
        )
        for endpoint in active_endpoints(order.account)
    ]
    if deliveries:
        from .delivery import wake

        transaction.on_commit(wake)
    return deliveries


def get_mode() -> str:
    control, _ = DeliveryControl.objects.get_or_create(pk=1)
    return control.mode


@transaction.atomic
def set_mode(mode: str) -> str:
    """Change the delivery mode. Leaving ``reverse`` re-ranks the held messages so the
    newest goes out first."""
    if mode not in DeliveryControl.Mode.values:
        raise WebhookError(f"mode must be one of {', '.join(DeliveryControl.Mode.values)}.")
    control, _ = DeliveryControl.objects.get_or_create(pk=1)
    previous = control.mode
    if previous == DeliveryControl.Mode.REVERSE and mode != previous:
        held = list(
            Delivery.objects.filter(status=Delivery.Status.PENDING).order_by("-created_at", "-id")
        )
        for rank, delivery in enumerate(held):
            Delivery.objects.filter(pk=delivery.pk).update(
                release_rank=rank - len(held), next_attempt_at=timezone.now()
            )
    control.mode = mode
    control.changed_at = timezone.now()
    control.save()
    if mode in (DeliveryControl.Mode.NORMAL, DeliveryControl.Mode.DUPLICATE):
        from .delivery import wake

        transaction.on_commit(wake)
    return previous
