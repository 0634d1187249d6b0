"""Linking ShootProof against the real stand-in (a subprocess): authorise, choose the
brand, unlink and re-link, tokens encrypted, and a refresh racing another (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from api.services import generate_api_key
from galleries import services
from galleries.choosing import SESSION_KEY, unseal
from galleries.crypto import decrypt_secret
from galleries.models import GalleryLink
from testkit.shootproof_linking import CHOOSE, approve, link_brand

pytestmark = [pytest.mark.standin, pytest.mark.django_db]

SETTINGS = reverse("galleries:settings")


def test_the_page_offers_shootproof_beside_pictime(auth_client, api_key):
    page = auth_client.get(SETTINGS).content.decode()
    assert "Link Pic-Time Account" in page and "Link ShootProof Account" in page
    connect = auth_client.get(reverse("galleries:connect", args=["shootproof"])).content
    assert "choose which one this studio links" in connect.decode()
    pictime = auth_client.get(reverse("galleries:connect", args=["pictime"])).content
    assert "choose which one" not in pictime.decode()


def test_choose_the_second_brand_and_it_is_linked(
    auth_client, studio, api_key, shootproof, shootproof_account
):
    response = approve(auth_client, shootproof, shootproof_account)
    page = response.content.decode()
    assert "Choose the brand" in page
    for brand in shootproof_account["brands"]:
        assert brand["name"] in page
    sealed = auth_client.session[SESSION_KEY]
    assert "access_token" not in str(sealed)  # sealed: the session holds no token in clear
    assert not GalleryLink.objects.exists()  # nothing linked before the choice

    second = shootproof_account["brands"][1]
    response = auth_client.post(CHOOSE, {"account": str(second["id"])}, follow=True)
    page = response.content.decode()
    assert f"Your ShootProof account {second['name']} is linked" in page
    link = GalleryLink.objects.get(studio=studio, provider="shootproof")
    assert (link.provider_account_id, link.account_name) == (str(second["id"]), second["name"])
    assert link.status == GalleryLink.Status.LINKED and not link.webhook_subscription_id
    access = decrypt_secret(link.access_token_encrypted)
    assert access not in link.access_token_encrypted
    brand = shootproof.api("GET", f"/studio/brand/{second['id']}", access)
    assert brand.status_code == 200
    assert SESSION_KEY not in auth_client.session


def test_a_brand_not_offered_is_refused_and_the_choice_stays(
    auth_client, api_key, shootproof, shootproof_account
):
    approve(auth_client, shootproof, shootproof_account)
    response = auth_client.post(CHOOSE, {"account": "999999"}, follow=True)
    assert "Choose one of your ShootProof accounts listed" in response.content.decode()
    assert not GalleryLink.objects.exists() and SESSION_KEY in auth_client.session


def test_cancel_links_nothing_and_revokes(
    auth_client, studio, owner, api_key, shootproof, shootproof_account
):
    approve(auth_client, shootproof, shootproof_account)
    sealed = auth_client.session[SESSION_KEY]
    choice = unseal(sealed, studio=studio, user=owner, provider="shootproof")
    response = auth_client.post(CHOOSE, {"cancel": "1"}, follow=True)
    assert "Nothing was linked" in response.content.decode()
    assert not GalleryLink.objects.exists()
    assert shootproof.api("GET", "/studio/brand", choice.tokens.access_token).status_code == 401


def test_an_account_with_one_brand_links_without_a_choice(auth_client, studio, api_key, shootproof):
    one = shootproof.control("POST", "/control/accounts", {"brands": ["Solo Studio"]}).json()
    response = approve(auth_client, shootproof, one)
    assert "Your ShootProof account Solo Studio is linked" in response.content.decode()
    assert GalleryLink.objects.get(studio=studio).account_name == "Solo Studio"


def test_unlink_and_relink(auth_client, studio, api_key, shootproof, shootproof_account):
    link = link_brand(auth_client, shootproof, shootproof_account, index=0)
    access = decrypt_secret(link.access_token_encrypted)
    response = auth_client.post(reverse("galleries:unlink", args=["shootproof"]), follow=True)
    assert "was unlinked" in response.content.decode()
    assert GalleryLink.objects.get(pk=link.pk).status == GalleryLink.Status.UNLINKED
    assert shootproof.api("GET", "/studio/brand", access).status_code == 401
    relinked = link_brand(auth_client, shootproof, shootproof_account, index=1)
    assert relinked.pk == link.pk and relinked.status == GalleryLink.Status.LINKED
    assert relinked.provider_account_id == str(shootproof_account["brands"][1]["id"])


def test_a_refresh_stores_the_rotated_refresh_token(
    auth_client, api_key, shootproof, shootproof_account
):
    link = link_brand(auth_client, shootproof, shootproof_account)
    old_refresh = decrypt_secret(link.refresh_token_encrypted)
    GalleryLink.objects.filter(pk=link.pk).update(access_token_expires_at=timezone.now())
    link.refresh_from_db()
    access = services.get_access_token(link=link)
    assert decrypt_secret(link.refresh_token_encrypted) != old_refresh
    assert shootproof.api("GET", "/studio/brand", access).status_code == 200
    again = services.refresh_link_tokens(link=link, rejected_access_token=access)
    assert again != access and link.status == GalleryLink.Status.LINKED


@pytest.mark.django_db(transaction=True)
def test_two_refreshes_at_once_keep_the_link(
    client, owner, api_key, shootproof, shootproof_account
):
    """ShootProof kills a refresh token once it is used: the row lock makes the second
    refresher re-read the first one's rotated tokens instead of spending the dead one
    (which would mark the link needs_relink)."""
    if connection.vendor != "postgresql":
        pytest.skip("Concurrent row locks need PostgreSQL (SQLite test DBs serialise anyway).")
    client.force_login(owner)
    link = link_brand(client, shootproof, shootproof_account)
    rejected = decrypt_secret(link.access_token_encrypted)
    results: list[object] = []
    barrier = threading.Barrier(2)

    def worker() -> None:
        try:
            mine = GalleryLink.objects.get(pk=link.pk)
            barrier.wait()
            # Both saw the same access token refused (a 401): both try to refresh.
            results.append(services.refresh_link_tokens(link=mine, rejected_access_token=rejected))
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
    assert results[0] == results[1] != rejected
    link.refresh_from_db()
    assert link.status == GalleryLink.Status.LINKED
    assert shootproof.api("GET", "/studio/brand", results[0]).status_code == 200
    # the stored refresh token is the live one: one more refresh still works
    assert services.refresh_link_tokens(link=link, rejected_access_token=results[0])


def test_a_brand_another_studio_links_is_refused_and_another_can_be_chosen(
    auth_client, studio, api_key, shootproof, shootproof_account, other_studio_and_owner
):
    other_studio, other_owner = other_studio_and_owner
    generate_api_key(studio=other_studio)
    other = Client()
    other.force_login(other_owner)
    taken = link_brand(other, shootproof, shootproof_account, index=0)
    assert taken.studio == other_studio

    approve(auth_client, shootproof, shootproof_account)
    first = str(shootproof_account["brands"][0]["id"])
    response = auth_client.post(CHOOSE, {"account": first}, follow=True)
    assert "already linked to another Cyan studio" in response.content.decode()
    assert SESSION_KEY in auth_client.session  # the choice stays open
    second = shootproof_account["brands"][1]
    response = auth_client.post(CHOOSE, {"account": str(second["id"])}, follow=True)
    assert f"Your ShootProof account {second['name']} is linked" in response.content.decode()
    assert GalleryLink.objects.get(studio=studio).provider_account_id == str(second["id"])
