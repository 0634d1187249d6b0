"""Pic-Time's OAuth 2.0 and REST API, as Cyan uses them.

Everything that differs between the stand-in (sandbox/pictime) and the real Pic-Time is
configuration: PICTIME_BASE_URL, PICTIME_CLIENT_ID, PICTIME_CLIENT_SECRET and, where the
real endpoints live elsewhere, the optional PICTIME_*_URL settings read below.
Every HTTP call has a timeout; connection failures become ProviderUnreachable.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.requests_client import OAuth2Session
from django.conf import settings

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

DEFAULT_SCOPES = "account:read orders:read webhooks:write"
DEFAULT_TIMEOUT_SECONDS = 10.0
UNREACHABLE_MESSAGE = "Pic-Time could not be reached. Please try again in a few minutes."


def _setting(name: str, default: Any) -> Any:
    value = getattr(settings, name, None)
    return default if value in (None, "") else value


@contextmanager
def _network_errors_as_unreachable() -> Iterator[None]:
    try:
        yield
    except (requests.ConnectionError, requests.Timeout) as exc:
        raise ProviderUnreachable(UNREACHABLE_MESSAGE) from exc


class PicTimeClient:
    """A stateless client: every call takes the token it needs, so the caller (galleries.
    services) decides when to refresh and where the rotated tokens are stored."""

    provider = "pictime"

    def __init__(
        self,
        *,
        base_url: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        timeout: float | None = None,
    ) -> None:
        self.base_url = (base_url or _setting("PICTIME_BASE_URL", "")).rstrip("/")
        self.client_id = client_id or _setting("PICTIME_CLIENT_ID", "")
        self.client_secret = client_secret or _setting("PICTIME_CLIENT_SECRET", "")
        self.timeout = timeout or float(
            _setting("PICTIME_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS)
        )
        self.scopes = _setting("PICTIME_SCOPES", DEFAULT_SCOPES)
        self.authorize_url = _setting("PICTIME_AUTHORIZE_URL", f"{self.base_url}/oauth/authorize/")
        self.token_url = _setting("PICTIME_TOKEN_URL", f"{self.base_url}/oauth/token/")
        self.revoke_url = _setting("PICTIME_REVOKE_URL", f"{self.base_url}/oauth/revoke_token/")
        self.api_url = _setting("PICTIME_API_URL", f"{self.base_url}/api/v1").rstrip("/")

    # -- OAuth --------------------------------------------------------------------------

    def _oauth(self, redirect_uri: str | None = None) -> OAuth2Session:
        return OAuth2Session(
            client_id=self.client_id,
            client_secret=self.client_secret,
            scope=self.scopes,
            redirect_uri=redirect_uri,
            code_challenge_method="S256",
            default_timeout=self.timeout,
        )

    def authorization_url(self, *, redirect_uri: str, state: str, code_verifier: str) -> str:
        """Where to send the photographer to approve Cyan (authorization code + PKCE S256)."""
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
        return self._token_set(token)

    def refresh(self, *, refresh_token: str) -> TokenSet:
        """Trade the refresh token for new tokens. Pic-Time rotates refresh tokens: the old
        one is dead once this returns, so the caller must store the new one."""
        with self._oauth() as oauth:
            # No scope parameter: the refreshed grant keeps the scopes originally approved.
            oauth.scope = None
            token = self._token_request(
                lambda: oauth.refresh_token(self.token_url, refresh_token=refresh_token)
            )
        return self._token_set(token, fallback_refresh_token=refresh_token)

    def revoke(self, *, token: str, token_type_hint: str) -> None:
        """RFC 7009 revocation; an already-invalid token counts as revoked."""
        with self._oauth() as oauth, _network_errors_as_unreachable():
            response = oauth.revoke_token(
                self.revoke_url, token=token, token_type_hint=token_type_hint
            )
        if response.status_code >= 400:
            raise self._error_from(response)

    def _token_request(self, call: Any) -> dict:
        with _network_errors_as_unreachable():
            try:
                return dict(call())
            except AuthlibBaseError as exc:
                description = exc.description or exc.error
                raise ProviderGrantError(
                    f"Pic-Time refused the request: {description}", code=exc.error
                ) from exc
            except requests.HTTPError as exc:
                raise ProviderError(
                    f"Pic-Time's token endpoint failed ({exc.response.status_code}).",
                    status=exc.response.status_code,
                ) from exc
            except ValueError as exc:  # a non-JSON answer from the token endpoint
                raise ProviderError(f"Pic-Time's token endpoint answered oddly: {exc}") from exc

    @staticmethod
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

    # -- Resource API -------------------------------------------------------------------

    def _api(
        self, method: str, path: str, *, access_token: str, **kwargs: Any
    ) -> requests.Response:
        headers = {"Authorization": f"Bearer {access_token}", "Accept": "application/json"}
        with _network_errors_as_unreachable():
            response = requests.request(
                method, f"{self.api_url}{path}", headers=headers, timeout=self.timeout, **kwargs
            )
        if response.status_code == 401:
            raise self._error_from(response, error_class=ProviderAuthError)
        if response.status_code >= 400:
            raise self._error_from(response)
        return response

    @staticmethod
    def _error_from(
        response: requests.Response, error_class: type[ProviderError] = ProviderError
    ) -> ProviderError:
        """Pic-Time errors are {"error": {"code", "message"}}; OAuth ones {"error": "..."}."""
        code, message = "http_error", response.reason or ""
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict):
            error = body.get("error")
            if isinstance(error, dict):
                code = str(error.get("code") or code)
                message = str(error.get("message") or message)
            elif isinstance(error, str):
                code = error
                message = str(body.get("error_description") or error)
        return error_class(
            f"Pic-Time answered {response.status_code}: {message}",
            code=code,
            status=response.status_code,
        )

    def get_account(self, *, access_token: str) -> ProviderAccount:
        data = self._api("GET", "/account", access_token=access_token).json()
        return ProviderAccount(
            id=str(data["id"]), name=data.get("name") or "", email=data.get("email") or ""
        )

    def list_accounts(self, *, access_token: str) -> list[ProviderAccount]:
        """One login is one Pic-Time account."""
        return [self.get_account(access_token=access_token)]

    def list_galleries(self, *, access_token: str) -> list[dict]:
        data = self._api("GET", "/galleries", access_token=access_token).json()
        return list(data.get("data", data) if isinstance(data, dict) else data)

    def register_webhook(self, *, access_token: str, url: str) -> WebhookSubscription:
        data = self._api("POST", "/webhooks", access_token=access_token, json={"url": url}).json()
        return WebhookSubscription(
            id=str(data["id"]), url=data.get("url", url), secret=data["secret"]
        )

    def delete_webhook(self, *, access_token: str, subscription_id: str) -> None:
        try:
            self._api("DELETE", f"/webhooks/{subscription_id}", access_token=access_token)
        except ProviderError as exc:
            if exc.status != 404:  # already gone is what we wanted
                raise

    def list_orders(
        self,
        *,
        access_token: str,
        updated_since: datetime | None = None,
        cursor: str | None = None,
        limit: int | None = None,
    ) -> OrdersPage:
        """One page of orders updated since `updated_since` (the polling safety net)."""
        params: dict[str, str | int] = {}
        if updated_since is not None:
            params["updated_since"] = updated_since.astimezone(UTC).isoformat()
        if cursor:
            params["cursor"] = cursor
        if limit:
            params["limit"] = limit
        data = self._api("GET", "/orders", access_token=access_token, params=params).json()
        return OrdersPage(orders=list(data.get("data") or []), next_cursor=data.get("next_cursor"))
