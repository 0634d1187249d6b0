"""ShootProof's OAuth 2.0 and Studio API (docs/shootproof-standin.md), as Cyan uses them.

What differs between the stand-in (sandbox/shootproof) and the real ShootProof is
configuration: SHOOTPROOF_BASE_URL, SHOOTPROOF_CLIENT_ID, SHOOTPROOF_CLIENT_SECRET, and
where the real service splits hosts, SHOOTPROOF_AUTH_URL (OAuth) and SHOOTPROOF_API_URL.
The client follows the API's hypermedia (`links`) from `GET /studio` where the contract
gives links. Every HTTP call has a timeout; no answer at all becomes ProviderUnreachable.
"""

from __future__ import annotations

import email.utils
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote, urljoin

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.requests_client import OAuth2Session
from django.conf import settings

from galleries.providers.base import (
    ProviderAccount,
    ProviderAuthError,
    ProviderError,
    ProviderGrantError,
    ProviderUnreachable,
    TokenSet,
)

DEFAULT_SCOPES = "studio"
DEFAULT_TIMEOUT_SECONDS = 10.0
MEDIA_TYPE = "application/vnd.shootproof+json"
UNREACHABLE_MESSAGE = "ShootProof could not be reached. Please try again in a few minutes."
MAX_PAGES = 1000  # a guard against a `next` link that never ends

# `GET /studio`'s links per API root. They describe the API, not the token's data, so one
# read per process serves every link (a poll would otherwise spend a request on them).
_ENTRY_LINKS: dict[str, dict[str, Any]] = {}


class ProviderRateLimited(ProviderError):
    """429: ShootProof asks us to slow down. `retry_after` is the Retry-After in seconds
    (None when the header is missing); the poll schedule must not come back sooner."""

    def __init__(self, message: str, *, retry_after: int | None) -> None:
        super().__init__(message, code="rate_limited", status=429, retry_after=retry_after)


def _setting(name: str, default: Any) -> Any:
    value = getattr(settings, name, None)
    return default if value in (None, "") else value


@contextmanager
def _network_errors_as_unreachable() -> Iterator[None]:
    try:
        yield
    except (requests.ConnectionError, requests.Timeout) as exc:
        raise ProviderUnreachable(UNREACHABLE_MESSAGE) from exc


# RFC 6570 expressions the contract uses: {var}, {/var}, {?var,…} and {&var,…}. The
# `uritemplate` package is not in the stack; these four forms are all ShootProof's links use.
_EXPRESSION = re.compile(r"\{([/?&]?)([^}]+)\}")


def expand(template: str, **values: Any) -> str:
    """Expand an RFC 6570 template; an undefined (None) variable expands to nothing."""

    def one(match: re.Match[str]) -> str:
        operator, names = match.group(1), match.group(2).split(",")
        defined = [(n, values[n]) for n in names if values.get(n) is not None]
        if not defined:
            return ""
        if operator == "/":
            return "".join(f"/{quote(str(v), safe='')}" for _, v in defined)
        if operator in ("?", "&"):
            pairs = "&".join(f"{n}={quote(str(v), safe='')}" for n, v in defined)
            return f"{operator}{pairs}"
        return ",".join(quote(str(v), safe="") for _, v in defined)

    return _EXPRESSION.sub(one, template)


def retry_after_seconds(header: str | None) -> int | None:
    """Retry-After as seconds: delta-seconds or an HTTP date; None when absent or odd."""
    if not header:
        return None
    header = header.strip()
    if header.isascii() and header.isdecimal():  # isdigit() is true for '²', int() refuses it
        return int(header)
    try:
        when = email.utils.parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0, int((when - datetime.now(UTC)).total_seconds() + 0.999))


