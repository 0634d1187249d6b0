"""Linking a gallery account: the OAuth 2.0 authorisation code flow with PKCE and state,
from the account page's authorise button to the callback that stores the link.

Network calls to the provider happen outside database transactions. Anything that fails
leaves the studio's link exactly as it was and revokes what the provider had already
handed out, so nothing is half-stored on either side.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Studio, User
from core.providers import Provider
from galleries import providers
from galleries.credentials import (
    PreviousCredentials,
    discard_credentials,
    retire_previous_credentials,
    unless_in_use,
)
from galleries.crypto import decrypt_secret, encrypt_secret
from galleries.link_cache import forget_links
from galleries.models import GalleryLink, OAuthState
from galleries.providers import (
    ProviderAccount,
    ProviderClient,
    ProviderError,
    ProviderGrantError,
    ProviderUnreachable,
    TokenSet,
    WebhookSubscription,
)
from galleries.providers.base import WebhookClient, oauth_error_in_words
from galleries.selectors import studio_has_active_api_key
from galleries.tokens import apply_tokens, provider_label

logger = logging.getLogger(__name__)

# Pending authorisations older than this are deleted whenever a new one starts.
STALE_STATE_AGE = timedelta(days=1)


def callback_url(provider: str) -> str:
    """The redirect URI registered at the provider: absolute, from CYAN_BASE_URL."""
    path = reverse("galleries:callback", kwargs={"provider": provider})
    return settings.CYAN_BASE_URL.rstrip("/") + path


def webhook_url(provider: str) -> str:
    """Where the provider delivers order webhooks (inbox.webhooks receives them)."""
    return f"{settings.CYAN_BASE_URL.rstrip('/')}/galleries/webhooks/{provider}/"


def refusal(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


# -- Starting and completing an authorisation -------------------------------------------


@transaction.atomic
def start_authorisation(*, studio: Studio, user: User, provider: str = Provider.PICTIME) -> str:
    """Record a fresh state + PKCE verifier and return the provider's authorize URL."""
    if not studio_has_active_api_key(studio=studio):
        raise refusal(
            "api_key",
            f"Generate an API key on the “API & Zapier” tab before linking "
            f"{provider_label(provider)}.",
            "api_key_required",
        )
    OAuthState.objects.filter(created_at__lt=timezone.now() - STALE_STATE_AGE).delete()
    pending = OAuthState.objects.create(
        studio=studio,
        user=user,
        provider=provider,
        state=secrets.token_urlsafe(32),
        code_verifier=secrets.token_urlsafe(64),  # 86 chars of the RFC 7636 alphabet
        redirect_uri=callback_url(provider),
    )
    return (
        providers.get(provider)
        .client()
        .authorization_url(
            redirect_uri=pending.redirect_uri,
            state=pending.state,
            code_verifier=pending.code_verifier,
        )
    )


def complete_authorisation(
    *,
    studio: Studio,
    user: User,
    state: str,
    code: str = "",
    error: str = "",
    error_description: str = "",
    provider: str = Provider.PICTIME,
) -> GalleryLink | AccountChoice:
    """Handle the provider's redirect back: check the state, exchange the code, read the
    account, register the webhook and store it all encrypted, or raise ValidationError
    with a message for the photographer and leave every link as it was. A login holding
    several accounts (chooses_account) returns an AccountChoice instead: nothing stored."""
    label = provider_label(provider)
    pending = _consume_state(studio=studio, user=user, provider=provider, state=state)
    if error == "access_denied":
        raise refusal(
            "authorisation",
            f"You did not approve Cyan's access to your {label} account, so nothing was linked.",
            "access_denied",
        )
    if error or not code:
        detail = (
            oauth_error_in_words(error, error_description) if error else "no code was sent back"
        )
        raise refusal(
            "authorisation",
            f"{label} did not authorise Cyan ({detail}). Nothing was linked.",
            "error",
        )

    client = providers.get(provider).client()
    try:
        tokens = client.exchange_code(
            code=code, redirect_uri=pending.redirect_uri, code_verifier=pending.code_verifier
        )
    except ProviderUnreachable as exc:
        raise _unreachable(label) from exc
    except ProviderGrantError as exc:
        raise refusal(
            "code",
            f"{label} refused the authorisation code (it may have expired or been used "
            f"already). Nothing was linked; please start again.",
            "code_refused",
        ) from exc
    except ProviderError as exc:
        raise refusal("authorisation", f"{exc.message} Nothing was linked.", "provider") from exc

    if providers.get(provider).chooses_account:
        accounts = _accounts_of(client=client, provider=provider, tokens=tokens)
        if len(accounts) > 1:  # the photographer picks one next (galleries.choosing)
            return AccountChoice(provider=provider, accounts=accounts, tokens=tokens)
        return link_account(
            client=client, studio=studio, provider=provider, tokens=tokens, account=accounts[0]
        )
    return link_account(client=client, studio=studio, provider=provider, tokens=tokens)


