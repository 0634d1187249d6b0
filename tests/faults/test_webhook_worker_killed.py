"""Drill: the worker is killed (kill -9) while an outgoing webhook is in flight (the
receiver has the request and has not answered). A new worker sends it again once the
dead worker's claim lapses, with the same webhook-id: delivered at least once, and the
receiver can tell the repeat."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from standardwebhooks.webhooks import Webhook

from cyan.cli import ROOT, worker_command
from testkit.receiver import running_receiver
from tests.faults.kit import MANAGE, Process, wait_until

pytestmark = pytest.mark.standin

SETUP = """
import json
from accounts.models import Studio
from events.services import create_endpoint
from testkit.factories import make_contact
studio = Studio.objects.create(name="Webhook Drill", default_currency="GBP")
_, secret = create_endpoint(studio=studio, url={url!r}, events=["contact.created"])
make_contact(studio, "Kill", "Drill")  # the event; its delivery is enqueued on commit
print(json.dumps({{"secret": secret}}))
"""


def test_a_worker_killed_mid_delivery_sends_it_again_with_the_same_id(cyan, tmp_path):
    env = {
        **cyan.env(),
        "CYAN_WEBHOOKS_ALLOW_PRIVATE": "true",  # the receiver is local
        "CYAN_WEBHOOKS_LEASE_SECONDS": "3",
        "CYAN_WEBHOOKS_SWEEP_SECONDS": "1",
    }
    with running_receiver() as receiver:
        receiver.hold_first = True
        setup = subprocess.run(
            [sys.executable, MANAGE, "shell", "-c", SETUP.format(url=receiver.url)],
            env=env, cwd=ROOT, capture_output=True, text=True, timeout=180,
        )  # fmt: skip
        assert setup.returncode == 0, setup.stderr[-3000:]
        secret = json.loads(setup.stdout.strip().splitlines()[-1])["secret"]
        command = [*worker_command(), "--heartbeat", "1", "--janitor", "2", "--max-backoff", "2"]
        first = Process("worker", command, env, tmp_path / "worker1.log").start()
        assert receiver.arrived.wait(90), first.log()[-3000:]
        first.kill()  # mid-delivery: the request arrived, no answer was read
        receiver.release.set()
        second = Process("worker", command, env, tmp_path / "worker2.log").start()
        try:
            wait_until(lambda: len(receiver.requests) >= 2, 90, "the delivery to be sent again")
            status = lambda: cyan.database.rows(  # noqa: E731
                "SELECT status, attempts FROM events_delivery"
            )
            wait_until(lambda: status() == [("succeeded", 1)], 60, "the delivery to succeed")
        finally:
            second.stop()
    first_try, retry = receiver.requests[:2]
    assert first_try.headers["webhook-id"] == retry.headers["webhook-id"]
    assert first_try.body == retry.body
    for received in (first_try, retry):
        assert Webhook(secret).verify(received.body, received.headers)["type"] == "contact.created"
