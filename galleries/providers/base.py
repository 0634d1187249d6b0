"""What every gallery provider is, returns and raises, independent of its HTTP shape.

A provider is a package galleries/providers/<name>/ whose `PROVIDER` satisfies
`GalleryProvider` (below); galleries.providers.registry finds it by name. Everything
else in Cyan (linking, tokens, polling, the inbox's intake) speaks only these types.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from galleries.schema import GalleryOrder


class ProviderError(Exception):
    """The provider answered, but not with what we asked for."""

    def __init__(
        self,
        message: str,
        *,
        code: str = "provider_error",
        status: int | None = None,
        retry_after: float | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status
        # Seconds the provider asked us to wait (a 429's Retry-After): the next poll waits
        # at least this long.
        self.retry_after = retry_after


class ProviderUnreachable(ProviderError):
    """No answer at all: connection refused, DNS failure, timeout."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="unreachable")


class ProviderAuthError(ProviderError):
    """A resource call was refused with 401: the access token is expired or revoked."""


class ProviderGrantError(ProviderError):
    """The token endpoint refused a grant (code replayed or expired, refresh token revoked
    or already rotated, client misconfigured). `code` is the OAuth error, e.g. invalid_grant."""


# OAuth's error codes (RFC 6749 §4.1.2.1, §5.2) as a photographer reads them.
OAUTH_ERRORS_IN_WORDS = {
    "invalid_grant": "the approval was withdrawn, has expired or was already used",
    "invalid_client": "it did not recognise Cyan (a configuration problem)",
    "unauthorized_client": "Cyan may not ask for access this way (a configuration problem)",
    "invalid_request": "the request was incomplete",
    "invalid_scope": "the access asked for is not offered",
    "unsupported_grant_type": "it does not offer this kind of access",
    "unsupported_response_type": "it does not offer this kind of access",
    "access_denied": "the access was not approved",
    "server_error": "it had an internal error",
    "temporarily_unavailable": "it is temporarily unavailable",
}


def oauth_error_in_words(code: str, description: str = "") -> str:
    """Why an OAuth server refused, in plain words: the known code's meaning, else its
    description when that is a sentence, else a general refusal (never a raw code)."""
    if code in OAUTH_ERRORS_IN_WORDS:
        return OAUTH_ERRORS_IN_WORDS[code]
    if description and " " in description.strip():
        return description.strip()
    return "it refused the request"


@dataclass(frozen=True)
class TokenSet:
    access_token: str
    refresh_token: str
    expires_at: datetime | None
    scope: str = ""
    token_type: str = "Bearer"


@dataclass(frozen=True)
class ProviderAccount:
    id: str
    name: str
    email: str = ""


@dataclass(frozen=True)
class WebhookSubscription:
    id: str
    url: str
    secret: str


@dataclass(frozen=True)
class OrdersPage:
    orders: list[dict] = field(default_factory=list)
    next_cursor: str | None = None


class OrderMappingError(ValueError):
    """The payload is not an order the provider's mapper understands; the message says why
    (the inbox keeps the payload as "needs attention" with it)."""


# -- Polling ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PolledOrder:
    raw: dict  # the provider's order document, as the mapper takes it
    version_key: str  # unique per (account, order, version): see version_key()
    updated_at: datetime | None  # aware; moves the link's high-water mark


def version_key(account_id: str, order_id: object, updated_at: object, *progress: object) -> str:
    """A polled version's delivery key: the order at its time, plus a digest of what can
    move an order on without its time moving (status, payments, refunds), so a refund a
    provider records at the same `updated_at` is a delivery of its own, not the version
    the poll read before (the Inbox then keeps whichever is further along)."""
    text = json.dumps(progress, sort_keys=True, default=str)
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{account_id}:{order_id}@{updated_at}#{digest}"


@dataclass(frozen=True)
class PollPlan:
    since: datetime  # fetch what changed since (high-water mark minus overlap)
    full: bool  # a full reconcile (daily, "Sync now", first poll: 90-day backfill)
    cursor: str  # the provider's own cheap-check cursor kept on the link ("" = none)


@dataclass
class PollOutcome:
    orders: Iterable[PolledOrder]  # may be a generator; pages fetched lazily
    cursor: str = ""  # new cheap-check cursor to keep on the link
    busy: bool = False  # orders were arriving (drives adaptive cadence)


# -- The shape of a provider ----------------------------------------------------------------


@runtime_checkable
class ProviderClient(Protocol):
    """OAuth 2.0 and the account look-up; stateless (every call takes its token)."""

    def authorization_url(self, *, redirect_uri: str, state: str, code_verifier: str) -> str: ...

    def exchange_code(self, *, code: str, redirect_uri: str, code_verifier: str) -> TokenSet: ...

    def refresh(self, *, refresh_token: str) -> TokenSet: ...  # may rotate the refresh token

    def revoke(self, *, token: str, token_type_hint: str) -> None: ...  # best effort

    def list_accounts(self, *, access_token: str) -> list[ProviderAccount]: ...


@runtime_checkable
class GalleryProvider(Protocol):
    name: str  # a core.providers.Provider value
    label: str  # display name
    has_webhooks: bool  # linking registers a webhook (see WebhookProvider)
    chooses_account: bool  # one login can hold several accounts (ShootProof brands)

    def client(self) -> ProviderClient: ...  # settings say where it points

    def map_order(self, raw: Mapping[str, Any], *, account_id: str) -> GalleryOrder:
        """The normalized order, or OrderMappingError with a clear reason."""
        ...

    def poll(
        self, *, client: Any, access_token: str, account_id: str, plan: PollPlan
    ) -> PollOutcome: ...

    def next_poll_delay(self, *, busy: bool, previous: timedelta | None) -> timedelta: ...

    def order_id_of(self, raw: Any) -> str: ...  # "" when there is none a column can keep


# -- Webhooks (only providers with has_webhooks) ----------------------------------------------

MAX_WEBHOOK_BODY_BYTES = 1_048_576


class DeliveryRejected(Exception):
    """A webhook request that is not a signed delivery for a linked account: answered
    with `status` and nothing is stored."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


@dataclass(frozen=True)
class VerifiedDelivery:
    link: Any  # the galleries.models.GalleryLink the delivery is for
    webhook_id: str  # the idempotency key of the delivery
    event_type: str
    payload: dict[str, Any]  # the whole verified body
    order: Any  # the order document inside it, as map_order takes it (None when absent)


@runtime_checkable
class WebhookClient(ProviderClient, Protocol):
    """The client of a provider with webhooks: linking subscribes Cyan, unlinking ends it."""

    def register_webhook(self, *, access_token: str, url: str) -> WebhookSubscription: ...

    def delete_webhook(self, *, access_token: str, subscription_id: str) -> None: ...


@runtime_checkable
class WebhookProvider(GalleryProvider, Protocol):
    """A provider with has_webhooks True: its client is a WebhookClient and it verifies
    what arrives at /galleries/webhooks/<name>/."""

    def verify_delivery(self, *, body: bytes, headers: Mapping[str, str]) -> VerifiedDelivery:
        """The verified delivery, or DeliveryRejected saying why (nothing stored)."""
        ...

    def order_in_delivery(self, payload: Mapping[str, Any]) -> Any:
        """The order document inside a verified delivery's body (what `verify_delivery`
        returns as `order`): the intake task reads it again from the stored body."""
        ...
