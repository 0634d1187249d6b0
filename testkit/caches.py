"""Both shared-cache backends for the throttling tests: the default (a table in Cyan's
database) and Redis, as production runs with CYAN_REDIS_URL.

Redis is db 5 of the local server unless CYAN_TEST_REDIS_URL says otherwise; the tests
clear only that database. Redis runs on every machine Cyan is tested on (CI included),
so an unreachable Redis fails the test loudly; `CYAN_TEST_REDIS_URL=off` skips the Redis
runs on purpose.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

REDIS_TEST_URL = os.environ.get("CYAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/5").strip()


def redis_test_url() -> str:
    """The test Redis, checked to answer; skips only when switched off on purpose."""
    if REDIS_TEST_URL.lower() in {"", "off", "no", "false"}:
        pytest.skip("CYAN_TEST_REDIS_URL=off: the Redis runs of the shared-cache tests are off")
    import redis

    try:
        redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        pytest.fail(
            f"Redis at {REDIS_TEST_URL} does not answer ({exc}). Start Redis, point "
            "CYAN_TEST_REDIS_URL at one, or set CYAN_TEST_REDIS_URL=off to skip these runs."
        )
    return REDIS_TEST_URL


@pytest.fixture(params=["database", "redis"])
def shared_cache(request, settings) -> Iterator[str]:
    """Runs the test once on each shared-cache backend, starting empty."""
    from django.conf import settings as live
    from django.core.cache import cache
    from django.core.management import call_command

    if request.param == "redis":
        settings.CACHES = {"default": {**live.REDIS_CACHE, "LOCATION": redis_test_url()}}
    else:
        settings.CACHES = {"default": live.DATABASE_CACHE}
        call_command("createcachetable", verbosity=0)
    cache.clear()  # on Redis: FLUSHDB of the test database only
    yield request.param
    cache.clear()
