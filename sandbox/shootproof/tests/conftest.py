"""Fixtures: the Cyan client, the demo studio, an OAuth dance, API and control clients."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass

import pytest
from django.conf import settings

REDIRECT_URI = "http://127.0.0.1:8000/galleries/shootproof/callback/"
AUTHORIZE = "/oauth2/authorization/new"
TOKEN = "/oauth2/authorization/token"
REVOKE = "/oauth2/authorization/revoke"
CONTROL = {"HTTP_AUTHORIZATION": "Bearer test-control-token"}
MEDIA_TYPE = "application/vnd.shootproof+json"


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).decode().rstrip("=")


def authorize_params(state: str = "st-123", scope: str = "studio", challenge: str = "") -> dict:
    params = {
        "response_type": "code",
        "client_id": settings.SHOOTPROOF_CLIENT_ID,
        "redirect_uri": REDIRECT_URI,
        "scope": scope,
        "state": state,
    }
    if challenge:
        params |= {"code_challenge": challenge, "code_challenge_method": "S256"}
    return params


def redirect_query(response) -> dict[str, str]:
    from urllib.parse import parse_qs, urlsplit

    assert response.status_code == 302, response.content[:500]
    location = response["Location"]
    assert location.startswith(REDIRECT_URI), location
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def body(response) -> dict:
    return json.loads(response.content)


@pytest.fixture
def cyan_app(db):
    from spstandin.bootstrap import ensure_cyan_application

    return ensure_cyan_application()


@pytest.fixture
def demo(db):
    from spstandin.bootstrap import ensure_demo_account

    return ensure_demo_account()


@dataclass
class OAuth:
    client: object

    def code(self, state: str = "st-123", scope: str = "studio", challenge: str = "") -> str:
        params = authorize_params(state=state, scope=scope, challenge=challenge)
        page = self.client.get(AUTHORIZE, params)
        assert page.status_code == 200, page.content[:500]
        response = self.client.post(AUTHORIZE, {**params, "allow": "Approve"})
        query = redirect_query(response)
        assert query["state"] == state
        return query["code"]

    def token(self, data: dict, basic: bool = False) -> tuple[int, dict]:
        creds = {
            "client_id": settings.SHOOTPROOF_CLIENT_ID,
            "client_secret": settings.SHOOTPROOF_CLIENT_SECRET,
        }
        headers = {}
        if basic:
            raw = f"{creds['client_id']}:{creds['client_secret']}".encode()
            headers["HTTP_AUTHORIZATION"] = "Basic " + base64.b64encode(raw).decode()
            creds = {}
        response = self.client.post(TOKEN, {**creds, **data}, **headers)
        return response.status_code, json.loads(response.content or b"{}")

    def tokens(self, scope: str = "studio") -> dict:
        code = self.code(scope=scope)
        status, data = self.token(
            {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI}
        )
        assert status == 200, data
        return data


@pytest.fixture
def oauth(client, cyan_app, demo) -> OAuth:
    client.force_login(demo.user)
    return OAuth(client)


@pytest.fixture
def tokens(oauth) -> dict:
    return oauth.tokens()


class Api:
    def __init__(self, client, access: str) -> None:
        self.client = client
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {access}"}

    def get(self, path: str, params: dict | None = None):
        return self.client.get(path, params or {}, **self.headers)

    def post(self, path: str, data: dict | None = None):
        return self.client.post(path, data or {}, content_type="application/json", **self.headers)


@pytest.fixture
def api(client, tokens) -> Api:
    """The Studio API with the demo studio's access token (scope ``studio``)."""
    return Api(client, tokens["access_token"])


@pytest.fixture
def brands(demo) -> list:
    return list(demo.brands.order_by("id"))


class Control:
    def __init__(self, client) -> None:
        self.client = client

    def post(self, path: str, data: dict | None = None):
        return self.client.post(path, data or {}, content_type="application/json", **CONTROL)

    def get(self, path: str):
        return self.client.get(path, **CONTROL)

    def delete(self, path: str):
        return self.client.delete(path, **CONTROL)

    def orders(self, **data) -> list[dict]:
        data.setdefault("account_email", settings.SHOOTPROOF_DEMO_EMAIL)
        response = self.post("/control/orders", data)
        assert response.status_code == 201, response.content
        return body(response)["orders"]


@pytest.fixture
def control(client, demo) -> Control:
    return Control(client)
