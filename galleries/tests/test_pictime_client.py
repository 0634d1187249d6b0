"""PicTimeClient against a tiny local HTTP server with canned answers (the full contract is
exercised against the real stand-in in test_standin_*.py)."""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from galleries.providers import (
    ProviderAuthError,
    ProviderError,
    ProviderGrantError,
    ProviderUnreachable,
)
from galleries.providers.pictime.client import PicTimeClient
from testkit.standin.server import free_port


class CannedServer:
    """Answers (status, json body, delay) per "METHOD /path"; records what it received."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, object, float]] = {}
        self.received: list[tuple[str, str, dict, bytes]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                path = urlsplit(self.path).path
                server.received.append((self.command, self.path, dict(self.headers), body))
                status, payload, delay = server.routes.get(
                    f"{self.command} {path}", (404, {"error": {"code": "not_found"}}, 0)
                )
                time.sleep(delay)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_DELETE = _answer

            def log_message(self, *args: object) -> None:
                pass

        class QuietServer(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: object, client_address: object) -> None:
                pass  # a client that timed out and hung up is what the timeout test wants

        self.httpd = QuietServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def canned():
    server = CannedServer()
    yield server
    server.close()


def client_for(url: str, timeout: float = 2) -> PicTimeClient:
    return PicTimeClient(base_url=url, client_id="cid", client_secret="csecret", timeout=timeout)


def test_authorization_url_carries_state_and_s256_challenge():
    verifier = "v" * 64
    url = client_for("https://pictime.example").authorization_url(
        redirect_uri="https://cyan.example/galleries/pictime/callback/",
        state="st4te",
        code_verifier=verifier,
    )
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    expected = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    assert (
        f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://pictime.example/oauth/authorize/"
    )
    assert query == {
        "response_type": "code",
        "client_id": "cid",
        "redirect_uri": "https://cyan.example/galleries/pictime/callback/",
        "scope": "account:read orders:read webhooks:write",
        "state": "st4te",
        "code_challenge": expected.decode(),
        "code_challenge_method": "S256",
    }
    assert verifier not in url


def test_settings_configure_the_default_client(settings):
    settings.PICTIME_BASE_URL = "https://api.pic-time.example/"
    settings.PICTIME_CLIENT_ID = "real-id"
    settings.PICTIME_TOKEN_URL = "https://auth.pic-time.example/token"
    client = PicTimeClient()
    assert client.authorize_url == "https://api.pic-time.example/oauth/authorize/"
    assert client.token_url == "https://auth.pic-time.example/token"
    assert client.api_url == "https://api.pic-time.example/api/v1"
    assert client.client_id == "real-id" and client.timeout == 10


def test_exchange_code_sends_verifier_with_client_auth_and_reads_tokens(canned):
    canned.routes["POST /oauth/token/"] = (
        200,
        {
            "access_token": "at1",
            "refresh_token": "rt1",
            "expires_in": 600,
            "token_type": "Bearer",
            "scope": "account:read orders:read",
        },
        0,
    )
    tokens = client_for(canned.url).exchange_code(
        code="c0de", redirect_uri="https://cyan.example/cb/", code_verifier="v" * 50
    )
    assert (tokens.access_token, tokens.refresh_token, tokens.scope) == (
        "at1",
        "rt1",
        "account:read orders:read",
    )
    assert 590 < (tokens.expires_at - datetime.now(UTC)).total_seconds() <= 600
    _, _, headers, body = canned.received[0]
    form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
    assert form["grant_type"] == "authorization_code" and form["code"] == "c0de"
    assert form["code_verifier"] == "v" * 50
    assert form["redirect_uri"] == "https://cyan.example/cb/"
    assert headers["Authorization"] == "Basic " + base64.b64encode(b"cid:csecret").decode()


def test_refused_grant_is_a_grant_error_with_the_oauth_code(canned):
    canned.routes["POST /oauth/token/"] = (400, {"error": "invalid_grant"}, 0)
    with pytest.raises(ProviderGrantError) as exc:
        client_for(canned.url).refresh(refresh_token="rt-old")
    assert exc.value.code == "invalid_grant"
    form = parse_qs(canned.received[0][3].decode())
    assert form["grant_type"] == ["refresh_token"] and form["refresh_token"] == ["rt-old"]
    assert "scope" not in form


def test_refresh_without_a_new_refresh_token_keeps_the_old_one(canned):
    canned.routes["POST /oauth/token/"] = (200, {"access_token": "at2", "expires_in": 60}, 0)
    assert client_for(canned.url).refresh(refresh_token="rt1").refresh_token == "rt1"


def test_resource_errors(canned):
    canned.routes["GET /api/v1/account"] = (
        401,
        {"error": {"code": "invalid_token", "message": "Token expired"}},
        0,
    )
    canned.routes["POST /api/v1/webhooks"] = (
        422,
        {"error": {"code": "invalid_url", "message": "Bad URL"}},
        0,
    )
    client = client_for(canned.url)
    with pytest.raises(ProviderAuthError) as auth:
        client.get_account(access_token="at")
    assert (auth.value.code, auth.value.status) == ("invalid_token", 401)
    with pytest.raises(ProviderError) as error:
        client.register_webhook(access_token="at", url="x")
    assert (error.value.code, error.value.status) == ("invalid_url", 422)
    assert "Bad URL" in error.value.message
    assert canned.received[0][2]["Authorization"] == "Bearer at"


def test_delete_of_a_webhook_already_gone_is_fine(canned):
    client_for(canned.url).delete_webhook(access_token="at", subscription_id="wh_gone")
    assert canned.received[0][:2] == ("DELETE", "/api/v1/webhooks/wh_gone")


def test_list_orders_passes_paging_and_reads_the_page(canned):
    canned.routes["GET /api/v1/orders"] = (200, {"data": [{"id": "ord_1"}], "next_cursor": "c2"}, 0)
    page = client_for(canned.url).list_orders(
        access_token="at",
        updated_since=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        cursor="c1",
        limit=50,
    )
    assert page.orders == [{"id": "ord_1"}] and page.next_cursor == "c2"
    query = parse_qs(urlsplit(canned.received[0][1]).query)
    assert query == {
        "updated_since": ["2026-01-02T03:04:05+00:00"],
        "cursor": ["c1"],
        "limit": ["50"],
    }


def test_connection_refused_and_timeouts_are_unreachable(canned):
    closed = client_for(f"http://127.0.0.1:{free_port()}")
    with pytest.raises(ProviderUnreachable):
        closed.get_account(access_token="at")
    with pytest.raises(ProviderUnreachable):
        closed.exchange_code(code="c", redirect_uri="https://x/cb/", code_verifier="v" * 50)
    with pytest.raises(ProviderUnreachable):
        closed.revoke(token="t", token_type_hint="access_token")
    canned.routes["GET /api/v1/account"] = (200, {"id": "acc"}, 1.5)
    with pytest.raises(ProviderUnreachable):
        client_for(canned.url, timeout=0.3).get_account(access_token="at")
