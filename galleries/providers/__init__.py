"""Gallery providers: one package per provider (galleries/providers/<name>/), found by
name through the registry; every provider speaks providers.base's types."""

from __future__ import annotations

from galleries.providers.base import (
    DeliveryRejected,
    GalleryProvider,
    OrderMappingError,
    OrdersPage,
    PolledOrder,
    PollOutcome,
    PollPlan,
    ProviderAccount,
    ProviderAuthError,
    ProviderClient,
    ProviderError,
    ProviderGrantError,
    ProviderUnreachable,
    TokenSet,
    VerifiedDelivery,
    WebhookProvider,
    WebhookSubscription,
)
from galleries.providers.registry import UnknownProvider, all, get, names

__all__ = [
    "DeliveryRejected",
    "GalleryProvider",
    "OrderMappingError",
    "OrdersPage",
    "PollOutcome",
    "PollPlan",
    "PolledOrder",
    "ProviderAccount",
    "ProviderAuthError",
    "ProviderClient",
    "ProviderError",
    "ProviderGrantError",
    "ProviderUnreachable",
    "TokenSet",
    "UnknownProvider",
    "VerifiedDelivery",
    "WebhookProvider",
    "WebhookSubscription",
    "all",
    "get",
    "names",
]
