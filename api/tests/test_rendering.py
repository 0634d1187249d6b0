"""A datetime in an API body reads the same however it got there: rendered from a model,
stored for an Idempotency-Key replay, or re-rendered from that stored JSON."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from api.rendering import MillisecondEncoder
from api.routers.hooks import HookOut
from api.schemas import as_json

MOMENTS = st.datetimes(
    min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=st.just(dt.UTC)
)


@given(MOMENTS)
def test_a_stored_body_renders_again_unchanged(moment):
    data = {"id": 1, "target_url": "https://x.test", "event": "sale.created", "status": "active"}
    stored = as_json(HookOut, {**data, "created_at": moment})
    again = as_json(HookOut, stored)  # read back from the stored JSON and written again
    assert again == stored
    direct = json.loads(json.dumps({"created_at": moment}, cls=MillisecondEncoder))
    assert direct["created_at"] == stored["created_at"]


@pytest.mark.django_db
def test_a_replayed_subscription_is_byte_for_byte_the_first(api, receiver):
    # Microseconds but no milliseconds: the case that once came back as "…03.000Z".
    with time_machine.travel(dt.datetime(2026, 12, 3, 16, 42, 3, 500, tzinfo=dt.UTC), tick=False):
        body = {"target_url": receiver.url, "event": "sale.created"}
        first = api.post("/api/v1/hooks", body, {"Idempotency-Key": "zap-1"})
        again = api.post("/api/v1/hooks", body, {"Idempotency-Key": "zap-1"})
    assert first.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert first.json()["created_at"] == "2026-12-03T16:42:03Z"
