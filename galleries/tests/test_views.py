"""The Online Galleries tab, the account page, the callback and Unlink, over the test client
with the in-memory fake Pic-Time."""

import pytest
from django.urls import reverse

from galleries.models import GalleryLink, OAuthState
from testkit.fakes import DEMO_ACCOUNT
from testkit.standin.oauth import link_via_fake, state_of

pytestmark = pytest.mark.django_db

SETTINGS = reverse("galleries:settings")
CONNECT = reverse("galleries:connect", args=["pictime"])
AUTHORISE = reverse("galleries:authorise", args=["pictime"])
CALLBACK = reverse("galleries:callback", args=["pictime"])
UNLINK = reverse("galleries:unlink", args=["pictime"])


def page(client, url, **kwargs):
    response = client.get(url, follow=True, **kwargs)
    assert response.status_code == 200
    return response.content.decode()


def test_pages_need_login(client):
    for url in (SETTINGS, CONNECT, CALLBACK, UNLINK):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_tab_without_api_key_explains_and_links_to_api_tab(auth_client):
    html = page(auth_client, SETTINGS)
    assert "needs an API key first" in html
    assert f'href="{reverse("api_keys:index")}"' in html
    assert "Link Pic-Time Account" not in html


def test_account_page_without_api_key_sends_back_to_the_tab(auth_client):
    response = auth_client.get(CONNECT, follow=True)
    assert response.redirect_chain[-1][0] == SETTINGS
    assert "Generate an API key first" in response.content.decode()


def test_tab_with_api_key_offers_the_link_button_to_the_account_page(auth_client, api_key):
    html = page(auth_client, SETTINGS)
    assert f'<a class="button" href="{CONNECT}">Link Pic-Time Account</a>' in html
    html = page(auth_client, CONNECT)
    assert "Authorise Cyan at Pic-Time" in html
    assert f'action="{AUTHORISE}"' in html


def test_authorise_is_post_only_and_redirects_to_pictime(auth_client, api_key, fake_pictime):
    assert auth_client.get(AUTHORISE).status_code == 405
    response = auth_client.post(AUTHORISE)
    assert response.status_code == 302
    assert response["Location"].startswith("https://pictime.fake/oauth/authorize/")
    assert OAuthState.objects.get().state == state_of(response["Location"])


def authorise_and_return(auth_client, fake_pictime, **params):
    state = state_of(auth_client.post(AUTHORISE)["Location"])
    query = {"state": state, **params}
    return auth_client.get(CALLBACK, query, follow=True)


def test_callback_success_shows_the_linked_account(auth_client, api_key, fake_pictime):
    response = authorise_and_return(auth_client, fake_pictime, code=fake_pictime.approve())
    assert response.redirect_chain[-1][0] == SETTINGS
    html = response.content.decode()
    assert f"Your Pic-Time account {DEMO_ACCOUNT.name} is linked" in html
    assert "No orders yet" in html and ">Linked<" in html
    assert f'href="{UNLINK}"' in html and ">Re-link<" in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"error": "access_denied"}, "You did not approve Cyan"),
        ({"code": "a-code-pictime-never-issued"}, "refused the authorisation code"),
    ],
)
def test_callback_failures_return_to_the_account_page_with_a_message(
    auth_client, api_key, fake_pictime, params, message
):
    response = authorise_and_return(auth_client, fake_pictime, **params)
    assert response.redirect_chain[-1][0] == CONNECT
    assert message in response.content.decode()
    assert not GalleryLink.objects.exists()


def test_callback_with_a_forged_state(auth_client, api_key, fake_pictime):
    response = auth_client.get(
        CALLBACK, {"state": "forged", "code": fake_pictime.approve()}, follow=True
    )
    assert "was not started from your Cyan account" in response.content.decode()
    assert not GalleryLink.objects.exists()


def test_callback_when_pictime_is_unreachable(auth_client, api_key, fake_pictime):
    state = state_of(auth_client.post(AUTHORISE)["Location"])
    code = fake_pictime.approve()
    fake_pictime.unreachable = True
    response = auth_client.get(CALLBACK, {"state": state, "code": code}, follow=True)
    assert "Pic-Time could not be reached" in response.content.decode()
    assert not GalleryLink.objects.exists()


def test_unlink_asks_for_confirmation_then_unlinks(
    auth_client, studio, owner, api_key, fake_pictime
):
    link_via_fake(studio, owner, fake_pictime)
    html = page(auth_client, UNLINK)
    assert f"Unlink your Pic-Time account {DEMO_ACCOUNT.name}?" in html
    assert GalleryLink.objects.get().status == GalleryLink.Status.LINKED  # GET changed nothing
    response = auth_client.post(UNLINK, follow=True)
    html = response.content.decode()
    assert f"Your Pic-Time account {DEMO_ACCOUNT.name} was unlinked." in html
    assert "Link Pic-Time Account" in html and "is linked" not in html
    assert GalleryLink.objects.get().status == GalleryLink.Status.UNLINKED


def test_needs_relink_is_shown_prominently(auth_client, studio, owner, api_key, fake_pictime):
    link = link_via_fake(studio, owner, fake_pictime)
    GalleryLink.objects.filter(pk=link.pk).update(
        status=GalleryLink.Status.NEEDS_RELINK, last_error="Pic-Time refused to renew access."
    )
    html = page(auth_client, SETTINGS)
    assert 'role="alert"' in html and "Pic-Time needs re-linking." in html
    assert "Pic-Time refused to renew access." in html
    assert "is linked" not in html


def test_another_studios_link_is_not_shown(
    client, studio, owner, api_key, fake_pictime, other_studio_and_owner
):
    link_via_fake(studio, owner, fake_pictime)
    client.force_login(other_studio_and_owner[1])
    assert DEMO_ACCOUNT.name not in page(client, SETTINGS)
    response = client.get(UNLINK, follow=True)
    assert "No Pic-Time account is linked." in response.content.decode()
    assert client.post(UNLINK).status_code == 302
    assert GalleryLink.objects.get().status == GalleryLink.Status.LINKED


def test_times_are_shown_in_the_studios_time_zone(
    auth_client, studio, owner, api_key, fake_pictime
):
    import datetime as dt

    link = link_via_fake(studio, owner, fake_pictime)
    studio.time_zone = "Asia/Tokyo"
    studio.save()
    GalleryLink.objects.filter(pk=link.pk).update(
        linked_at=dt.datetime(2026, 3, 1, 22, 30, tzinfo=dt.UTC)
    )
    assert "2 Mar 2026, 07:30" in page(auth_client, SETTINGS)