class ShootProofClient:
    """Stateless like PicTimeClient: every call takes the token it needs, so the caller
    (galleries.tokens) decides when to refresh and stores the rotated tokens."""

    provider = "shootproof"

    def __init__(
        self,
        *,
        base_url: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        timeout: float | None = None,
        session: requests.Session | None = None,
    ) -> None:
        self.base_url = (base_url or _setting("SHOOTPROOF_BASE_URL", "")).rstrip("/")
        self.client_id = client_id or _setting("SHOOTPROOF_CLIENT_ID", "")
        self.client_secret = client_secret or _setting("SHOOTPROOF_CLIENT_SECRET", "")
        self.timeout = timeout or float(
            _setting("SHOOTPROOF_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS)
        )
        self.scopes = _setting("SHOOTPROOF_SCOPES", DEFAULT_SCOPES)
        auth = _setting("SHOOTPROOF_AUTH_URL", self.base_url).rstrip("/")
        self.authorize_url = f"{auth}/oauth2/authorization/new"
        self.token_url = f"{auth}/oauth2/authorization/token"
        self.revoke_url = f"{auth}/oauth2/authorization/revoke"
        self.api_root = _setting("SHOOTPROOF_API_URL", self.base_url).rstrip("/") + "/studio"
        # A session lets a caller reuse connections, or count requests (benchmarks).
        self.http = session or requests.Session()

    # -- OAuth --------------------------------------------------------------------------

    def _oauth(self, redirect_uri: str | None = None) -> OAuth2Session:
        return OAuth2Session(
            client_id=self.client_id,
            client_secret=self.client_secret,
            scope=self.scopes,
            redirect_uri=redirect_uri,
            code_challenge_method="S256",  # PKCE is optional at ShootProof; it is accepted
            default_timeout=self.timeout,
        )

    def authorization_url(self, *, redirect_uri: str, state: str, code_verifier: str) -> str:
        with self._oauth(redirect_uri) as oauth:
            url, _ = oauth.create_authorization_url(
                self.authorize_url, state=state, code_verifier=code_verifier
            )
        return url

    def exchange_code(self, *, code: str, redirect_uri: str, code_verifier: str) -> TokenSet:
        with self._oauth(redirect_uri) as oauth:
            token = self._token_request(
                lambda: oauth.fetch_token(
                    self.token_url,
                    grant_type="authorization_code",
                    code=code,
                    code_verifier=code_verifier,
                )
            )
        return _token_set(token)

    def refresh(self, *, refresh_token: str) -> TokenSet:
        """ShootProof rotates: the answer holds a NEW refresh token and the old one is dead
        (400 invalid_grant) from then on, so the caller must store what this returns."""
        with self._oauth() as oauth:
            oauth.scope = None  # the refreshed grant keeps the scopes approved
            token = self._token_request(
                lambda: oauth.refresh_token(self.token_url, refresh_token=refresh_token)
            )
        return _token_set(token, fallback_refresh_token=refresh_token)

    def revoke(self, *, token: str, token_type_hint: str) -> None:
        """RFC 7009; best effort for the caller, but failures are reported, not hidden."""
        with self._oauth() as oauth, _network_errors_as_unreachable():
            response = oauth.revoke_token(
                self.revoke_url, token=token, token_type_hint=token_type_hint
            )
        if response.status_code >= 400:
            raise _error_from(response)

    def _token_request(self, call: Any) -> dict:
        with _network_errors_as_unreachable():
            try:
                return dict(call())
            except AuthlibBaseError as exc:
                description = exc.description or exc.error
                raise ProviderGrantError(
                    f"ShootProof refused the request: {description}", code=exc.error
                ) from exc
            except requests.HTTPError as exc:
                raise ProviderError(
                    f"ShootProof's token endpoint failed ({exc.response.status_code}).",
                    status=exc.response.status_code,
                ) from exc
            except ValueError as exc:  # not JSON
                raise ProviderError(f"ShootProof's token endpoint answered oddly: {exc}") from exc

    # -- Studio API ---------------------------------------------------------------------

    def get(self, url: str, *, access_token: str, params: dict | None = None) -> dict:
        """GET an API URL (absolute, or relative to the API host) and return its JSON."""
        headers = {"Authorization": f"Bearer {access_token}", "Accept": MEDIA_TYPE}
        with _network_errors_as_unreachable():
            response = self.http.get(
                urljoin(self.api_root, url), headers=headers, params=params, timeout=self.timeout
            )
        if response.status_code >= 400:
            raise _error_from(response)
        try:
            body = response.json()
        except ValueError as exc:
            raise ProviderError(f"ShootProof answered {url} with something not JSON.") from exc
        if not isinstance(body, dict):
            raise ProviderError(f"ShootProof answered {url} with JSON that is not an object.")
        return body

    def entry_links(self, *, access_token: str) -> dict[str, Any]:
        """`GET /studio`'s links, fetched once per process and API root."""
        if self.api_root not in _ENTRY_LINKS:
            body = self.get(self.api_root, access_token=access_token)
            _ENTRY_LINKS[self.api_root] = body.get("links") or {}
        return _ENTRY_LINKS[self.api_root]

    def brand_url(self, brand_id: str | int | None, *, access_token: str) -> str:
        link = self.entry_links(access_token=access_token).get("brand") or {}
        template = link.get("href") or "/studio/brand{/id}"
        return expand(template, id=brand_id) if link.get("templated", True) else template

    def list_accounts(self, *, access_token: str) -> list[ProviderAccount]:
        """The photographer's brands: one login, several accounts Cyan can link."""
        accounts = []
        for brand in self.pages(self.brand_url(None, access_token=access_token), access_token):
            accounts.append(
                ProviderAccount(
                    id=str(brand["id"]),
                    name=str(brand.get("name") or ""),
                    email=str(brand.get("email") or ""),
                )
            )
        return accounts

    def pages(
        self, url: str, access_token: str, params: dict | None = None
    ) -> Iterator[dict[str, Any]]:
        """Every item of a list resource, following `links.next` page by page (lazily)."""
        for _ in range(MAX_PAGES):
            body = self.get(url, access_token=access_token, params=params)
            yield from body.get("items") or []
            following = ((body.get("links") or {}).get("next") or {}).get("href")
            if not following:
                return
            url, params = following, None  # the next link carries the query

    def orders(self, *, access_token: str, brand_id: str, rows: int = 100) -> Iterator[dict]:
        """The brand's orders, most recently updated first, page by page."""
        params = {"page": 1, "rows": rows, "sortBy": "updatedAt", "sortType": "desc"}
        url = self.brand_url(brand_id, access_token=access_token) + "/order"
        return self.pages(url, access_token, params)

    def order(self, *, access_token: str, brand_id: str, order_id: int | str) -> dict:
        url = self.brand_url(brand_id, access_token=access_token) + "/order"
        return self.get(expand(url + "{/id}", id=order_id), access_token=access_token)

    def order_part(self, order: dict, part: str, *, access_token: str) -> list[dict]:
        """An order's `items` or `payments`, through the order's own link."""
        link = (order.get("links") or {}).get(part) or {}
        sub = {"items": "item", "payments": "payment"}[part]
        url = link.get("href") or f"{(order.get('links') or {})['self']['href']}/{sub}"
        return list(self.pages(url, access_token))

    def notifications(
        self, *, access_token: str, brand_id: str, page: int = 1, rows: int = 50
    ) -> dict[str, Any]:
        """One page of the brand's notification feed, newest first."""
        url = self.brand_url(brand_id, access_token=access_token) + "/notification"
        params = {"filterDismissed": "false", "page": page, "rows": rows}
        return self.get(url, access_token=access_token, params=params)


def _token_set(token: dict, fallback_refresh_token: str = "") -> TokenSet:
    expires_at = None
    if token.get("expires_in") is not None:
        expires_at = datetime.now(UTC) + timedelta(seconds=int(token["expires_in"]))
    elif token.get("expires_at") is not None:
        expires_at = datetime.fromtimestamp(int(token["expires_at"]), UTC)
    return TokenSet(
        access_token=token["access_token"],
        refresh_token=token.get("refresh_token") or fallback_refresh_token,
        expires_at=expires_at,
        scope=token.get("scope") or "",
        token_type=token.get("token_type") or "Bearer",
    )


def _error_from(response: requests.Response) -> ProviderError:
    """RFC 7807 problem documents (title, detail, info.errors); OAuth's {"error": …}."""
    status = response.status_code
    code, message = "http_error", response.reason or f"HTTP {status}"
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        if isinstance(body.get("error"), str):  # the OAuth endpoints
            code = body["error"]
            message = str(body.get("error_description") or code)
        elif body.get("title") or body.get("detail"):
            code = str(body.get("type") or code)
            parts = [str(body[k]) for k in ("title", "detail") if body.get(k)]
            info = body.get("info")
            errors = info.get("errors") if isinstance(info, dict) else None
            if isinstance(errors, dict):  # {field: {rule: message}}
                parts.append("; ".join(f"{k}: {_flat(v)}" for k, v in errors.items()))
            elif isinstance(errors, list) and errors:
                parts.append("; ".join(_flat(e) for e in errors))
            message = ": ".join(parts)
    text = f"ShootProof answered {status}: {message}"
    if status == 429:
        retry = retry_after_seconds(response.headers.get("Retry-After"))
        return ProviderRateLimited(text, retry_after=retry)
    error_class = ProviderAuthError if status == 401 else ProviderError
    return error_class(text, code=code, status=status)


def _flat(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(_flat(v) for v in value.values())
    return str(value)
