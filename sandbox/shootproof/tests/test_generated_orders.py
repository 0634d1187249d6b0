"""Property: any generated order, in any currency, is self-consistent as JSON — the
totals add up exactly and no amount has more decimals than its currency."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spstandin import generator, money, orders, serializers

pytestmark = pytest.mark.django_db


def D(value) -> Decimal:
    return Decimal(str(value))


def _fits(value, currency: str) -> bool:
    return D(value).as_tuple().exponent >= -money.exponent(currency)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 2**32), currency=st.sampled_from(money.CURRENCIES))
def test_any_generated_order_adds_up(demo, seed, currency):
    event = demo.brands.order_by("id").first().events.order_by("id").first()
    order = orders.place_order(generator.random_request(event, random.Random(seed), currency))
    data = serializers.order_json(order)
    amounts = ("subtotal", "adjustment", "shipping", "tax", "total", "amountPaid", "balanceDue")
    assert all(_fits(data[k], currency) for k in amounts)
    assert D(data["total"]) == D(data["subtotal"]) - D(data["adjustment"]) + D(
        data["shipping"]
    ) + D(data["tax"])
    assert Decimal(0) <= D(data["amountPaid"]) <= D(data["total"])
    assert D(data["balanceDue"]) == D(data["total"]) - D(data["amountPaid"])
    assert D(data["adjustment"]) <= D(data["subtotal"])
    items = [serializers.item_json(i, currency) for i in order.items.all()]
    assert sum(D(i["total"]) for i in items) == D(data["subtotal"])
    assert data["customerName"].strip() and "@" in data["customerEmail"]
    if data["shippingAddress"] is not None:
        assert len(data["shippingAddress"]["country"]) == 2
