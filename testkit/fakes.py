"""An in-memory Pic-Time for unit tests: the PicTimeClient interface, with rotating refresh
tokens, single-use codes, revocation and webhooks, and switches for the failure paths.
The integration tests (test_standin_*.py) run the same flows against the real stand-in."""

from __future__ import annotations

import itertools
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest

from galleries import providers
from galleries.providers import (
    OrdersPage,
    ProviderAccount,
    ProviderAuthError,
    ProviderError,
    ProviderGrantError,
    ProviderUnreachable,
    TokenSet,
    WebhookSubscription,
)


def use_client(monkeypatch: pytest.MonkeyPatch, provider: str, fake: Any) -> None:
    """Make the registered `provider` hand out `fake` as its client for this test: the
    provider's `client` factory is the one seam (galleries.providers.base.GalleryProvider)."""
    monkeypatch.setattr(providers.get(provider), "client", lambda: fake)


DEMO_ACCOUNT = ProviderAccount(
    id="acc_demo", name="Jane Doe Photography", email="jane@pictime.test"
)


@dataclass
class FakePicTime:
    accounts: dict[str, ProviderAccount] = field(
        default_factory=lambda: {DEMO_ACCOUNT.id: DEMO_ACCOUNT}
    )
    expires_in: int = 3600
    unreachable: bool = False
    refuse_webhooks: bool = False
    codes: dict[str, str] = field(default_factory=dict)
    access_tokens: dict[str, str] = field(default_factory=dict)
    refresh_tokens: dict[str, str] = field(default_factory=dict)
    # refresh token -> the access token issued with it (rotation kills both)
    pairs: dict[str, str] = field(default_factory=dict)
    webhooks: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    revoked: list[str] = field(default_factory=list)
    # What list_orders answers, oldest update first (Pic-Time's order), any JSON at all.
    orders: list = field(default_factory=list)
    # Raised by list_orders instead of answering, while set.
    orders_error: ProviderError | None = None
    refresh_calls: int = 0
    # The updated_since of each list_orders call (the first page of each poll and the rest).
    order_queries: list = field(default_factory=list)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    # -- test helpers ---------------------------------------------------------------
    def approve(self, account_id: str = DEMO_ACCOUNT.id) -> str:
        """What the Approve button does: a single-use code for `account_id`."""
        code = f"code_{secrets.token_hex(6)}"
        self.codes[code] = account_id
        return code

    def add_account(self, account_id: str, name: str) -> ProviderAccount:
        self.accounts[account_id] = ProviderAccount(
            id=account_id, name=name, email=f"{account_id}@x.test"
        )
        return self.accounts[account_id]

    def expire_access_token(self, token: str) -> None:
        self.access_tokens.pop(token, None)

    def _reachable(self) -> None:
        if self.unreachable:
            raise ProviderUnreachable("Pic-Time could not be reached.")

    def _issue(self, account_id: str) -> TokenSet:
        access, refresh = f"at_{secrets.token_hex(8)}", f"rt_{secrets.token_hex(8)}"
        self.access_tokens[access] = account_id
        self.refresh_tokens[refresh] = account_id
        self.pairs[refresh] = access
        return TokenSet(
            access_token=access,
            refresh_token=refresh,
            expires_at=datetime.now(UTC) + timedelta(seconds=self.expires_in),
            scope="account:read orders:read webhooks:write",
        )

    def _account_for(self, access_token: str) -> str:
        self._reachable()
        if access_token not in self.access_tokens:
            raise ProviderAuthError("Pic-Time answered 401: invalid token", code="invalid_token")
        return self.access_tokens[access_token]

    # -- the PicTimeClient interface ------------------------------------------------
    def authorization_url(self, *, redirect_uri: str, state: str, code_verifier: str) -> str:
        query = urlencode({"redirect_uri": redirect_uri, "state": state})
        return f"https://pictime.fake/oauth/authorize/?{query}"

    def exchange_code(self, *, code: str, redirect_uri: str, code_verifier: str) -> TokenSet:
        self._reachable()
        account_id = self.codes.pop(code, None)
        if account_id is None:
            raise ProviderGrantError(
                "Pic-Time refused the request: invalid_grant", code="invalid_grant"
            )
        return self._issue(account_id)

    def refresh(self, *, refresh_token: str) -> TokenSet:
        self._reachable()
        self.refresh_calls += 1
        account_id = self.refresh_tokens.pop(refresh_token, None)
        if account_id is None:
            raise ProviderGrantError(
                "Pic-Time refused the request: invalid_grant", code="invalid_grant"
            )
        self.access_tokens.pop(self.pairs.pop(refresh_token, ""), None)
        return self._issue(account_id)

    def revoke(self, *, token: str, token_type_hint: str) -> None:
        self._reachable()
        self.revoked.append(token)
        self.access_tokens.pop(token, None)
        if self.refresh_tokens.pop(token, None) is not None:
            self.access_tokens.pop(self.pairs.pop(token, ""), None)

    def get_account(self, *, access_token: str) -> ProviderAccount:
        return self.accounts[self._account_for(access_token)]

    def list_accounts(self, *, access_token: str) -> list[ProviderAccount]:
        return [self.get_account(access_token=access_token)]

    def register_webhook(self, *, access_token: str, url: str) -> WebhookSubscription:
        account_id = self._account_for(access_token)
        if self.refuse_webhooks:
            raise ProviderError("Pic-Time answered 400: bad url", code="invalid_url", status=400)
        sub_id = f"wh_{next(self._ids)}"
        secret = f"whsec_{secrets.token_hex(12)}"
        self.webhooks[sub_id] = (account_id, url, secret)
        return WebhookSubscription(id=sub_id, url=url, secret=secret)

    def delete_webhook(self, *, access_token: str, subscription_id: str) -> None:
        account_id = self._account_for(access_token)
        hook = self.webhooks.get(subscription_id)
        if hook is not None and hook[0] == account_id:
            del self.webhooks[subscription_id]

    def list_orders(
        self,
        *,
        access_token: str,
        updated_since: datetime | None = None,
        cursor: str | None = None,
        limit: int | None = None,
    ) -> OrdersPage:
        self._account_for(access_token)
        self.order_queries.append(updated_since)
        if self.orders_error is not None:
            raise self.orders_error
        start = int(cursor or 0)
        end = start + (limit or 100)
        return OrdersPage(
            orders=self.orders[start:end], next_cursor=str(end) if end < len(self.orders) else None
        )
