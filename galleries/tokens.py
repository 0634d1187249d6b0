"""Keeping a link's tokens usable: refresh shortly before expiry and on a 401 (retrying
once), storing the rotated refresh token every time under the link's row lock so two
workers never spend the same refresh token. A refused refresh marks the link
needs_relink, which the Online Galleries tab (and the Inbox) show prominently."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from galleries import providers
from galleries.crypto import decrypt_secret, encrypt_secret
from galleries.models import GalleryLink
from galleries.providers import ProviderAuthError, ProviderError, ProviderGrantError, TokenSet
from galleries.providers.base import oauth_error_in_words

logger = logging.getLogger(__name__)

# Refresh an access token this long before it expires, so no call races the expiry.
REFRESH_MARGIN = timedelta(seconds=60)


class LinkNeedsRelink(Exception):
    """The link cannot call the provider until the photographer re-links it."""

    def __init__(self, link: GalleryLink, message: str) -> None:
        super().__init__(message)
        self.link = link
        self.message = message


def provider_label(provider: str) -> str:
    return providers.get(provider).label


def apply_tokens(link: GalleryLink, tokens: TokenSet) -> None:
    """Put a fresh token pair on the link (encrypted); the caller saves it."""
    link.access_token_encrypted = encrypt_secret(tokens.access_token)
    link.refresh_token_encrypted = encrypt_secret(tokens.refresh_token)
    link.access_token_expires_at = tokens.expires_at
    if tokens.scope:
        link.scopes = tokens.scope


def _expires_soon(link: GalleryLink, margin: timedelta = REFRESH_MARGIN) -> bool:
    expires_at = link.access_token_expires_at
    return expires_at is not None and expires_at - margin <= timezone.now()


def get_access_token(*, link: GalleryLink) -> str:
    """A usable access token for the link: refreshed first when it expires within a minute."""
    if link.status != GalleryLink.Status.LINKED:
        raise LinkNeedsRelink(link, _needs_relink_message(link))
    if _expires_soon(link):
        return refresh_link_tokens(link=link)
    return decrypt_secret(link.access_token_encrypted)


def call_with_access_token[T](*, link: GalleryLink, call: Callable[[str], T]) -> T:
    """Run `call(access_token)`; on a 401 refresh the tokens and retry once.

    Raises LinkNeedsRelink when the provider will not refresh (the link is then marked
    needs_relink), ProviderUnreachable/ProviderError otherwise."""
    token = get_access_token(link=link)
    try:
        return call(token)
    except ProviderAuthError:
        token = refresh_link_tokens(link=link, rejected_access_token=token)
        return call(token)


def refresh_link_tokens(
    *,
    link: GalleryLink,
    rejected_access_token: str | None = None,
    margin: timedelta = REFRESH_MARGIN,
) -> str:
    """Refresh the link's tokens under its row lock and store the rotated pair; returns the
    access token to use. With `rejected_access_token` (a 401), refresh unless another worker
    already replaced that token; without it, refresh unless the token expires later than
    `margin` from now. `link` is reloaded from the database afterwards."""
    try:
        return _refresh_locked(
            link_id=link.pk, rejected_access_token=rejected_access_token, margin=margin
        )
    finally:
        link.refresh_from_db()


def refresh_expiring_tokens(*, within: timedelta) -> int:
    """Refresh ahead every linked account whose access token expires within `within`, so no
    poll or import waits on a refresh (the scheduler's job); returns how many refreshed.
    A refused refresh marks that link needs_relink; an unreachable provider is retried on
    the next round, or refreshed on use as before."""
    soon = timezone.now() + within
    due = GalleryLink.objects.filter(
        status=GalleryLink.Status.LINKED, access_token_expires_at__lte=soon
    ).order_by("pk")
    refreshed = 0
    for link in due:
        try:
            refresh_link_tokens(link=link, margin=within)
        except LinkNeedsRelink:
            continue
        except ProviderError as exc:
            logger.warning("Refreshing %s link %s's tokens failed: %s", link.provider, link.pk, exc)
            continue
        refreshed += 1
    return refreshed


def _refresh_locked(
    *, link_id: int, rejected_access_token: str | None, margin: timedelta = REFRESH_MARGIN
) -> str:
    refused: ProviderGrantError | None = None
    with transaction.atomic():
        link = GalleryLink.objects.select_for_update().get(pk=link_id)
        if link.status != GalleryLink.Status.LINKED:
            raise LinkNeedsRelink(link, _needs_relink_message(link))
        current = decrypt_secret(link.access_token_encrypted)
        if rejected_access_token is not None and current != rejected_access_token:
            return current  # another worker refreshed while we waited for the lock
        if rejected_access_token is None and not _expires_soon(link, margin):
            return current
        client = providers.get(link.provider).client()
        try:
            tokens = client.refresh(refresh_token=decrypt_secret(link.refresh_token_encrypted))
        except ProviderGrantError as exc:
            if exc.code != "invalid_grant":
                raise  # a configuration problem (e.g. invalid_client), not this link's
            refused = exc
            _mark_needs_relink(link, oauth_error_in_words(exc.code, exc.message))
        else:
            apply_tokens(link, tokens)
            link.save(update_fields=[*_TOKEN_FIELDS, "updated_at"])
            return tokens.access_token
    raise LinkNeedsRelink(link, _needs_relink_message(link)) from refused


_TOKEN_FIELDS = (
    "access_token_encrypted",
    "refresh_token_encrypted",
    "access_token_expires_at",
    "scopes",
)


def _mark_needs_relink(link: GalleryLink, reason: str) -> None:
    label = provider_label(link.provider)
    link.status = GalleryLink.Status.NEEDS_RELINK
    link.last_error = f"{label} refused to renew Cyan's access ({reason}). Re-link the account."
    link.last_error_at = timezone.now()
    link.save(update_fields=["status", "last_error", "last_error_at", "updated_at"])


def _needs_relink_message(link: GalleryLink) -> str:
    return f"{provider_label(link.provider)} needs re-linking."


@transaction.atomic
def record_link_error(*, link: GalleryLink, message: str) -> None:
    """Note a failure the photographer should see on the Online Galleries tab."""
    link.last_error = message
    link.last_error_at = timezone.now()
    link.save(update_fields=["last_error", "last_error_at", "updated_at"])