@dataclass(frozen=True)
class AccountChoice:
    """A login that holds several accounts (ShootProof's brands): nothing is linked yet,
    and `tokens` must be kept only server-side (galleries.choosing seals them)."""

    provider: str
    accounts: list[ProviderAccount]
    tokens: TokenSet


def _accounts_of(
    *, client: ProviderClient, provider: str, tokens: TokenSet
) -> list[ProviderAccount]:
    """The accounts the new tokens can reach; on failure the tokens are revoked again."""
    label = provider_label(provider)
    try:
        accounts = client.list_accounts(access_token=tokens.access_token)
        _the_account(accounts, label)
    except ProviderUnreachable as exc:
        discard_credentials(client, tokens, None)
        raise _unreachable(label) from exc
    except ProviderError as exc:
        discard_credentials(client, tokens, None)
        raise refusal("authorisation", f"{exc.message} Nothing was linked.", "provider") from exc
    return accounts


def link_account(
    *,
    client: ProviderClient,
    studio: Studio,
    provider: str,
    tokens: TokenSet,
    account: ProviderAccount | None = None,
) -> GalleryLink:
    """Store the link for `account` (None: the login's one account) with `tokens`, or
    raise ValidationError and revoke the tokens, leaving every link as it was."""
    account, subscription = _account_and_webhook(
        client=client, studio=studio, provider=provider, tokens=tokens, account=account
    )
    label = provider_label(provider)
    try:
        link, previous = _store_link(
            studio=studio, provider=provider, account=account, tokens=tokens, webhook=subscription
        )
    except IntegrityError as exc:  # another studio took the account since we checked
        discard_credentials(client, tokens, unless_in_use(provider, subscription))
        raise _already_linked(label, account) from exc
    except BaseException:
        discard_credentials(client, tokens, unless_in_use(provider, subscription))
        raise
    if previous is not None:
        retire_previous_credentials(
            client, previous, new_tokens=tokens, account=account, new_webhook=subscription
        )
    return link


def _consume_state(*, studio: Studio, user: User, provider: str, state: str) -> OAuthState:
    """A state is good once, for ten minutes, for the user and studio that started it."""
    start_again = "Nothing was linked; please start again."
    if not state:
        raise refusal("state", f"The authorisation carried no state. {start_again}", "missing")
    with transaction.atomic():
        pending = (
            OAuthState.objects.select_for_update()
            .filter(state=state, provider=provider, studio=studio, user=user)
            .first()
        )
        if pending is None:
            raise refusal(
                "state",
                f"This authorisation was not started from your Cyan account. {start_again}",
                "unknown",
            )
        if pending.used_at is not None:
            raise refusal(
                "state",
                "This authorisation link has already been used, so nothing more was changed. "
                "To link again, start again.",
                "reused",
            )
        now = timezone.now()
        if pending.is_expired(now):
            raise refusal(
                "state",
                f"This authorisation took longer than 10 minutes and expired. {start_again}",
                "expired",
            )
        pending.used_at = now
        pending.save(update_fields=["used_at"])
    return pending


