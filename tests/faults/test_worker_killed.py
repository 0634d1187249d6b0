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


def backfill_tasks(cyan, studio) -> list[str]:
    """The status of each poll of the studio's link (the first poll is the backfill)."""
    polls = cyan.database.tasks("inbox.tasks.poll_link_task")
    return [status for status, args in polls if args == [studio.link_id]]


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
    assert backfill_tasks(cyan, studio) == ["RUNNING"]  # stuck there, before this fix

    cyan.start_worker()
    wait_until(lambda: all_arrived(cyan.database, studio.id, orders), 120, "every order")
    assert_each_exactly_once(cyan.database, studio.id, orders)
    wait_until(lambda: backfill_tasks(cyan, studio) == ["SUCCESSFUL"], 60, "the backfill")
    assert cyan.worker.alive
    assert "Recovered abandoned tasks: 1 re-queued" in cyan.worker.log()
