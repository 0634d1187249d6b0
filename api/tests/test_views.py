"""Preferences → Integrations → "API & Zapier"."""

import re

import pytest
from django.urls import reverse

from api.models import ApiKey
from api.services import authenticate_api_key, generate_api_key

pytestmark = pytest.mark.django_db
KEY_PATTERN = re.compile(r"cyan_[a-z0-9]{8}_[A-Za-z0-9]{32}")


def test_page_explains_keys_and_offers_the_button(auth_client):
    response = auth_client.get(reverse("api_keys:index"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Generate API Key" in html
    assert "Zapier" in html and "theimagefile" in html
    assert "No API keys yet" in html
    assert response.context["subtab"] == "api" and response.context["tab"] == "integrations"


def test_page_requires_login(client):
    response = client.get(reverse("api_keys:index"))
    assert response.status_code == 302


def test_generate_shows_the_key_once_and_reload_does_not(auth_client, studio):
    posted = auth_client.post(reverse("api_keys:generate"), {"name": "Zapier"})
    assert posted.status_code == 302  # a reload of what follows never posts again
    response = auth_client.get(posted["Location"])
    html = response.content.decode()
    assert response.status_code == 200
    keys_shown = KEY_PATTERN.findall(html)
    assert len(set(keys_shown)) == 1
    raw = keys_shown[0]
    assert "only time" in html
    assert "no-store" in response.headers.get("Cache-Control", "")

    reloaded = auth_client.get(reverse("api_keys:index")).content.decode()
    assert raw not in reloaded and not KEY_PATTERN.search(reloaded)
    api_key = ApiKey.objects.get(studio=studio)
    assert api_key.shown_prefix in reloaded and "Zapier" in reloaded
    assert "Never" in reloaded  # last used
    assert authenticate_api_key(raw) == api_key


def test_generate_refuses_an_overlong_name_at_the_field(auth_client, studio):
    response = auth_client.post(reverse("api_keys:generate"), {"name": "x" * 101})
    assert response.status_code == 400
    assert "at most 100 characters" in response.content.decode()
    assert not ApiKey.objects.filter(studio=studio).exists()


def test_generate_is_post_only(auth_client, studio):
    assert auth_client.get(reverse("api_keys:generate")).status_code == 405
    assert not ApiKey.objects.filter(studio=studio).exists()


def test_revoke_asks_first_then_revokes(auth_client, studio):
    api_key, raw = generate_api_key(studio=studio, name="theimagefile")
    url = reverse("api_keys:revoke", args=[api_key.pk])
    confirm = auth_client.get(url)
    assert confirm.status_code == 200 and "Yes, revoke it" in confirm.content.decode()
    assert authenticate_api_key(raw) is not None  # the GET changed nothing

    response = auth_client.post(url, follow=True)
    html = response.content.decode()
    assert "was revoked" in html and "Revoked" in html
    assert "linked online galleries are not affected" in html
    assert authenticate_api_key(raw) is None


def test_rotate_asks_first_then_shows_the_new_key_once(auth_client, studio):
    old, old_raw = generate_api_key(studio=studio, name="Zapier")
    url = reverse("api_keys:rotate", args=[old.pk])
    assert "Yes, rotate it" in auth_client.get(url).content.decode()
    html = auth_client.post(url, follow=True).content.decode()
    new_raw = KEY_PATTERN.findall(html)[0]
    assert new_raw != old_raw
    assert authenticate_api_key(old_raw) is None
    assert authenticate_api_key(new_raw).name == "Zapier"
    assert new_raw not in auth_client.get(reverse("api_keys:index")).content.decode()


def test_rotating_a_revoked_key_says_so(auth_client, studio):
    api_key, _ = generate_api_key(studio=studio)
    auth_client.post(reverse("api_keys:revoke", args=[api_key.pk]))
    response = auth_client.post(reverse("api_keys:rotate", args=[api_key.pk]), follow=True)
    assert "This key is revoked" in response.content.decode()
    assert ApiKey.objects.filter(studio=studio).count() == 1


def test_another_studios_key_is_404(auth_client, other_studio_and_owner):
    theirs, raw = generate_api_key(studio=other_studio_and_owner[0])
    assert auth_client.get(reverse("api_keys:revoke", args=[theirs.pk])).status_code == 404
    assert auth_client.post(reverse("api_keys:revoke", args=[theirs.pk])).status_code == 404
    assert auth_client.post(reverse("api_keys:rotate", args=[theirs.pk])).status_code == 404
    assert authenticate_api_key(raw) is not None


def test_last_used_shows_after_an_api_call(auth_client, client, studio):
    _api_key, raw = generate_api_key(studio=studio)
    auth_client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    html = auth_client.get(reverse("api_keys:index")).content.decode()
    assert "Never" not in html and "now" in html


def test_the_new_key_waits_in_the_session_encrypted_and_only_once(auth_client, studio):
    auth_client.post(reverse("api_keys:generate"), {"name": "Zapier"})
    stored = auth_client.session["api_new_key"]
    first = auth_client.get(reverse("api_keys:index")).content.decode()
    raw = KEY_PATTERN.findall(first)[0]
    assert raw not in str(stored)  # never in the session store as plaintext
    assert "api_new_key" not in auth_client.session
    assert not KEY_PATTERN.search(auth_client.get(reverse("api_keys:index")).content.decode())


def test_a_new_key_is_not_shown_to_another_studio(
    auth_client, client, studio, other_studio_and_owner
):
    auth_client.post(reverse("api_keys:generate"), {"name": "Zapier"})
    handed = auth_client.session["api_new_key"]
    _other_studio, other_owner = other_studio_and_owner
    client.force_login(other_owner)
    session = client.session
    session["api_new_key"] = handed  # a session that somehow holds another studio's key
    session.save()
    assert not KEY_PATTERN.search(client.get(reverse("api_keys:index")).content.decode())
