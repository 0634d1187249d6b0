import datetime as dt
import hashlib

import pytest
import time_machine
from django.core.exceptions import ValidationError

from api.keys import split_key
from api.models import ApiKey
from api.services import (
    authenticate_api_key,
    generate_api_key,
    revoke_api_key,
    rotate_api_key,
)

pytestmark = pytest.mark.django_db


def test_generated_key_has_the_documented_shape_and_is_stored_only_as_a_hash(studio):
    api_key, raw = generate_api_key(studio=studio, name="Zapier")
    prefix, secret = split_key(raw)
    assert raw == f"cyan_{prefix}_{secret}" and len(prefix) == 8 and len(secret) == 32
    stored = ApiKey.objects.get(pk=api_key.pk)
    assert (stored.name, stored.prefix, stored.studio_id) == ("Zapier", prefix, studio.pk)
    assert stored.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    # No column of the row holds the secret in any form but the hash.
    row = ApiKey.objects.filter(pk=api_key.pk).values().get()
    assert not any(secret in str(value) for value in row.values())


def test_each_key_is_different(studio):
    raws = {generate_api_key(studio=studio)[1] for _ in range(5)}
    assert len(raws) == 5
    assert ApiKey.objects.for_studio(studio).values("prefix").distinct().count() == 5


def test_blank_name_becomes_the_default_and_an_overlong_one_is_refused(studio):
    assert generate_api_key(studio=studio, name="  ")[0].name == "API key"
    with pytest.raises(ValidationError) as exc:
        generate_api_key(studio=studio, name="x" * 101)
    assert "name" in exc.value.message_dict
    assert ApiKey.objects.for_studio(studio).count() == 1


def test_authenticate_accepts_the_key_and_loads_its_studio(studio):
    api_key, raw = generate_api_key(studio=studio)
    found = authenticate_api_key(raw)
    assert found == api_key and found.studio == studio


@pytest.mark.parametrize(
    "mangle",
    [
        lambda raw: raw[:-1] + ("A" if raw[-1] != "A" else "B"),  # wrong secret, right prefix
        lambda raw: raw.replace("cyan_", "cyan__"),
        lambda raw: raw.upper(),
        lambda raw: "",
        lambda raw: "cyan_short_key",
        lambda raw: raw + "x",
    ],
)
def test_authenticate_refuses_anything_but_the_exact_key(studio, mangle):
    _api_key, raw = generate_api_key(studio=studio)
    assert authenticate_api_key(mangle(raw)) is None


def test_revoked_key_no_longer_authenticates(studio):
    api_key, raw = generate_api_key(studio=studio)
    revoke_api_key(api_key=api_key)
    assert authenticate_api_key(raw) is None
    assert ApiKey.objects.get(pk=api_key.pk).revoked_at is not None
    revoke_api_key(api_key=api_key)  # revoking twice is harmless


def test_rotate_revokes_the_old_key_and_returns_a_working_new_one(studio):
    old, old_raw = generate_api_key(studio=studio, name="theimagefile")
    new, new_raw = rotate_api_key(api_key=old)
    assert new.pk != old.pk and new.name == "theimagefile" and new.studio == studio
    assert new_raw != old_raw
    assert authenticate_api_key(old_raw) is None
    assert authenticate_api_key(new_raw) == new
    old.refresh_from_db()
    assert old.revoked_at is not None


def test_rotating_a_revoked_key_is_refused(studio):
    api_key, _raw = generate_api_key(studio=studio)
    revoke_api_key(api_key=api_key)
    with pytest.raises(ValidationError):
        rotate_api_key(api_key=api_key)
    assert ApiKey.objects.for_studio(studio).count() == 1


def test_last_used_is_recorded_at_most_once_a_minute(studio):
    api_key, raw = generate_api_key(studio=studio)
    assert api_key.last_used_at is None
    start = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        authenticate_api_key(raw)
    api_key.refresh_from_db()
    assert api_key.last_used_at == start
    with time_machine.travel(start + dt.timedelta(seconds=30), tick=False):
        authenticate_api_key(raw)
    api_key.refresh_from_db()
    assert api_key.last_used_at == start  # no write within the minute
    later = start + dt.timedelta(seconds=61)
    with time_machine.travel(later, tick=False):
        authenticate_api_key(raw)
    api_key.refresh_from_db()
    assert api_key.last_used_at == later
