"""The OAuth server at ShootProof's paths: login, Approve, code, token, rotation, revoke."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from .conftest import AUTHORIZE, REDIRECT_URI, REVOKE, Api, authorize_params, pkce_pair
from .conftest import redirect_query as query_of

pytestmark = pytest.mark.django_db


def test_authorize_asks_to_log_in_first(client, cyan_app):
    response = client.get(AUTHORIZE, authorize_params())
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/oauth2/authorization/new")


def test_login_then_approve_page_with_brands_and_an_approve_button(client, cyan_app, demo):
    first = client.get(AUTHORIZE, authorize_params())
    next_url = parse_qs(urlsplit(first.url).query)["next"][0]
    login = client.post(
        "/login/",
        {
            "username": "Photographer@ShootProof.test",
            "password": "shootproof-demo",
            "next": next_url,
        },
    )
    assert login.status_code == 302 and login["Location"] == next_url
    html = client.get(next_url).content.decode()
    assert "Cyan wants to access your ShootProof studio" in html
    assert ">Approve</button>" in html and ">Deny</button>" in html
    assert "Juniper Lane Photography" in html and "Juniper Lane Weddings" in html


def test_approve_redirects_with_a_code_and_the_same_state(oauth):
    assert len(oauth.code(state="opaque-Ω-42")) > 10


def test_deny_redirects_with_access_denied(oauth):
    params = authorize_params(state="s-deny")
    query = query_of(oauth.client.post(AUTHORIZE, {**params, "deny": "Deny"}))
    assert query == {"error": "access_denied", "state": "s-deny"}


def test_an_unregistered_redirect_uri_is_never_redirected_to(oauth):
    params = authorize_params() | {"redirect_uri": "http://evil.example/cb"}
    response = oauth.client.get(AUTHORIZE, params)
    assert response.status_code == 400 and "Location" not in response


def test_loopback_redirect_uri_matches_any_port(oauth):
    other = "http://127.0.0.1:54321/galleries/shootproof/callback/"
    response = oauth.client.get(AUTHORIZE, authorize_params() | {"redirect_uri": other})
    assert response.status_code == 200


def test_code_exchange_gives_two_week_tokens(tokens):
    assert tokens["token_type"] == "Bearer"
    assert tokens["expires_in"] == 1209600 == settings.SHOOTPROOF_ACCESS_TOKEN_SECONDS
    assert tokens["scope"] == "studio"
    assert tokens["refresh_token"] and tokens["access_token"]


def test_client_credentials_in_http_basic_work_too(oauth):
    code = oauth.code()
    status, data = oauth.token(
        {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI},
        basic=True,
    )
    assert status == 200 and data["access_token"]


def test_a_code_works_once(oauth):
    code = oauth.code()
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI}
    assert oauth.token(data)[0] == 200
    status, again = oauth.token(data)
    assert status == 400 and again["error"] == "invalid_grant"


def test_wrong_client_secret_is_refused(oauth):
    code = oauth.code()
    status, data = oauth.token(
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT_URI,
            "client_secret": "nope",
        }
    )
    assert status == 401 and data["error"] == "invalid_client"


def test_pkce_is_optional_but_checked_when_sent(oauth):
    verifier, challenge = pkce_pair()
    code = oauth.code(challenge=challenge)
    base = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI}
    status, data = oauth.token({**base, "code_verifier": pkce_pair()[0]})
    assert status == 400 and data["error"] == "invalid_grant"
    code = oauth.code(challenge=challenge)
    status, data = oauth.token({**base, "code": code, "code_verifier": verifier})
    assert status == 200, data


def test_refresh_rotates_and_the_old_refresh_token_is_refused(oauth, tokens, client):
    status, fresh = oauth.token(
        {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
    )
    assert status == 200, fresh
    assert fresh["access_token"] != tokens["access_token"]
    assert fresh["refresh_token"] != tokens["refresh_token"]
    assert fresh["expires_in"] == 1209600
    status, old = oauth.token(
        {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
    )
    assert status == 400 and old == {"error": "invalid_grant"}
    assert Api(client, fresh["access_token"]).get("/studio").status_code == 200
    assert Api(client, tokens["access_token"]).get("/studio").status_code == 401
    status, again = oauth.token(
        {"grant_type": "refresh_token", "refresh_token": fresh["refresh_token"]}
    )
    assert status == 200 and again["refresh_token"] not in (
        fresh["refresh_token"],
        tokens["refresh_token"],
    )


def test_revoking_the_access_token_stops_the_api(oauth, tokens, client):
    response = client.post(
        REVOKE,
        {
            "token": tokens["access_token"],
            "token_type_hint": "access_token",
            "client_id": settings.SHOOTPROOF_CLIENT_ID,
            "client_secret": settings.SHOOTPROOF_CLIENT_SECRET,
        },
    )
    assert response.status_code == 200
    assert Api(client, tokens["access_token"]).get("/studio").status_code == 401


def test_revoking_the_refresh_token_stops_refreshes(oauth, tokens, client):
    client.post(
        REVOKE,
        {
            "token": tokens["refresh_token"],
            "token_type_hint": "refresh_token",
            "client_id": settings.SHOOTPROOF_CLIENT_ID,
            "client_secret": settings.SHOOTPROOF_CLIENT_SECRET,
        },
    )
    status, data = oauth.token(
        {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
    )
    assert status == 400 and data["error"] == "invalid_grant"


def test_an_access_token_expires_after_two_weeks(tokens, client):
    api = Api(client, tokens["access_token"])
    later = timezone.now() + dt.timedelta(seconds=1209600 + 5)
    with time_machine.travel(later, tick=False):
        response = api.get("/studio")
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]
