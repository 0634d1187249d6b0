"""`/ready` fails while PostgreSQL is unreachable and recovers when it is back.

Cyan's connection goes through a real TCP proxy (testkit.proxy) that the test cuts and
restores, as a network outage would; the project's connect_timeout bounds every attempt.
"""

from __future__ import annotations

import os
import time

import pytest
from django.core.cache import cache
from django.db import connection

from cyan.health import SCHEDULER_HEARTBEAT_KEY
from testkit.proxy import TcpProxy

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="a database outage needs a database server to cut off (PostgreSQL); "
        "SQLite is a file inside the test process",
    ),
]


@pytest.fixture
def database_through_proxy():
    """The test's connection re-pointed at a proxy in front of the real server."""
    original = dict(connection.settings_dict)
    proxy = TcpProxy((original["HOST"] or "127.0.0.1", int(original["PORT"] or 5432))).up()
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=str(proxy.port))
    try:
        yield proxy
    finally:
        proxy.down()
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(original)


def test_ready_fails_while_the_database_is_down_and_recovers(
    client, settings, database_through_proxy
):
    proxy = database_through_proxy
    settings.CYAN_SCHEDULER_BEAT_SECONDS = 60  # one beat lasts the whole test
    # The project bounds a connection attempt, so a dead database cannot hang a probe.
    assert connection.settings_dict["OPTIONS"]["connect_timeout"] == 5
    cache.set(SCHEDULER_HEARTBEAT_KEY, {"holder": "test", "at": time.time()}, None)

    before = client.get("/ready")
    assert before.status_code == 200, before.json()
    assert proxy.connections > 0  # the check really went through the proxy

    proxy.down()
    during = client.get("/ready")
    assert during.status_code == 503
    body = during.json()
    assert body["status"] == "fail"
    assert body["checks"]["database"] == {
        "status": "fail",
        "error": "database unreachable: OperationalError",
    }
    assert body["checks"]["migrations"]["status"] == "fail"
    assert client.get("/health").status_code == 200  # alive all along

    proxy.up()
    after = client.get("/ready")
    assert after.status_code == 200, after.json()
    assert after.json()["checks"]["database"] == {"status": "ok"}
