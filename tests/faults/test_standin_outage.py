"""Drill: Pic-Time (the stand-in) goes down and comes back. Polls fail meanwhile and say
so; the worker stays up, polling picks up where it left off, and no order is lost or
doubled."""

from __future__ import annotations

import pytest

from tests.faults.kit import (
    all_arrived,
    assert_each_exactly_once,
    control,
    linked_studio,
    new_account,
    place,
    restart_standin,
    wait_until,
)

pytestmark = pytest.mark.standin


def polling_failed_since(cyan, studio, moment) -> bool:
    rows = cyan.database.rows(
        "SELECT last_error FROM galleries_gallerylink WHERE studio_id = %s AND last_error_at > %s",
        studio.id,
        moment,
    )
    return bool(rows) and rows[0][0].startswith("Polling failed")


def database_now(cyan):
    return cyan.database.rows("SELECT CURRENT_TIMESTAMP")[0][0]


def test_polling_recovers_after_the_provider_was_down(cyan):
    standin = cyan.standin
    account = new_account(standin)
    worker = cyan.start_worker()
    cyan.start_web()
    studio = linked_studio(cyan, account)
    # Webhooks dropped: only polling brings orders in, so recovery is polling's doing.
    control(standin, "POST", "/control/webhooks/mode", {"mode": "drop"})
    before = place(standin, account, 5)
    wait_until(lambda: all_arrived(cyan.database, studio.id, before), 60, "polled orders")

    went_down = database_now(cyan)
    standin.process.kill()
    standin.process.wait(timeout=10)
    try:
        wait_until(lambda: polling_failed_since(cyan, studio, went_down), 60, "a failed poll")
        assert worker.alive
    finally:
        restart_standin(standin)

    after = place(standin, account, 5)
    orders = before + after
    wait_until(lambda: all_arrived(cyan.database, studio.id, orders), 60, "every order")
    assert_each_exactly_once(cyan.database, studio.id, orders)
    assert worker.alive and cyan.web.alive
