"""Fixtures: the Cyan client, the demo account, an OAuth dance, a real webhook receiver."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings

REDIRECT_URI = "http://127.0.0.1:8000/galleries/pictime/callback/"
ALL_SCOPES = "account:read orders:read webhooks:write"
CONTROL = {"HTTP_AUTHORIZATION": "Bearer test-control-token"}


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).decode().rstrip("=")


def authorize_params(challenge: str | None, state: str = "st-123", scope: str = ALL_SCOPES):
    params = {
        "response_type": "code",
        "client_id": settings.PICTIME_CLIENT_ID,
        "redirect_uri": REDIRECT_URI,
        "scope": scope,
        "state": state,
    }
    if challenge is not None:
        params |= {"code_challenge": challenge, "code_challenge_method": "S256"}
    return params


def redirect_query(response) -> dict[str, str]:
    assert response.status_code == 302, response.content[:500]
    location = response["Location"]
    assert location.startswith(REDIRECT_URI), location
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


@pytest.fixture
def cyan_app(db):
    from standin.bootstrap import ensure_cyan_application

    return ensure_cyan_application()


@pytest.fixture
def demo(db):
    from standin.bootstrap import ensure_demo_account

    return ensure_demo_account()


@dataclass
class OAuth:
    client: object
    verifier: str = ""

    def code(self, state: str = "st-123", scope: str = ALL_SCOPES) -> str:
        self.verifier, challenge = pkce_pair()
        params = authorize_params(challenge, state=state, scope=scope)
        page = self.client.get("/oauth/authorize/", params)
        assert page.status_code == 200, page.content[:500]
        response = self.client.post("/oauth/authorize/", {**params, "allow": "Approve"})
        query = redirect_query(response)
        assert query["state"] == state
        return query["code"]

    def token(self, data: dict) -> tuple[int, dict]:
        base = {
            "client_id": settings.PICTIME_CLIENT_ID,
            "client_secret": settings.PICTIME_CLIENT_SECRET,
        }
        response = self.client.post("/oauth/token/", {**base, **data})
        return response.status_code, json.loads(response.content or b"{}")

    def tokens(self, scope: str = ALL_SCOPES) -> dict:
        code = self.code(scope=scope)
        status, body = self.token(
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": REDIRECT_URI,
                "code_verifier": self.verifier,
            }
        )
        assert status == 200, body
        return body


@pytest.fixture
def oauth(client, cyan_app, demo) -> OAuth:
    client.force_login(demo.user)
    return OAuth(client)


@pytest.fixture
def tokens(oauth) -> dict:
    return oauth.tokens()


@pytest.fixture
def api(client, tokens):
    """GET/POST/DELETE on the resource API with the demo account's access token."""

    class Api:
        def __init__(self, access: str) -> None:
            self.headers = {"HTTP_AUTHORIZATION": f"Bearer {access}"}

        def get(self, path: str, params: dict | None = None):
            return client.get(path, params or {}, **self.headers)

        def post(self, path: str, data: dict):
            return client.post(path, data, content_type="application/json", **self.headers)

        def delete(self, path: str):
            return client.delete(path, **self.headers)

    return Api(tokens["access_token"])


@pytest.fixture
def control(client):
    class Control:
        def post(self, path: str, data: dict | None = None):
            return client.post(path, data or {}, content_type="application/json", **CONTROL)

        def get(self, path: str, params: dict | None = None):
            return client.get(path, params or {}, **CONTROL)

    return Control()


@dataclass
class Receiver:
    """A real HTTP server on a free loopback port that records webhook POSTs."""

    statuses: list[int] = field(default_factory=list)  # answers to give, then 200 forever
    received: list[dict] = field(default_factory=list)
    url: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self) -> int:
        with self.lock:
            return self.statuses.pop(0) if self.statuses else 200


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    rec = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            status = rec.answer()
            with rec.lock:
                rec.received.append(
                    {"headers": dict(self.headers.items()), "body": body, "status": status}
                )
            self.send_response(status)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    rec.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/pictime"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield rec
    server.shutdown()
    server.server_close()
