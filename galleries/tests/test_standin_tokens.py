"""Token refresh, rotation, refresh on 401, refusal → needs_relink, and encryption at rest,
against the real Pic-Time stand-in."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
import requests
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from galleries import providers, services
from galleries.crypto import decrypt_secret
from galleries.models import GalleryLink
from testkit.standin.oauth import authorise, follow_back, refresh_directly
from testkit.standin.server import StandIn, point_cyan_at

pytestmark = pytest.mark.standin


def link_studio(client, studio, standin: StandIn) -> GalleryLink:
    follow_back(client, authorise(client, standin))
    return GalleryLink.objects.get(studio=studio, status=GalleryLink.Status.LINKED)


def tokens(link: GalleryLink) -> tuple[str, str]:
    link.refresh_from_db()
    return decrypt_secret(link.access_token_encrypted), decrypt_secret(link.refresh_token_encrypted)


def get_account(link: GalleryLink):
    client = providers.get("pictime").client()
    return services.call_with_access_token(
        link=link, call=lambda token: client.get_account(access_token=token)
    )


def revoke_directly(standin: StandIn, token: str, hint: str) -> None:
    response = requests.post(
        f"{standin.url}/oauth/revoke_token/",
        data={"token": token, "token_type_hint": hint},
        auth=(standin.client_id, standin.client_secret),
        timeout=10,
    )
    assert response.status_code == 200, response.text


@pytest.mark.django_db
def test_refresh_before_expiry_rotates_and_old_refresh_token_dies(
    auth_client, studio, api_key, pictime
):
    link = link_studio(auth_client, studio, pictime)
    old_access, old_refresh = tokens(link)
    GalleryLink.objects.filter(pk=link.pk).update(
        access_token_expires_at=timezone.now() + timedelta(seconds=30)
    )
    link.refresh_from_db()
    assert get_account(link).id == link.provider_account_id
    new_access, new_refresh = tokens(link)
    assert new_access != old_access and new_refresh != old_refresh
    assert link.access_token_expires_at > timezone.now() + timedelta(minutes=5)
    refused = refresh_directly(pictime, old_refresh)
    assert refused.status_code in {400, 401} and refused.json()["error"] == "invalid_grant"
    assert pictime.api("GET", "/account", new_access).status_code == 200


@pytest.mark.django_db
def test_refresh_on_401_when_the_token_died_before_cyan_expected(
    auth_client, studio, api_key, settings, short_lived_standin
):
    """Tokens live 3 s at this stand-in; Cyan is told they live an hour (clock skew), so
    only the stand-in's 401 can prompt the refresh."""
    point_cyan_at(settings, short_lived_standin)
    link = link_studio(auth_client, studio, short_lived_standin)
    old_access, old_refresh = tokens(link)
    GalleryLink.objects.filter(pk=link.pk).update(
        access_token_expires_at=timezone.now() + timedelta(hours=1)
    )
    link.refresh_from_db()
    time.sleep(3.5)
    assert short_lived_standin.api("GET", "/account", old_access).status_code == 401
    assert get_account(link).id == link.provider_account_id
    new_access, new_refresh = tokens(link)
    assert new_access != old_access and new_refresh != old_refresh
    assert refresh_directly(short_lived_standin, old_refresh).status_code in {400, 401}


@pytest.mark.django_db
def test_short_lived_tokens_are_refreshed_before_each_call(
    auth_client, studio, api_key, settings, short_lived_standin
):
    point_cyan_at(settings, short_lived_standin)
    link = link_studio(auth_client, studio, short_lived_standin)
    first_access, _ = tokens(link)
    # 3-second tokens are always within Cyan's 60-second margin: refreshed before use.
    assert get_account(link).id == link.provider_account_id
    assert tokens(link)[0] != first_access


@pytest.mark.django_db
def test_refused_refresh_marks_needs_relink_and_the_tab_says_so(
    auth_client, studio, api_key, pictime
):
    link = link_studio(auth_client, studio, pictime)
    _, refresh = tokens(link)
    revoke_directly(pictime, refresh, "refresh_token")  # e.g. access removed at Pic-Time
    GalleryLink.objects.filter(pk=link.pk).update(access_token_expires_at=timezone.now())
    link.refresh_from_db()
    with pytest.raises(services.LinkNeedsRelink):
        get_account(link)
    link.refresh_from_db()
    assert link.status == GalleryLink.Status.NEEDS_RELINK and link.last_error
    html = auth_client.get(reverse("galleries:settings")).content.decode()
    assert "Pic-Time needs re-linking." in html and 'role="alert"' in html

    # Re-linking mends it.
    follow_back(auth_client, authorise(auth_client, pictime))
    link.refresh_from_db()
    assert link.status == GalleryLink.Status.LINKED and link.last_error == ""
    assert get_account(link).id == link.provider_account_id


@pytest.mark.django_db
def test_tokens_and_webhook_secret_are_never_stored_in_clear(
    auth_client, studio, api_key, pictime, settings
):
    link = link_studio(auth_client, studio, pictime)
    access, refresh = tokens(link)
    secret = decrypt_secret(link.webhook_secret_encrypted)
    plaintexts = [access, refresh, secret]

    def raw_row() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM galleries_gallerylink WHERE id = %s", [link.pk])
            return " ".join(str(value) for value in cursor.fetchone())

    before = raw_row()
    assert all(value and value not in before for value in plaintexts)
    assert "whsec_" not in before

    old_key = settings.CYAN_FERNET_KEYS[0]
    settings.CYAN_FERNET_KEYS = [Fernet.generate_key().decode(), old_key]
    call_command("rotate_token_encryption", stdout=open("/dev/null", "w"))  # noqa: SIM115
    after = raw_row()
    assert after != before and all(value not in after for value in plaintexts)
    settings.CYAN_FERNET_KEYS = settings.CYAN_FERNET_KEYS[:1]  # retire the old key
    assert tokens(link) == (access, refresh)
    assert get_account(link).id == link.provider_account_id


@pytest.mark.django_db(transaction=True)
def test_two_workers_refreshing_at_once_spend_the_refresh_token_once(
    client, studio, owner, api_key, pictime
):
    """The row lock makes the second worker use the first one's new token instead of
    spending the (already rotated) refresh token and marking the link needs_relink."""
    if connection.vendor != "postgresql":
        pytest.skip("Concurrent row locks need PostgreSQL (SQLite test DBs serialise anyway).")
    client.force_login(owner)
    link = link_studio(client, studio, pictime)
    GalleryLink.objects.filter(pk=link.pk).update(access_token_expires_at=timezone.now())
    results: list[object] = []
    barrier = threading.Barrier(2)

    def worker() -> None:
        try:
            mine = GalleryLink.objects.get(pk=link.pk)
            barrier.wait()
            results.append(services.get_access_token(link=mine))
        except Exception as exc:
            results.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(results) == 2 and all(isinstance(r, str) for r in results), results
    assert results[0] == results[1]
    link.refresh_from_db()
    assert link.status == GalleryLink.Status.LINKED
    assert pictime.api("GET", "/account", results[0]).status_code == 200
