"""Drill: the worker is killed (kill -9) in the middle of a link's 90-day backfill; a new
worker takes the abandoned task back and every order ends in the Inbox exactly once."""

from __future__ import annotations

import pytest

from tests.faults.kit import (
    all_arrived,
    assert_each_exactly_once,
    inbox_counts,
    linked_studio,
    new_account,
    place,
    wait_until,
)  # fmt: skip

pytestmark = pytest.mark.standin

ORDERS = 150  # two pages of the orders API: the backfill takes seconds, not milliseconds


def backfill_tasks(cyan) -> list[tuple]:
    return cyan.database.rows(
        "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult "
        "WHERE task_path = %s ORDER BY enqueued_at",
        "inbox.tasks.poll_link_task",
    )


def test_a_worker_killed_mid_backfill_loses_and_duplicates_nothing(cyan):
    cyan.poll_seconds = 600  # only the backfill fetches orders here
    cyan.start_web()
    worker = cyan.start_worker()
    account = new_account(cyan.standin)
    orders = place(cyan.standin, account, ORDERS)  # before linking: the backfill's work
    studio = linked_studio(cyan, account)  # linking enqueues the backfill

    stored = wait_until(lambda: len(inbox_counts(cyan.database, studio.id)) >= 5, 120,
                        "the backfill to start storing orders")  # fmt: skip
    worker.kill()
    at_kill = len(inbox_counts(cyan.database, studio.id))
    assert stored and at_kill < ORDERS, "the backfill finished before the kill: raise ORDERS"
    assert [status for status, _ in backfill_tasks(cyan)] == ["RUNNING"]  # stuck, as before

    cyan.start_worker()
    wait_until(lambda: all_arrived(cyan.database, studio.id, orders), 120, "every order")
    assert_each_exactly_once(cyan.database, studio.id, orders)
    wait_until(lambda: backfill_tasks(cyan)[0][0] == "SUCCESSFUL", 60, "the backfill to finish")
    assert len(backfill_tasks(cyan)) == 1  # the same task, taken back, not a second one
    assert cyan.worker.alive
    assert "Recovered abandoned tasks: 1 re-queued" in cyan.worker.log()
