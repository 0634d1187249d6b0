"""The OAuth server: login, Approve page, PKCE, state, rotation, expiry, revocation."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone
from oauth2_provider.models import AccessToken, RefreshToken
from standin.models import WebhookEndpoint

from .conftest import ALL_SCOPES, REDIRECT_URI, authorize_params, pkce_pair, redirect_query

pytestmark = pytest.mark.django_db


def test_authorize_requires_login(client, cyan_app):
    _, challenge = pkce_pair()
    response = client.get("/oauth/authorize/", authorize_params(challenge))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/oauth/authorize/")


def test_login_then_approve_page_names_cyan_scopes_and_buttons(client, cyan_app, demo):
    _, challenge = pkce_pair()
    params = authorize_params(challenge)
    first = client.get("/oauth/authorize/", params)
    next_url = parse_qs(urlsplit(first.url).query)["next"][0]
    assert next_url.startswith("/oauth/authorize/?")
    login_page = client.get(first.url)
    assert b'name="next"' in login_page.content
    login = client.post(
        "/login/",
        {"username": "Photographer@pictime.test", "password": "pictime-demo", "next": next_url},
    )
    assert login.status_code == 302 and login["Location"] == next_url
    page = client.get(login["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "Cyan wants to access your Pic-Time account" in html
    assert ">Approve</button>" in html and ">Deny</button>" in html
    for words in settings.OAUTH2_PROVIDER["SCOPES"].values():
        assert words in html


def test_approve_page_is_shown_again_after_a_previous_grant(oauth):
    oauth.tokens()
    _, challenge = pkce_pair()
    page = oauth.client.get("/oauth/authorize/", authorize_params(challenge))
    assert page.status_code == 200
    assert b">Approve</button>" in page.content


def test_authorize_without_code_challenge_is_refused(oauth):
    response = oauth.client.get("/oauth/authorize/", authorize_params(None, state="s-nopkce"))
    query = redirect_query(response)
    assert query["error"] == "invalid_request"
    assert query["state"] == "s-nopkce"
    assert "code" not in query


def test_plain_pkce_method_is_refused(oauth):
    params = authorize_params("a" * 43, state="s-plain") | {"code_challenge_method": "plain"}
    query = redirect_query(oauth.client.get("/oauth/authorize/", params))
    assert query["error"] == "invalid_request"
    assert query["state"] == "s-plain"


def test_approve_redirects_with_code_and_the_same_state(oauth):
    code = oauth.code(state="opaque-state-Ω-42")
    assert len(code) > 10


def test_deny_redirects_with_access_denied_and_state(oauth):
    _, challenge = pkce_pair()
    params = authorize_params(challenge, state="s-deny")
    response = oauth.client.post("/oauth/authorize/", {**params, "deny": "Deny"})
    query = redirect_query(response)
    assert query == {"error": "access_denied", "state": "s-deny"}


def test_unregistered_redirect_uri_is_never_redirected_to(oauth):
    _, challenge = pkce_pair()
    params = authorize_params(challenge) | {"redirect_uri": "http://evil.example/cb"}
    response = oauth.client.get("/oauth/authorize/", params)
    assert response.status_code == 400
    assert "Location" not in response
    assert "This link can't be used" in response.content.decode()


def test_wrong_code_verifier_is_refused(oauth):
    code = oauth.code()
    status, body = oauth.token(
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT_URI,
            "code_verifier": pkce_pair()[0],
        }
    )
    assert status == 400 and body["error"] == "invalid_grant"


def test_missing_code_verifier_is_refused(oauth):
    code = oauth.code()
    status, body = oauth.token(
        {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI}
    )
    assert status == 400 and body["error"] == "invalid_request"


def test_wrong_client_secret_is_refused(oauth):
    code = oauth.code()
    status, body = oauth.token(
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT_URI,
            "code_verifier": oauth.verifier,
            "client_secret": "not-the-secret",
        }
    )
    assert status == 401 and body["error"] == "invalid_client"


def test_code_exchange_returns_tokens_with_lifetime_and_scopes(tokens):
    assert tokens["token_type"] == "Bearer"
    assert tokens["expires_in"] == settings.PICTIME_ACCESS_TOKEN_SECONDS
    assert set(tokens["scope"].split()) == set(ALL_SCOPES.split())
    assert tokens["refresh_token"]


def test_a_code_works_only_once(oauth):
    code = oauth.code()
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT_URI,
        "code_verifier": oauth.verifier,
    }
    assert oauth.token(data)[0] == 200
    assert oauth.token(data)[0] == 400


def test_refresh_rotates_and_the_old_refresh_token_stops_working(oauth, tokens, client):
    status, fresh = oauth.token(
        {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
    )
    assert status == 200
    assert fresh["refresh_token"] != tokens["refresh_token"]
    assert fresh["access_token"] != tokens["access_token"]
    status, again = oauth.token(
        {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
    )
    assert status == 400 and again["error"] == "invalid_grant"
    old = client.get("/api/v1/account", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}")
    assert old.status_code == 401
    new = client.get("/api/v1/account", HTTP_AUTHORIZATION=f"Bearer {fresh['access_token']}")
    assert new.status_code == 200
    status, third = oauth.token(
        {"grant_type": "refresh_token", "refresh_token": fresh["refresh_token"]}
    )
    assert status == 200 and third["refresh_token"] != fresh["refresh_token"]


def test_access_token_expires_and_refresh_still_works(oauth, tokens, client):
    later = timezone.now() + dt.timedelta(seconds=settings.PICTIME_ACCESS_TOKEN_SECONDS + 5)
    with time_machine.travel(later, tick=False):
        response = client.get(
            "/api/v1/account", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}"
        )
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "invalid_token"
        assert "expired" in response.json()["error"]["message"]
        assert 'error="invalid_token"' in response["WWW-Authenticate"]
        status, fresh = oauth.token(
            {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
        )
        assert status == 200
        ok = client.get("/api/v1/account", HTTP_AUTHORIZATION=f"Bearer {fresh['access_token']}")
        assert ok.status_code == 200


def test_revoking_the_refresh_token_unlinks_and_removes_webhooks(oauth, tokens, api, receiver):
    assert api.post("/api/v1/webhooks", {"url": receiver.url}).status_code == 201
    response = oauth.client.post(
        "/oauth/revoke_token/",
        {
            "token": tokens["refresh_token"],
            "token_type_hint": "refresh_token",
            "client_id": settings.PICTIME_CLIENT_ID,
            "client_secret": settings.PICTIME_CLIENT_SECRET,
        },
    )
    assert response.status_code == 200
    assert api.get("/api/v1/account").status_code == 401
    status, _ = oauth.token(
        {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
    )
    assert status == 400
    assert not WebhookEndpoint.objects.filter(disabled_at__isnull=True).exists()


def test_revoking_the_access_token_revokes_its_refresh_token_too(oauth, tokens, api):
    oauth.client.post(
        "/oauth/revoke_token/",
        {
            "token": tokens["access_token"],
            "client_id": settings.PICTIME_CLIENT_ID,
            "client_secret": settings.PICTIME_CLIENT_SECRET,
        },
    )
    assert api.get("/api/v1/account").status_code == 401
    assert not AccessToken.objects.exists()
    assert not RefreshToken.objects.filter(revoked__isnull=True).exists()


def test_revoking_one_grant_keeps_webhooks_while_another_grant_lives(oauth, api, receiver):
    second = oauth.tokens()
    api.post("/api/v1/webhooks", {"url": receiver.url})
    oauth.client.post(
        "/oauth/revoke_token/",
        {
            "token": second["refresh_token"],
            "client_id": settings.PICTIME_CLIENT_ID,
            "client_secret": settings.PICTIME_CLIENT_SECRET,
        },
    )
    assert WebhookEndpoint.objects.filter(disabled_at__isnull=True).count() == 1


def test_cyan_application_is_idempotent_and_follows_settings(cyan_app, settings):
    from standin.bootstrap import ensure_cyan_application

    settings.PICTIME_REDIRECT_URIS = ["http://127.0.0.1:9999/cb/"]
    app = ensure_cyan_application()
    assert app.pk == cyan_app.pk and app.name == "Cyan"
    assert app.redirect_uris == "http://127.0.0.1:9999/cb/"
    assert app.skip_authorization is False


def test_not_you_logs_out_and_comes_back_to_the_same_request(oauth):
    _, challenge = pkce_pair()
    page = oauth.client.get("/oauth/authorize/", authorize_params(challenge))
    assert b"Use another Pic-Time account" in page.content
    full_path = page.wsgi_request.get_full_path()
    out = oauth.client.post("/logout/", {"next": full_path})
    assert out["Location"] == full_path
    assert oauth.client.get(full_path)["Location"].startswith("/login/?next=")


def test_token_endpoint_also_answers_without_trailing_slash(oauth):
    code = oauth.code()
    response = oauth.client.post(
        "/oauth/token",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT_URI,
            "code_verifier": oauth.verifier,
            "client_id": settings.PICTIME_CLIENT_ID,
            "client_secret": settings.PICTIME_CLIENT_SECRET,
        },
    )
    assert response.status_code == 200 and response.json()["access_token"]


@pytest.mark.parametrize(
    ("redirect", "allowed"),
    [
        ("http://127.0.0.1:54321/galleries/pictime/callback/", True),
        ("http://localhost:54321/galleries/pictime/callback/", True),
        ("http://127.0.0.1:54321/elsewhere/", False),
        ("https://127.0.0.1:8000/galleries/pictime/callback/", False),
    ],
)
def test_loopback_redirect_uris_match_on_any_port(oauth, redirect, allowed):
    _, challenge = pkce_pair()
    params = authorize_params(challenge) | {"redirect_uri": redirect}
    response = oauth.client.get("/oauth/authorize/", params)
    assert response.status_code == (200 if allowed else 400)


def test_relink_new_subscription_then_old_one_deleted_and_old_tokens_revoked(
    oauth, tokens, api, client, receiver
):
    old_hook = api.post("/api/v1/webhooks", {"url": receiver.url}).json()
    fresh = oauth.tokens()
    new_headers = {"HTTP_AUTHORIZATION": f"Bearer {fresh['access_token']}"}
    new_hook = client.post(
        "/api/v1/webhooks", {"url": receiver.url}, content_type="application/json", **new_headers
    ).json()
    assert new_hook["id"] != old_hook["id"]
    client.delete(f"/api/v1/webhooks/{old_hook['id']}", **new_headers)
    for token in (tokens["refresh_token"], tokens["access_token"]):
        oauth.client.post(
            "/oauth/revoke_token/",
            {
                "token": token,
                "client_id": settings.PICTIME_CLIENT_ID,
                "client_secret": settings.PICTIME_CLIENT_SECRET,
            },
        )
    live = WebhookEndpoint.objects.filter(disabled_at__isnull=True)
    assert [e.public_id for e in live] == [new_hook["id"]]
    assert client.get("/api/v1/account", **new_headers).status_code == 200
