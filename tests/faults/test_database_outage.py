"""Drill: PostgreSQL becomes unreachable for a few seconds (a TCP proxy between Cyan and
the database is cut) while webhooks and polls arrive. The worker and the web server stay
up, readiness tells the truth, and every order ends in the Inbox exactly once."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import pytest

from testkit.proxy import TcpProxy
from tests.faults.kit import (
    all_arrived,
    assert_each_exactly_once,
    control,
    deliver,
    inbox_counts,
    linked_studio,
    new_account,
    place,
    wait_until,
)

pytestmark = [
    pytest.mark.standin,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="a network outage between Cyan and its database needs a database server "
        "(PostgreSQL); SQLite is a file in the same process",
    ),
]


@pytest.fixture
def proxy(drill_db):
    parts = urlsplit(drill_db.url)
    proxy = TcpProxy((parts.hostname or "127.0.0.1", parts.port or 5432)).up()
    drill_db_url = parts._replace(netloc=f"{parts.username}@127.0.0.1:{proxy.port}").geturl()
    yield proxy, drill_db_url
    proxy.down()


def webhook_failures(cyan, account) -> int:
    path = f"/control/deliveries?account_email={account['email']}"
    deliveries = control(cyan.standin, "GET", path).json()["data"]
    return sum(1 for d in deliveries for a in d["attempts"] if a["outcome"] == "failed")


def test_a_database_outage_loses_nothing_and_stops_no_process(cyan, proxy):
    proxy, cyan.db_url = proxy
    account = new_account(cyan.standin)
    web, worker = cyan.start_web(), cyan.start_worker()
    studio = linked_studio(cyan, account)
    before = place(cyan.standin, account, 5)
    deliver(cyan.standin)
    wait_until(lambda: all_arrived(cyan.database, studio.id, before), 60, "orders before")
    assert proxy.connections > 0  # Cyan's processes really talk to the database through it

    proxy.down()
    during = place(cyan.standin, account, 5)  # their webhooks meet the outage
    deliver(cyan.standin)
    control(cyan.standin, "POST", "/control/webhooks/mode", {"mode": "drop"})
    unannounced = place(cyan.standin, account, 3)  # no webhook at all: polling must find them
    wait_until(lambda: webhook_failures(cyan, account) > 0, 60, "a refused webhook")
    # Held until the worker has backed off four times (0.5 + 1 + 2 + 2 s): a real outage.
    wait_until(lambda: worker.log().count("Database unavailable") >= 4, 60, "backoffs")
    assert cyan.get("/health").status_code == 200  # alive…
    ready = cyan.get("/ready")
    assert ready.status_code == 503  # …but not ready, and says why
    assert ready.json()["checks"]["database"]["error"].startswith("database unreachable")
    assert len(inbox_counts(cyan.database, studio.id)) == len(before)
    proxy.up()

    control(cyan.standin, "POST", "/control/webhooks/mode", {"mode": "normal"})
    after = place(cyan.standin, account, 3)
    deliver(cyan.standin)
    orders = before + during + unannounced + after
    wait_until(lambda: all_arrived(cyan.database, studio.id, orders), 90, "every order")
    assert_each_exactly_once(cyan.database, studio.id, orders)
    assert worker.alive and web.alive
    # The drill runs no scheduler: readiness of what it does run.
    assert cyan.get("/ready?check=database&check=migrations&check=queue").status_code == 200
