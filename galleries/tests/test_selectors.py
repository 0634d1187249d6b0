import pytest

from galleries import selectors
from galleries.models import GalleryLink

pytestmark = pytest.mark.django_db


def make_link(studio, account_id="acc_1", status=GalleryLink.Status.LINKED):
    return GalleryLink.objects.create(
        studio=studio, provider="pictime", provider_account_id=account_id, status=status
    )


def test_api_key_needed(studio, other_studio_and_owner):
    from api.services import generate_api_key, revoke_api_key

    assert not selectors.studio_has_active_api_key(studio=studio)
    key, _ = generate_api_key(studio=other_studio_and_owner[0])
    assert not selectors.studio_has_active_api_key(studio=studio)
    key, _ = generate_api_key(studio=studio)
    assert selectors.studio_has_active_api_key(studio=studio)
    revoke_api_key(api_key=key)
    assert not selectors.studio_has_active_api_key(studio=studio)


def test_link_lookups_are_scoped_by_studio(studio, other_studio_and_owner):
    other = other_studio_and_owner[0]
    link = make_link(other)
    assert selectors.link_for_studio(studio=studio) is None
    assert selectors.link_for_studio(studio=other) == link
    assert selectors.active_link_for_studio(studio=other) == link


def test_unlinked_link_is_not_active(studio):
    link = make_link(studio, status=GalleryLink.Status.UNLINKED)
    assert selectors.link_for_studio(studio=studio) == link
    assert selectors.active_link_for_studio(studio=studio) is None
    assert (
        selectors.link_for_provider_account(provider="pictime", provider_account_id="acc_1") is None
    )


def test_links_needing_attention_only_this_studios_needs_relink(studio, other_studio_and_owner):
    make_link(other_studio_and_owner[0], "acc_2", GalleryLink.Status.NEEDS_RELINK)
    assert not selectors.links_needing_attention(studio=studio).exists()
    link = make_link(studio, "acc_1", GalleryLink.Status.NEEDS_RELINK)
    assert list(selectors.links_needing_attention(studio=studio)) == [link]


def test_link_for_provider_account_finds_the_owning_studio(studio):
    link = make_link(studio, "acc_9", GalleryLink.Status.NEEDS_RELINK)
    found = selectors.link_for_provider_account(provider="pictime", provider_account_id="acc_9")
    assert found == link and found.studio == studio
