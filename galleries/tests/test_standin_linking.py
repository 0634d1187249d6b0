"""Linking against the real Pic-Time stand-in (a subprocess): the happy path and every
failure path, with the photographer played by StandInUser (requests, no browser)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from galleries.crypto import decrypt_secret
from galleries.models import GalleryLink, OAuthState
from testkit.standin.oauth import (
    authorise,
    follow_back,
    params,
    refresh_directly,
    stored_tokens,
)
from testkit.standin.server import DEMO_EMAIL
from testkit.standin.user import StandInUser

pytestmark = [pytest.mark.standin, pytest.mark.django_db]

AUTHORISE = reverse("galleries:authorise", args=["pictime"])
CONNECT = reverse("galleries:connect", args=["pictime"])
SETTINGS = reverse("galleries:settings")


def test_link_then_unlink(auth_client, studio, api_key, pictime):
    response = follow_back(auth_client, authorise(auth_client, pictime))
    assert response.redirect_chain[-1][0] == SETTINGS
    link = GalleryLink.objects.get(studio=studio)
    assert link.status == GalleryLink.Status.LINKED
    assert link.account_email == DEMO_EMAIL and link.provider_account_id.startswith("acc_")
    assert f"Your Pic-Time account {link.account_name} is linked" in response.content.decode()
    assert link.webhook_subscription_id
    assert decrypt_secret(link.webhook_secret_encrypted).startswith("whsec_")
    assert set(link.scopes.split()) == {"account:read", "orders:read", "webhooks:write"}

    access, refresh = stored_tokens(studio)
    account = pictime.api("GET", "/account", access)
    assert account.status_code == 200 and account.json()["id"] == link.provider_account_id

    response = auth_client.post(reverse("galleries:unlink", args=["pictime"]), follow=True)
    assert "was unlinked" in response.content.decode()
    assert GalleryLink.objects.get(studio=studio).status == GalleryLink.Status.UNLINKED
    assert pictime.api("GET", "/account", access).status_code == 401
    refused = refresh_directly(pictime, refresh)
    assert refused.status_code in {400, 401} and refused.json()["error"] == "invalid_grant"


def test_deny_at_pictime(auth_client, studio, api_key, pictime):
    callback = authorise(auth_client, pictime, decision="Deny")
    assert params(callback)["error"] == "access_denied"
    response = follow_back(auth_client, callback)
    assert response.redirect_chain[-1][0] == CONNECT
    assert "You did not approve Cyan" in response.content.decode()
    assert not GalleryLink.objects.exists()


def test_replayed_callback_and_replayed_code(auth_client, studio, api_key, pictime):
    callback = authorise(auth_client, pictime)
    follow_back(auth_client, callback)
    before = GalleryLink.objects.values().get()

    # The same callback again: the state is spent.
    response = follow_back(auth_client, callback)
    assert "already been used" in response.content.decode()

    # The old code with a fresh state: the stand-in's token endpoint refuses it.
    fresh_state = params(auth_client.post(AUTHORISE)["Location"])["state"]
    code = params(callback)["code"]
    response = auth_client.get(
        reverse("galleries:callback", args=["pictime"]),
        {"state": fresh_state, "code": code},
        follow=True,
    )
    assert "Pic-Time refused the authorisation code" in response.content.decode()
    assert GalleryLink.objects.values().get() == before


@pytest.mark.parametrize("state", ["", "forged-state"])
def test_missing_or_wrong_state(auth_client, studio, api_key, pictime, state):
    code = params(authorise(auth_client, pictime))["code"]
    response = auth_client.get(
        reverse("galleries:callback", args=["pictime"]), {"state": state, "code": code}, follow=True
    )
    html = response.content.decode()
    assert "carried no state" in html or "was not started from your Cyan account" in html
    assert not GalleryLink.objects.exists()


def test_expired_state(auth_client, studio, api_key, pictime):
    callback = authorise(auth_client, pictime)
    OAuthState.objects.update(created_at=timezone.now() - timedelta(minutes=11))
    response = follow_back(auth_client, callback)
    assert "took longer than 10 minutes" in response.content.decode()
    assert not GalleryLink.objects.exists()


def test_pictime_unreachable(auth_client, studio, api_key, pictime, settings):
    from testkit.standin.server import free_port

    callback = authorise(auth_client, pictime)
    settings.PICTIME_BASE_URL = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    response = follow_back(auth_client, callback)
    assert "Pic-Time could not be reached" in response.content.decode()
    assert not GalleryLink.objects.exists()


def test_account_already_linked_to_another_studio(
    client, studio, owner, api_key, pictime, other_studio_and_owner
):
    from api.services import generate_api_key

    client.force_login(owner)
    follow_back(client, authorise(client, pictime))
    first_access, _ = stored_tokens(studio)

    other_studio, other_owner = other_studio_and_owner
    generate_api_key(studio=other_studio)
    client.force_login(other_owner)
    response = follow_back(client, authorise(client, pictime))
    assert "already linked to another Cyan studio" in response.content.decode()
    assert not GalleryLink.objects.filter(studio=other_studio).exists()
    # The first studio's link is untouched and still works.
    assert pictime.api("GET", "/account", first_access).status_code == 200

    # Another Pic-Time account links to the other studio fine.
    email = f"second-{other_studio.pk}@pictime.test"
    created = pictime.control(
        "POST",
        "/control/accounts",
        {"email": email, "password": "second-pass-123", "name": "Second"},
    )
    assert created.status_code in {200, 201}, created.text
    photographer = StandInUser(pictime.url, email=email, password="second-pass-123")
    follow_back(client, authorise(client, pictime, user=photographer))
    other_link = GalleryLink.objects.get(studio=other_studio)
    assert (other_link.account_email, other_link.status) == (email, GalleryLink.Status.LINKED)


def test_relink_replaces_tokens_and_revokes_the_old(auth_client, studio, api_key, pictime):
    follow_back(auth_client, authorise(auth_client, pictime))
    old_access, old_refresh = stored_tokens(studio)
    response = follow_back(auth_client, authorise(auth_client, pictime))
    assert "is linked" in response.content.decode()
    new_access, _ = stored_tokens(studio)
    link = GalleryLink.objects.get(studio=studio)
    assert new_access != old_access
    assert pictime.api("GET", "/account", old_access).status_code == 401
    # The stand-in hands back the existing subscription for the same URL: it must survive
    # the retirement of the old credentials. (Other tests' URLs may be subscribed too.)
    hooks = pictime.api("GET", "/webhooks", new_access)
    assert hooks.status_code == 200, hooks.text
    assert link.webhook_subscription_id in {hook["id"] for hook in hooks.json()["data"]}
    assert pictime.api("GET", "/account", new_access).status_code == 200
    assert refresh_directly(pictime, old_refresh).status_code in {400, 401}
