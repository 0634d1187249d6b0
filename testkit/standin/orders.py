"""Placing orders at the real stand-in and waiting for them, for the Inbox's tests."""

from __future__ import annotations

import time

from testkit.standin.server import StandIn


def place(standin: StandIn, account: dict, **fields) -> dict:
    response = standin.control(
        "POST", "/control/orders", {"account_email": account["email"], "count": 1, **fields}
    )
    assert response.status_code == 201, response.text
    return response.json()["data"][0]


def deliver(standin: StandIn) -> dict:
    return standin.control("POST", "/control/webhooks/flush").json()


def wait_for(predicate, timeout: float = 15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("timed out waiting")
