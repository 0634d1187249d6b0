"""Gallery providers: one client per provider, all speaking providers.base's types."""

from __future__ import annotations

from typing import TYPE_CHECKING

from galleries.providers.base import (
    OrdersPage,
    ProviderAccount,
    ProviderAuthError,
    ProviderError,
    ProviderGrantError,
    ProviderUnreachable,
    TokenSet,
    WebhookSubscription,
)

if TYPE_CHECKING:
    from galleries.providers.pictime import PicTimeClient

__all__ = [
    "OrdersPage",
    "ProviderAccount",
    "ProviderAuthError",
    "ProviderError",
    "ProviderGrantError",
    "ProviderUnreachable",
    "TokenSet",
    "WebhookSubscription",
    "get_client",
]


def get_client(provider: str) -> PicTimeClient:
    """The configured client for `provider` (settings decide where it points).
    Tests replace this function to talk to a fake."""
    if provider == "pictime":
        from galleries.providers.pictime import PicTimeClient

        return PicTimeClient()
    raise ValueError(f"Unknown gallery provider: {provider!r}")
