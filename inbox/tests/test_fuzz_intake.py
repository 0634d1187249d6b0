"""Fuzzing the way in (issue #10, "close the class"): any signed delivery — valid or broken
JSON, odd types, huge / NUL / bidi strings, missing fields — ends as an Inbox item, a
"needs attention" item or a 4xx, never a server error; any page of polled orders is
stored the same way and the poll position moves on."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from galleries.providers.pictime.orders import OrderMappingError, map_order
from inbox.models import InboxItem
from inbox.sync import poll_link
from testkit.fakes import FakePicTime, use_client
from testkit.intake import accepted_item
from testkit.payloads import order_json, signed_headers
from testkit.standin.oauth import link_via_fake

URL = "/galleries/webhooks/pictime/"
FUZZ = settings(
    max_examples=int(os.environ.get("CYAN_FUZZ_EXAMPLES", "60")),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def example_each(bodies: list[str]) -> Any:
    def decorate(test: Any) -> Any:
        for body in bodies:
            test = example(body=body)(test)
        return test

    return decorate


hostile_text = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        ["x" * 600, "a\x00b", "\x00", "\u202eevil\u202c", "\u2066x\u2069", "\ud800", "\udfff z",
         "=HYPERLINK(\"http://evil.example\")", "<script>alert(1)</script>", " ", ""]
    ),
)  # fmt: skip
odd_value = st.one_of(
    hostile_text,
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.none(),
    st.booleans(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
    st.sampled_from(["1e999999", "NaN", "-0.00", "9" * 40, "2026-13-45T99:00:00Z"]),
)


def leaf_paths(value: Any, path: tuple = ()) -> list[tuple]:
    if isinstance(value, dict):
        return [path] + [p for k, v in value.items() for p in leaf_paths(v, (*path, k))]
    if isinstance(value, list):
        return [path] + [p for i, v in enumerate(value) for p in leaf_paths(v, (*path, i))]
    return [path]


@st.composite
def mutated_orders(draw: st.DrawFn) -> Any:
    """A good Pic-Time order with a few fields replaced by odd values or removed."""
    order = order_json(order_id=draw(st.sampled_from(["ord_1", "ord_2", "x" * 150, "a\x00"])))
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        paths = [p for p in leaf_paths(order) if p]
        path = draw(st.sampled_from(paths))
        parent = order
        for part in path[:-1]:
            parent = parent[part]
        if draw(st.booleans()) and isinstance(parent, dict):
            parent.pop(path[-1], None)
        else:
            parent[path[-1]] = draw(odd_value)
    return order


any_json = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), hostile_text),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(hostile_text, inner, max_size=3),
    max_leaves=8,
)
orders = st.one_of(mutated_orders(), any_json)


@st.composite
def deliveries(draw: st.DrawFn) -> str:
    """The body of a signed delivery: mostly an event around an order, sometimes not."""
    kind = draw(st.sampled_from(["event", "event", "event", "data", "raw"]))
    if kind == "raw":
        return draw(st.sampled_from(["{not json", "[]", "null", '"x"', "{}", "[" * 5000]))
    data: Any = {"account_id": "acc_demo", "order": draw(orders)}
    if kind == "data":
        data = draw(st.one_of(any_json, st.just({"account_id": "acc_demo", "order": None})))
    event = {"type": draw(st.one_of(st.just("order.created"), hostile_text)), "data": data}
    return json.dumps(event)


def event(order: Any, **fields: Any) -> str:
    return json.dumps(
        {"type": "order.created", "data": {"account_id": "acc_demo", "order": order}, **fields}
    )


# Shapes that once answered 500, kept as fixed examples beside the generated ones.
KNOWN = [
    json.dumps({"type": "order.created", "data": [1]}),
    event({**order_json(), "total": "1e999999"}),
    event({**order_json(), "client": {"first_name": "x" * 600}}),
    event(order_json(last_name="\ud800")),
    event(order_json(), type="t" * 500),
]


@pytest.mark.django_db
@FUZZ
@given(body=deliveries())
@example_each(KNOWN)
def test_any_signed_delivery_is_kept_or_refused_never_a_server_error(client, pictime_link, body):
    headers = signed_headers(body)
    response = client.post(URL, data=body, content_type="application/json", **headers)
    assert response.status_code == 200 or 400 <= response.status_code < 500, response.content
    if response.status_code == 200:  # accepted, and processed by the (in-line) intake task
        item = accepted_item(headers["HTTP_WEBHOOK_ID"])
        assert item.state in {InboxItem.State.NEW, InboxItem.State.NEEDS_ATTENTION}
        assert item.error or item.normalized is not None


@FUZZ
@given(payload=orders)
def test_the_mapper_answers_an_order_or_says_why_not(payload):
    try:
        map_order(payload if isinstance(payload, dict) else {})
    except OrderMappingError as exc:
        assert str(exc)


@pytest.fixture
def fake(monkeypatch) -> FakePicTime:
    fake = FakePicTime()
    use_client(monkeypatch, "pictime", fake)
    return fake


@pytest.fixture
def link(studio, owner, fake):
    from api.services import generate_api_key

    generate_api_key(studio=studio)
    return link_via_fake(studio, owner, fake)


@pytest.mark.django_db
@FUZZ
@given(page=st.lists(orders, min_size=1, max_size=4), stamp=st.integers(1, 100_000))
def test_any_polled_page_is_stored_and_the_poll_moves_on(link, fake, page, stamp):
    # A good order closes each page: the mark reaches at least its update.
    updated = (datetime.now(UTC) - timedelta(minutes=stamp)).replace(microsecond=0)
    good = order_json(order_id=f"ord_{stamp}", updated_at=updated.isoformat())
    fake.orders = [*page, good]
    result = poll_link(link=link)
    assert result.error == ""
    assert result.fetched == len(page) + 1 == len(result.items)
    assert InboxItem.objects.get(external_id=f"ord_{stamp}").normalized is not None
    link.refresh_from_db()
    assert link.sync_high_water_mark >= updated
