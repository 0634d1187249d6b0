"""What every gallery provider's client returns and raises, independent of its HTTP shape."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime


class ProviderError(Exception):
    """The provider answered, but not with what we asked for."""

    def __init__(self, message: str, *, code: str = "provider_error", status: int | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status


class ProviderUnreachable(ProviderError):
    """No answer at all: connection refused, DNS failure, timeout."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="unreachable")


class ProviderAuthError(ProviderError):
    """A resource call was refused with 401: the access token is expired or revoked."""


class ProviderGrantError(ProviderError):
    """The token endpoint refused a grant (code replayed or expired, refresh token revoked
    or already rotated, client misconfigured). `code` is the OAuth error, e.g. invalid_grant."""


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


# -- The provider registry contract (BRIEF.md); helper "core" owns the real version. ------


class OrderMappingError(ValueError):
    """The payload is not an order this mapper understands; the message says why."""


@dataclass(frozen=True)
class PolledOrder:
    raw: dict
    version_key: str
    updated_at: datetime | None


@dataclass(frozen=True)
class PollPlan:
    since: datetime
    full: bool
    cursor: str


@dataclass
class PollOutcome:
    orders: Iterable[PolledOrder]
    cursor: str = ""
    busy: bool = False