def _account_and_webhook(
    *,
    client: ProviderClient,
    studio: Studio,
    provider: str,
    tokens: TokenSet,
    account: ProviderAccount | None = None,
) -> tuple[ProviderAccount, WebhookSubscription | None]:
    """Read the account and, for a provider with webhooks, subscribe Cyan's webhook with
    the new tokens; on any failure the tokens are revoked again so nothing stays
    authorised that Cyan does not store."""
    label = provider_label(provider)
    subscription = None
    try:
        if account is None:
            account = _the_account(client.list_accounts(access_token=tokens.access_token), label)
        if linked_to_another_studio(studio=studio, provider=provider, account_id=account.id):
            raise _already_linked(label, account)
        if providers.get(provider).has_webhooks:
            subscription = cast(WebhookClient, client).register_webhook(
                access_token=tokens.access_token, url=webhook_url(provider)
            )
    except ValidationError:
        discard_credentials(client, tokens, None)
        raise
    except ProviderUnreachable as exc:
        discard_credentials(client, tokens, None)
        raise _unreachable(label) from exc
    except ProviderError as exc:
        discard_credentials(client, tokens, None)
        raise refusal("authorisation", f"{exc.message} Nothing was linked.", "provider") from exc
    return account, subscription


def _the_account(accounts: list[ProviderAccount], label: str) -> ProviderAccount:
    """The account the login holds. A login holding several (ShootProof's brands, a
    provider with chooses_account) links its first one here; choosing is the provider
    page's step."""
    if not accounts:
        raise ProviderError(f"{label} named no account for this login.")
    return accounts[0]


def linked_to_another_studio(*, studio: Studio, provider: str, account_id: str) -> bool:
    return (
        GalleryLink.objects.filter(provider=provider, provider_account_id=account_id)
        .exclude(status=GalleryLink.Status.UNLINKED)
        .exclude(studio=studio)
        .exists()
    )


def _already_linked(label: str, account: ProviderAccount) -> ValidationError:
    return refusal(
        "account",
        f"The {label} account “{account.name or account.id}” is already linked to another "
        f"Cyan studio. One {label} account can feed only one studio: unlink it there first. "
        f"Nothing was linked here.",
        "already_linked",
    )


def _unreachable(label: str) -> ValidationError:
    return refusal(
        "provider",
        f"{label} could not be reached. Nothing was linked; please try again in a few minutes.",
        "unreachable",
    )


@transaction.atomic
def _store_link(
    *,
    studio: Studio,
    provider: str,
    account: ProviderAccount,
    tokens: TokenSet,
    webhook: WebhookSubscription | None,
) -> tuple[GalleryLink, PreviousCredentials | None]:
    """Create or replace the studio's link; returns what a re-link replaced."""
    link = GalleryLink.objects.select_for_update().filter(studio=studio, provider=provider).first()
    previous = None
    if link is None:
        link = GalleryLink(studio=studio, provider=provider)
    elif link.status != GalleryLink.Status.UNLINKED:
        previous = PreviousCredentials(
            account_id=link.provider_account_id,
            access_token=decrypt_secret(link.access_token_encrypted),
            refresh_token=decrypt_secret(link.refresh_token_encrypted),
            webhook_subscription_id=link.webhook_subscription_id,
        )
    if link.provider_account_id != account.id:
        # A different account's orders start from scratch (the first poll is a backfill).
        link.last_order_at = None
        link.sync_high_water_mark = None
        link.poll_cursor = ""
        link.last_full_sync_at = None
        link.next_poll_at = None
    now = timezone.now()
    link.provider_account_id = account.id
    link.account_name = account.name
    link.account_email = account.email
    link.status = GalleryLink.Status.LINKED
    link.linked_at = now
    link.unlinked_at = None
    link.last_error = ""
    link.last_error_at = None
    apply_tokens(link, tokens)
    link.webhook_subscription_id = webhook.id if webhook else ""
    link.webhook_secret_encrypted = encrypt_secret(webhook.secret) if webhook else ""
    # A savepoint so a unique-constraint violation can be caught by the caller cleanly.
    with transaction.atomic():
        link.save()
    forget_links()  # its webhooks now verify with the new secret (galleries.link_cache)
    return link, previous
