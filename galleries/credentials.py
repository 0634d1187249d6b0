"""What a link's OAuth credentials need at the provider when linking fails or replaces an
older link: revoke what nobody keeps, drop a webhook subscription nobody uses. Every call
here is best effort: the failure the photographer sees is the original one."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from django.db import DatabaseError

from galleries.models import GalleryLink
from galleries.providers import (
    ProviderAccount,
    ProviderClient,
    ProviderError,
    TokenSet,
    WebhookSubscription,
)
from galleries.providers.base import WebhookClient

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PreviousCredentials:
    account_id: str
    access_token: str
    refresh_token: str
    webhook_subscription_id: str


def unless_in_use(provider: str, subscription: WebhookSubscription | None) -> str | None:
    """The subscription id, unless a stored link uses it: a provider may answer a second
    registration of the same URL with the existing subscription (the stand-in does)."""
    if subscription is None:
        return None
    subscription_id = subscription.id
    try:
        in_use = (
            GalleryLink.objects.filter(provider=provider, webhook_subscription_id=subscription_id)
            .exclude(status=GalleryLink.Status.UNLINKED)
            .exists()
        )
    except DatabaseError:  # cannot tell: keeping a subscription beats deleting another's
        return None
    return None if in_use else subscription_id


def discard_credentials(client: ProviderClient, tokens: TokenSet, webhook_id: str | None) -> None:
    """Undo at the provider what a failed link had obtained (best effort: the failure the
    photographer sees is the original one)."""
    if webhook_id:
        best_effort(
            cast(WebhookClient, client).delete_webhook,
            access_token=tokens.access_token,
            subscription_id=webhook_id,
        )
    best_effort(client.revoke, token=tokens.refresh_token, token_type_hint="refresh_token")
    best_effort(client.revoke, token=tokens.access_token, token_type_hint="access_token")


def retire_previous_credentials(
    client: ProviderClient,
    previous: PreviousCredentials,
    *,
    new_tokens: TokenSet,
    account: ProviderAccount,
    new_webhook: WebhookSubscription | None,
) -> None:
    """After a re-link: drop the old webhook subscription (unless the provider handed the
    same one back) and revoke the old tokens."""
    new_webhook_id = new_webhook.id if new_webhook else ""
    if previous.webhook_subscription_id and previous.webhook_subscription_id != new_webhook_id:
        same_account = previous.account_id == account.id
        token = new_tokens.access_token if same_account else previous.access_token
        best_effort(
            cast(WebhookClient, client).delete_webhook,
            access_token=token,
            subscription_id=previous.webhook_subscription_id,
        )
    if previous.refresh_token:
        best_effort(client.revoke, token=previous.refresh_token, token_type_hint="refresh_token")
    if previous.access_token:
        best_effort(client.revoke, token=previous.access_token, token_type_hint="access_token")


def best_effort(call: Callable[..., object], **kwargs: object) -> str | None:
    """Run a best-effort provider call; return its error message instead of raising."""
    try:
        call(**kwargs)
    except ProviderError as exc:
        logger.warning("Best-effort %s failed: %s", getattr(call, "__name__", call), exc.message)
        return exc.message
    return None
