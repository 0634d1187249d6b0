"""Reads of the events app, always scoped by studio."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import Studio
from events.models import DISABLED_BY_STUDIO, Delivery, WebhookEndpoint


def webhook_endpoints(*, studio: Studio) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(studio=studio, kind=WebhookEndpoint.Kind.ENDPOINT)


def get_endpoint(*, studio: Studio, pk: int) -> WebhookEndpoint:
    """The studio's webhook endpoint `pk`, or Http404 (another studio's is not found)."""
    return get_object_or_404(webhook_endpoints(studio=studio), pk=pk)


def recent_deliveries(*, endpoint: WebhookEndpoint, limit: int = 50) -> list[Delivery]:
    return list(
        Delivery.objects.filter(endpoint=endpoint).select_related("event").order_by("-id")[:limit]
    )


def get_delivery(*, endpoint: WebhookEndpoint, pk: int) -> Delivery:
    return get_object_or_404(Delivery.objects.filter(endpoint=endpoint), pk=pk)


def stopped_endpoints(*, studio: Studio) -> QuerySet[WebhookEndpoint]:
    """Endpoints Cyan stopped sending to (410, or days of failures), for the warnings on
    Home and the Webhooks page; not the ones the studio disabled itself."""
    return (
        webhook_endpoints(studio=studio)
        .filter(status=WebhookEndpoint.Status.DISABLED)
        .exclude(disabled_reason=DISABLED_BY_STUDIO)
    )
