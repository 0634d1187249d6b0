"""Guessing API keys: an address that sent too many invalid keys is refused (429) for a
while, even with a valid key; other addresses are not."""

from __future__ import annotations

import pytest

# Every test runs on both shared caches: the database table (default) and Redis.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_cache")]


def me(client, key: str, address: str):
    return client.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"}, REMOTE_ADDR=address)


def test_many_invalid_keys_lock_the_address(client, raw_key, settings):
    guesser = "203.0.113.9"
    prefix = raw_key.rsplit("_", 1)[0]
    for n in range(settings.CYAN_LOGIN_ADDRESS_FAILURES):
        assert me(client, f"{prefix}_guess{n}", guesser).status_code == 401
    locked = me(client, raw_key, guesser)
    assert locked.status_code == 429
    assert locked.json()["error"]["code"] == "rate_limited"
    assert me(client, raw_key, "198.51.100.20").status_code == 200


def test_a_few_mistakes_do_not_lock(client, raw_key, settings):
    for n in range(settings.CYAN_LOGIN_ADDRESS_FAILURES - 1):
        me(client, f"cyan_nope_{n}", "192.0.2.1")
    assert me(client, raw_key, "192.0.2.1").status_code == 200
