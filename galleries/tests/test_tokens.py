"""Keeping tokens fresh: refresh before expiry, on a 401, rotation stored, refusal marks
the link needs_relink."""

from datetime import timedelta

import pytest
from django.utils import timezone

from galleries import selectors, services
from galleries.crypto import decrypt_secret
from galleries.models import GalleryLink
from galleries.providers import ProviderUnreachable
from testkit.standin.oauth import link_via_fake

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(studio, owner, api_key, fake_pictime):
    return link_via_fake(studio, owner, fake_pictime)


def tokens_of(link):
    link.refresh_from_db()
    return (
        decrypt_secret(link.access_token_encrypted),
        decrypt_secret(link.refresh_token_encrypted),
    )


def test_fresh_token_is_used_without_refreshing(link, fake_pictime):
    access, _ = tokens_of(link)
    assert services.get_access_token(link=link) == access
    assert fake_pictime.refresh_calls == 0


def test_token_expiring_within_a_minute_is_refreshed_and_rotation_stored(link, fake_pictime):
    old_access, old_refresh = tokens_of(link)
    GalleryLink.objects.filter(pk=link.pk).update(
        access_token_expires_at=timezone.now() + timedelta(seconds=30)
    )
    link.refresh_from_db()
    token = services.get_access_token(link=link)
    new_access, new_refresh = tokens_of(link)
    assert token == new_access != old_access
    assert new_refresh != old_refresh
    assert new_refresh in fake_pictime.refresh_tokens
    assert old_refresh not in fake_pictime.refresh_tokens  # rotated: the old one is dead
    assert link.access_token_expires_at > timezone.now() + timedelta(minutes=50)


def test_401_refreshes_once_and_retries(link, fake_pictime):
    old_access, _ = tokens_of(link)
    fake_pictime.expire_access_token(old_access)  # Pic-Time forgot it before its expiry
    account = services.call_with_access_token(
        link=link, call=lambda token: fake_pictime.get_account(access_token=token)
    )
    assert account.name == "Jane Doe Photography"
    assert fake_pictime.refresh_calls == 1
    assert tokens_of(link)[0] != old_access


def test_second_401_after_refresh_is_not_retried_again(link, fake_pictime):
    from galleries.providers import ProviderAuthError

    calls = []

    def always_401(token):
        calls.append(token)
        raise ProviderAuthError("401", code="invalid_token", status=401)

    with pytest.raises(ProviderAuthError):
        services.call_with_access_token(link=link, call=always_401)
    assert len(calls) == 2 and fake_pictime.refresh_calls == 1


def test_a_token_already_replaced_by_another_worker_is_not_refreshed_again(link, fake_pictime):
    current, _ = tokens_of(link)
    token = services.refresh_link_tokens(link=link, rejected_access_token="at_an_older_one")
    assert token == current and fake_pictime.refresh_calls == 0


def test_refused_refresh_marks_needs_relink(link, fake_pictime, studio):
    _, refresh = tokens_of(link)
    fake_pictime.refresh_tokens.pop(refresh)  # revoked at Pic-Time
    GalleryLink.objects.filter(pk=link.pk).update(access_token_expires_at=timezone.now())
    link.refresh_from_db()
    with pytest.raises(services.LinkNeedsRelink):
        services.get_access_token(link=link)
    link.refresh_from_db()
    assert link.status == GalleryLink.Status.NEEDS_RELINK
    assert "refused to renew" in link.last_error and link.last_error_at is not None
    assert list(selectors.links_needing_attention(studio=studio)) == [link]
    # Later calls fail fast, without spending another refresh.
    with pytest.raises(services.LinkNeedsRelink):
        services.get_access_token(link=link)
    assert fake_pictime.refresh_calls == 1


def test_unreachable_during_refresh_leaves_the_link_as_it_was(link, fake_pictime):
    before = tokens_of(link)
    GalleryLink.objects.filter(pk=link.pk).update(access_token_expires_at=timezone.now())
    link.refresh_from_db()
    fake_pictime.unreachable = True
    with pytest.raises(ProviderUnreachable):
        services.get_access_token(link=link)
    assert tokens_of(link) == before
    assert link.status == GalleryLink.Status.LINKED


def test_relink_after_needs_relink_restores_linked(link, fake_pictime, studio, owner):
    GalleryLink.objects.filter(pk=link.pk).update(
        status=GalleryLink.Status.NEEDS_RELINK, last_error="refused"
    )
    relinked = link_via_fake(studio, owner, fake_pictime)
    assert relinked.status == GalleryLink.Status.LINKED and relinked.last_error == ""
    assert not selectors.links_needing_attention(studio=studio).exists()


def test_the_scheduled_refresh_renews_tokens_expiring_soon_and_leaves_the_rest(link, fake_pictime):
    from galleries.tokens import refresh_expiring_tokens

    old_access, _ = tokens_of(link)
    assert refresh_expiring_tokens(within=timedelta(minutes=5)) == 0  # an hour left
    GalleryLink.objects.filter(pk=link.pk).update(
        access_token_expires_at=timezone.now() + timedelta(minutes=4)
    )
    assert refresh_expiring_tokens(within=timedelta(minutes=5)) == 1
    assert tokens_of(link)[0] != old_access
    assert fake_pictime.refresh_calls == 1
