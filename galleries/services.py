"""Every write about gallery links. Linking (the OAuth authorisation code flow with PKCE)
lives in galleries.linking and keeping tokens fresh (refresh before expiry and on a 401,
rotating refresh tokens) in galleries.tokens; both are re-exported here, so callers use
galleries.services only. This module holds unlinking and re-encryption under a new key.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Studio
from core.providers import Provider
from galleries import providers
from galleries.credentials import best_effort
from galleries.crypto import decrypt_secret, reencrypt_secret
from galleries.link_cache import forget_links
from galleries.linking import (
    callback_url,
    complete_authorisation,
    refusal,
    start_authorisation,
    webhook_url,
)
from galleries.models import GalleryLink
from galleries.providers import ProviderError
from galleries.providers.base import WebhookClient
from galleries.selectors import active_link_for_studio
from galleries.tokens import (
    LinkNeedsRelink,
    call_with_access_token,
    get_access_token,
    provider_label,
    record_link_error,
    refresh_link_tokens,
)

__all__ = [
    "ENCRYPTED_FIELDS",
    "LinkNeedsRelink",
    "call_with_access_token",
    "callback_url",
    "clear_link_error",
    "complete_authorisation",
    "get_access_token",
    "note_order_received",
    "note_order_received_for_account",
    "record_link_error",
    "refresh_link_tokens",
    "rotate_token_encryption",
    "start_authorisation",
    "unlink",
    "webhook_url",
]

ENCRYPTED_FIELDS = ("access_token_encrypted", "refresh_token_encrypted", "webhook_secret_encrypted")


# -- Unlinking and key rotation ---------------------------------------------------------


def unlink(*, studio: Studio, provider: str = Provider.PICTIME) -> list[str]:
    """Delete the webhook subscription, revoke the tokens at the provider and forget them
    here. The link is unlinked here even when the provider cannot be told; the returned
    warnings say what could not be undone there."""
    label = provider_label(provider)
    link = active_link_for_studio(studio=studio, provider=provider)
    if link is None:
        raise refusal("link", f"No {label} account is linked.", "not_linked")
    client = providers.get(provider).client()
    problems: list[str | None] = []
    if link.webhook_subscription_id and link.is_linked:
        problems.append(_delete_webhook_for_unlink(client, link))
    problems.append(
        best_effort(
            client.revoke,
            token=decrypt_secret(link.refresh_token_encrypted),
            token_type_hint="refresh_token",
        )
    )
    problems.append(
        best_effort(
            client.revoke,
            token=decrypt_secret(link.access_token_encrypted),
            token_type_hint="access_token",
        )
    )
    _forget_link(link_id=link.pk)
    if any(problems):
        return [
            f"Cyan forgot its {label} tokens, but {label} could not be told "
            f"({next(p for p in problems if p)}). You can remove Cyan's access in your "
            f"{label} account settings."
        ]
    return []


def _delete_webhook_for_unlink(client: WebhookClient, link: GalleryLink) -> str | None:
    subscription_id = link.webhook_subscription_id
    try:
        call_with_access_token(
            link=link,
            call=lambda token: client.delete_webhook(
                access_token=token, subscription_id=subscription_id
            ),
        )
    except LinkNeedsRelink as exc:
        return exc.message
    except ProviderError as exc:
        return exc.message
    return None


@transaction.atomic
def _forget_link(*, link_id: int) -> None:
    link = GalleryLink.objects.select_for_update().get(pk=link_id)
    link.status = GalleryLink.Status.UNLINKED
    link.unlinked_at = timezone.now()
    for field in ENCRYPTED_FIELDS:
        setattr(link, field, "")
    link.access_token_expires_at = None
    link.webhook_subscription_id = ""
    link.last_error = ""
    link.last_error_at = None
    link.save()
    forget_links()  # this process stops accepting its webhooks at once (galleries.link_cache)


def rotate_token_encryption() -> int:
    """Re-encrypt every stored secret under the newest CYAN_FERNET_KEYS key (one row per
    transaction, under its row lock so a concurrent refresh is not overwritten).
    Returns the number of links rewritten."""
    rewritten = 0
    for link_id in GalleryLink.objects.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            link = GalleryLink.objects.select_for_update().get(pk=link_id)
            if not any(getattr(link, field) for field in ENCRYPTED_FIELDS):
                continue
            for field in ENCRYPTED_FIELDS:
                setattr(link, field, reencrypt_secret(getattr(link, field)))
            link.save(update_fields=[*ENCRYPTED_FIELDS, "updated_at"])
            rewritten += 1
    return rewritten


# Seen-at granularity of "last order received": one write a minute, not one per order,
# keeps the link row from becoming a hot spot when a gallery sends a burst of orders.
LAST_ORDER_RESOLUTION = timedelta(minutes=1)


def clear_link_error(*, link: GalleryLink) -> None:
    """The link works again (a poll went through): its last error is history, not news.
    Only a linked link: a needs_relink one keeps the reason it needs re-linking."""
    if not link.last_error or link.status != GalleryLink.Status.LINKED:
        return
    GalleryLink.objects.filter(pk=link.pk, status=GalleryLink.Status.LINKED).update(
        last_error="", last_error_at=None
    )
    link.last_error, link.last_error_at = "", None


def note_order_received(*, link: GalleryLink) -> None:
    """Record that an order arrived through `link` (shown on the Online Galleries tab)."""
    now = timezone.now()
    if link.last_order_at is not None and now - link.last_order_at < LAST_ORDER_RESOLUTION:
        return
    GalleryLink.objects.filter(pk=link.pk).update(last_order_at=now)
    link.last_order_at = now


def note_order_received_for_account(*, studio: Studio, provider: str, account_id: str) -> None:
    """note_order_received for whichever link of the studio holds the account (none: an
    order pushed through the API from an account Cyan is not linked to)."""
    now = timezone.now()
    GalleryLink.objects.filter(
        studio=studio, provider=provider, provider_account_id=account_id
    ).exclude(status=GalleryLink.Status.UNLINKED).filter(
        Q(last_order_at__isnull=True) | Q(last_order_at__lt=now - LAST_ORDER_RESOLUTION)
    ).update(last_order_at=now)
