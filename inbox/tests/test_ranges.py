"""An order arriving by webhook (or poll: same mapper) with a timestamp or an amount Cyan
cannot store is kept as "needs attention" with the reason, never stored half-way, never a
500 (#10.2). The values are those that broke the studio's pages."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.dates import timestamp_problem
from core.numbers import MAX_AMOUNT_MINOR
from galleries.providers.pictime.orders import OrderMappingError, map_order
from inbox.models import InboxItem
from testkit.payloads import event_body, order_json, signed_headers

URL = "/galleries/webhooks/pictime/"


def deliver(client, order: dict):
    body = event_body(order)
    return client.post(URL, data=body, content_type="application/json", **signed_headers(body))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"created_at": "9999-12-31T23:59:59-12:00"}, "placed_at"),
        ({"created_at": "0001-01-01T00:00:00+14:00"}, "placed_at"),
        ({"updated_at": "2026-05-01T10:00:00+16:00"}, "updated_at"),
        ({"created_at": "2026-05-01T10:00:00"}, "placed_at"),
        ({"total": "100000000000000000.00"}, "total_minor"),  # 10^19 minor units
    ],
    ids=["year 9999", "year 1", "offset +16:00", "no offset", "total 10^19"],
)
def test_an_unstorable_order_by_webhook_needs_attention(client, pictime_link, change, reason):
    response = deliver(client, order_json() | change)
    assert response.status_code == 200
    item = InboxItem.objects.get()
    assert item.state == InboxItem.State.NEEDS_ATTENTION
    assert reason in item.error
    assert client.get("/inbox/").status_code in (200, 302)


timestamps = st.datetimes(
    min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30)
).flatmap(
    lambda moment: st.sampled_from(["Z", "+14:00", "-12:00", "+15:59", "-16:00", "+23:00", ""]).map(
        lambda offset: moment.isoformat() + offset
    )
)


@settings(max_examples=200, deadline=None)
@given(timestamps, st.integers(min_value=0, max_value=10**20))
def test_the_mapper_returns_only_storable_orders(stamp, shipping):
    try:
        order = map_order(order_json(shipping=shipping) | {"created_at": stamp})
    except OrderMappingError:
        return
    assert timestamp_problem(order.placed_at) is None
    assert order.total_minor <= MAX_AMOUNT_MINOR
