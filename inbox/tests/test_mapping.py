"""The Pic-Time mapper and the normalized schema: valid orders round-trip, invalid ones are
refused with a message that names the field."""

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from galleries.providers.pictime.orders import OrderMappingError, map_order
from galleries.schema import GalleryOrder
from testkit.payloads import as_minor, order_json, random_orders


def test_every_field_of_a_known_order_is_mapped():
    order = map_order(order_json(discount=300, refunds=[500]))
    assert (order.provider, order.account_id, order.order_id) == ("pictime", "acc_demo", "ord_1001")
    assert order.order_number == "PT-1001"
    assert order.gallery.name == "Smith Wedding" and str(order.gallery.event_date) == "2026-04-18"
    assert order.customer.full_name == "Ada Lovelace"
    assert order.customer.billing_address.postcode == "N1 9GU"
    first = order.lines[0]
    assert (first.kind, first.quantity, first.unit_price_minor) == ("print", 2, 2500)
    assert (first.discount_minor, first.tax_minor, first.total_minor) == (500, 360, 4860)
    assert first.options == {"size": "8x10", "paper": "lustre"}
    assert order.lines[1].digital is True
    assert order.subtotal_minor == 6000 and order.tax_minor == 360
    assert order.shipping_minor == 900 and order.discount_minor == 300
    assert order.total_minor == 6000 + 360 + 900 - 300
    assert order.refunded_minor == 500 and order.refunds[0].reason == "damaged print"
    assert order.payment_collected_by == "provider"
    assert order.payment_status == "partially_refunded"
    assert order.fees.platform_fee_minor == order.total_minor // 10
    assert order.fees.lab_cost_minor is None


def test_zero_and_three_decimal_currencies():
    jpy = map_order(order_json(currency="JPY", items=[
        {"kind": "print", "product": "A4", "quantity": 3, "unit": 1200, "discount": 0, "tax": 360}
    ], shipping=500))  # fmt: skip
    assert jpy.lines[0].unit_price_minor == 1200 and jpy.total_minor == 3600 + 360 + 500
    bhd = map_order(order_json(currency="BHD", items=[
        {"kind": "album", "product": "Album", "quantity": 1, "unit": 12345, "discount": 5, "tax": 0}
    ], shipping=0))  # fmt: skip
    assert bhd.lines[0].unit_price_minor == 12345 and bhd.total_minor == 12340


@settings(max_examples=150, deadline=None)
@given(random_orders())
def test_random_valid_orders_round_trip(payload):
    order = map_order(payload)
    assert order.total_minor == as_minor(payload["total"], payload["currency"])
    assert len(order.lines) == len(payload["items"])
    for line, item in zip(order.lines, payload["items"], strict=True):
        assert line.quantity == item["quantity"]
        assert line.total_minor == as_minor(item["total"], payload["currency"])
    # The stored form validates back to the same order.
    assert GalleryOrder.model_validate(order.model_dump(mode="json")) == order


BREAKAGES = {
    "unknown currency": (lambda o: o.update(currency="XYZ"), "currency"),
    "negative quantity": (lambda o: o["items"][0].update(quantity=-2), "quantity"),
    "quantity as text": (lambda o: o["items"][0].update(quantity="two"), "quantity"),
    "total does not add up": (lambda o: o.update(total="1.00"), "total_minor"),
    "line total does not add up": (lambda o: o["items"][0].update(total="0.01"), "lines[0]"),
    "too many decimals": (lambda o: o.update(subtotal="1.234"), "decimal places"),
    "missing items": (lambda o: o.pop("items"), "items"),
    "no client": (lambda o: o.update(client={}), "customer"),
    "naive timestamp": (lambda o: o.update(updated_at="2026-05-01T10:00:00"), "time zone"),
    "refund above paid": (
        lambda o: o.update(
            refunds=[{"id": "r", "amount": "9999.00", "created_at": "2026-05-03T09:00:00Z"}]
        ),
        "refunds",
    ),
}


@pytest.mark.parametrize("name", BREAKAGES)
def test_invalid_orders_are_refused_naming_the_problem(name):
    payload = copy.deepcopy(order_json())
    breaker, expected = BREAKAGES[name]
    breaker(payload)
    with pytest.raises(OrderMappingError) as info:
        map_order(payload)
    assert expected in str(info.value)


@settings(max_examples=100, deadline=None)
@given(random_orders(), st.integers(min_value=1, max_value=10_000))
def test_any_tampered_total_is_refused(payload, delta):
    minor = as_minor(payload["total"], payload["currency"]) + delta
    from testkit.payloads import amount

    payload["total"] = amount(minor, payload["currency"])
    with pytest.raises(OrderMappingError, match="total_minor"):
        map_order(payload)
