import pytest
from django.http import Http404

from api.selectors import api_keys_for_studio, get_api_key, studio_has_active_api_key
from api.services import generate_api_key, revoke_api_key

pytestmark = pytest.mark.django_db


def test_has_active_key_ignores_revoked_and_other_studios(studio, other_studio_and_owner):
    other = other_studio_and_owner[0]
    assert studio_has_active_api_key(studio=studio) is False
    generate_api_key(studio=other)
    assert studio_has_active_api_key(studio=studio) is False
    api_key, _ = generate_api_key(studio=studio)
    assert studio_has_active_api_key(studio=studio) is True
    revoke_api_key(api_key=api_key)
    assert studio_has_active_api_key(studio=studio) is False


def test_keys_list_is_the_studios_own_active_first(studio, other_studio_and_owner):
    generate_api_key(studio=studio, name="first")
    second, _ = generate_api_key(studio=studio, name="second")
    generate_api_key(studio=other_studio_and_owner[0], name="theirs")
    revoke_api_key(api_key=second)
    assert [k.name for k in api_keys_for_studio(studio=studio)] == ["first", "second"]


def test_get_api_key_is_404_for_another_studios_key(studio, other_studio_and_owner):
    theirs, _ = generate_api_key(studio=other_studio_and_owner[0])
    with pytest.raises(Http404):
        get_api_key(studio=studio, pk=theirs.pk)
