"""Choosing which account to link when one login holds several (ShootProof's brands).

Between the provider's redirect and the photographer's choice, the new tokens wait in
the photographer's server-side session, sealed with galleries.crypto (as a link's
tokens are at rest): never in the page or the form, which carry only the chosen account
id. The choice is good for OAUTH_STATE_LIFETIME, for the user and studio that started it;
cancelling (or choosing) revokes what is not kept.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Studio, User
from galleries import providers
from galleries.credentials import best_effort
from galleries.crypto import InvalidToken, decrypt_secret, encrypt_secret
from galleries.linking import (
    AccountChoice,
    link_account,
    linked_to_another_studio,
    refusal,
)
from galleries.models import OAUTH_STATE_LIFETIME, GalleryLink
from galleries.providers import ProviderAccount, TokenSet
from galleries.tokens import provider_label

SESSION_KEY = "galleries_account_choice"


def seal(choice: AccountChoice, *, studio: Studio, user: User) -> dict:
    """What the session keeps: the accounts to offer, and the tokens encrypted."""
    tokens = choice.tokens
    secret = {
        "access_token": tokens.access_token,
        "refresh_token": tokens.refresh_token,
        "expires_at": tokens.expires_at.isoformat() if tokens.expires_at else None,
        "scope": tokens.scope,
        "token_type": tokens.token_type,
    }
    return {
        "provider": choice.provider,
        "studio": studio.pk,
        "user": user.pk,
        "started_at": timezone.now().isoformat(),
        "accounts": [asdict(account) for account in choice.accounts],
        "tokens": encrypt_secret(json.dumps(secret)),
    }


def unseal(sealed: object, *, studio: Studio, user: User, provider: str) -> AccountChoice:
    """The pending choice, or ValidationError when there is none for this user (expired,
    started elsewhere, or already made)."""
    label = provider_label(provider)
    gone = refusal(
        "choice",
        f"There is no {label} account waiting to be chosen (it was chosen already or took "
        f"longer than 10 minutes). Nothing was linked; please start again.",
        "no_choice",
    )
    if not isinstance(sealed, dict):
        raise gone
    if (sealed.get("provider"), sealed.get("studio"), sealed.get("user")) != (
        provider,
        studio.pk,
        user.pk,
    ):
        raise gone
    try:
        started = datetime.fromisoformat(sealed["started_at"])
        secret = json.loads(decrypt_secret(sealed["tokens"]))
        accounts = [ProviderAccount(**account) for account in sealed["accounts"]]
    except (KeyError, TypeError, ValueError, InvalidToken):
        raise gone from None
    if timezone.now() >= started + OAUTH_STATE_LIFETIME:
        raise gone
    expires_at = secret.get("expires_at")
    tokens = TokenSet(
        access_token=secret["access_token"],
        refresh_token=secret["refresh_token"],
        expires_at=datetime.fromisoformat(expires_at) if expires_at else None,
        scope=secret.get("scope") or "",
        token_type=secret.get("token_type") or "Bearer",
    )
    return AccountChoice(provider=provider, accounts=accounts, tokens=tokens)


def choose_account(*, studio: Studio, choice: AccountChoice, account_id: str) -> GalleryLink:
    """Link the chosen account with the waiting tokens (ValidationError when `account_id`
    is not one of those offered; the choice then stays open)."""
    account = next((a for a in choice.accounts if a.id == account_id), None)
    if account is None:
        raise refusal(
            "account",
            f"Choose one of your {provider_label(choice.provider)} accounts listed.",
            "not_offered",
        )
    if linked_to_another_studio(studio=studio, provider=choice.provider, account_id=account.id):
        # Refused before linking, so the tokens stay and another brand can be chosen.
        label = provider_label(choice.provider)
        raise refusal(
            "account",
            f"The {label} account “{account.name or account.id}” is already linked to another "
            f"Cyan studio; choose another, or unlink it there first.",
            "linked_elsewhere",
        )
    client = providers.get(choice.provider).client()
    return link_account(
        client=client,
        studio=studio,
        provider=choice.provider,
        tokens=choice.tokens,
        account=account,
    )


def still_open(exc: ValidationError) -> bool:
    """After a refused choice: may the photographer choose again (when the account was
    not one offered, or feeds another studio; any other refusal revoked the tokens)?"""
    errors = getattr(exc, "error_dict", {}).get("account") or []
    return any(error.code in ("not_offered", "linked_elsewhere") for error in errors)


def abandon(choice: AccountChoice) -> None:
    """The photographer cancelled: revoke the tokens nobody will keep (best effort)."""
    client = providers.get(choice.provider).client()
    best_effort(client.revoke, token=choice.tokens.refresh_token, token_type_hint="refresh_token")
    best_effort(client.revoke, token=choice.tokens.access_token, token_type_hint="access_token")
