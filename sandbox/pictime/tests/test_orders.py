"""Order arithmetic, refunds, cancellation and status changes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from standin import catalog, money, orders, pricing, serializers
from standin.models import Order

from .helpers import place

D = Decimal


def check_totals(order: dict) -> None:
    """Every documented identity of the order JSON, checked on the decimal strings."""
    exp = money.EXPONENTS[order["currency"]]
    for amount in _amounts(order):
        assert "-" not in amount
        assert (len(amount.split(".")[1]) if "." in amount else 0) == exp, amount
    included = order["tax"]["included_in_prices"]
    rate = D(order["tax"]["rate"])
    for item in order["items"]:
        net = item["quantity"] * D(item["unit_price"]) - D(item["discount"])
        tax = D(item["tax"])
        assert D(item["total"]) == (net if included else net + tax)
        if not included:
            assert abs(tax - net * rate / 100) <= D(1).scaleb(-exp) / 2
    promotions = sum((D(p["amount"]) for p in order["promotions"]), D(0))
    order_level = sum((D(d["amount"]) for d in order["discounts"]), D(0))
    items_total = sum((D(i["total"]) for i in order["items"]), D(0))
    tax = D(order["tax"]["amount"])
    shipping = D(order["shipping"]["amount"])
    assert promotions == sum((D(i["discount"]) for i in order["items"]), D(0))
    assert D(order["subtotal"]) == sum(
        (i["quantity"] * D(i["unit_price"]) - D(i["discount"]) for i in order["items"]), D(0)
    )
    assert tax == sum((D(i["tax"]) for i in order["items"]), D(0))
    assert D(order["total"]) == items_total + shipping - order_level
    added_tax = D(0) if included else tax
    assert D(order["total"]) == D(order["subtotal"]) + added_tax + shipping - order_level
    assert D(order["amount_paid"]) == D(order["total"])
    assert D(order["amount_refunded"]) == sum((D(r["amount"]) for r in order["refunds"]), D(0))


def _amounts(order: dict) -> list[str]:
    out = [order[k] for k in ("subtotal", "total", "amount_paid", "amount_refunded")]
    out += [order["shipping"]["amount"], order["tax"]["amount"], *order["fees"].values()]
    for item in order["items"]:
        out += [item["unit_price"], item["discount"], item["tax"], item["total"]]
    return out


@pytest.mark.django_db
@pytest.mark.parametrize("currency", ["USD", "EUR", "GBP", "JPY", "AUD", "CAD"])
def test_random_orders_add_up_in_every_currency(demo, currency):
    for seed in range(25):
        order = place(demo, seed=seed * 7 + len(currency), currency=currency)
        check_totals(serializers.order_json(order))


@pytest.mark.django_db
def test_the_documented_example_order(demo):
    gallery = demo.galleries.get(slug="maya-jonas-wedding")
    product = catalog.BY_SKU["print-8x10"]
    order = orders.place_order(
        orders.OrderRequest(
            gallery=gallery,
            client={"first_name": "Ana", "last_name": "García", "email": "ana@example.com"},
            billing_address={"line1": "1 Main St", "city": "Austin", "country": "us"},
            lines=[pricing.LineInput("print", product.name, 2, 2500, {"size": "8x10"})],
            discount_code="spring10",
            shipping_method="Standard",
        )
    )
    data = serializers.order_json(order)
    item = data["items"][0]
    assert (item["unit_price"], item["discount"], item["tax"], item["total"]) == (
        "25.00",
        "5.00",
        "3.60",
        "48.60",
    )
    assert data["promotions"] == [
        {"code": "SPRING10", "description": "Spring sale: 10% off", "amount": "5.00"}
    ]
    assert data["discounts"] == []
    assert (data["subtotal"], data["shipping"]["amount"], data["total"]) == (
        "45.00",
        "9.00",
        "57.60",
    )
    assert data["shipping_address"] == data["billing_address"]
    assert data["billing_address"]["country"] == "US"
    assert data["number"].startswith("PT-")
    check_totals(data)


@pytest.mark.django_db
def test_jpy_has_no_decimals_and_gift_card_is_order_level(demo):
    order = place(demo, currency="JPY", discount_code="GIFT50", seed=3)
    data = serializers.order_json(order)
    assert "." not in data["total"]
    gift = data["discounts"][0]
    assert gift["code"] == "GIFT50" and data["promotions"] == []
    before_credit = sum(int(i["total"]) for i in data["items"]) + int(data["shipping"]["amount"])
    assert int(gift["amount"]) == min(7500, before_credit)
    assert int(data["total"]) == before_credit - int(gift["amount"])
    check_totals(data)


@given(
    amount=st.integers(min_value=0, max_value=10**9),
    weights=st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=8),
)
def test_allocation_is_exact_and_never_exceeds_a_share(amount, weights):
    amount = min(amount, sum(weights))
    parts = pricing.allocate(amount, weights)
    assert sum(parts) == amount
    assert all(0 <= p <= w for p, w in zip(parts, weights, strict=True))


@settings(max_examples=200, deadline=None)
@given(
    qty=st.integers(1, 50),
    price=st.integers(0, 500_000),
    rate=st.decimals(min_value=0, max_value=30, places=2),
    included=st.booleans(),
)
def test_line_tax_is_within_half_a_minor_unit(qty, price, rate, included):
    net = qty * price
    tax = pricing.line_tax(net, rate, included)
    exact = net * rate / (100 + rate) if included else net * rate / 100
    assert abs(tax - exact) <= D("0.5")


@pytest.mark.django_db
def test_partial_then_full_refund_and_validation(demo):
    order = place(demo, seed=11, discount_code="")
    total = order.total_minor
    with pytest.raises(orders.OrderError, match="more than zero"):
        orders.refund_order(order=order, amount=0)
    with pytest.raises(orders.OrderError, match="more than the"):
        orders.refund_order(order=order, amount=total + 1)
    order = orders.refund_order(order=order, amount=100, reason="Damaged print")
    assert order.payment_status == Order.PaymentStatus.PARTIALLY_REFUNDED
    with pytest.raises(orders.OrderError, match="more than the"):
        orders.refund_order(order=order, amount=total)
    order = orders.refund_order(order=order, amount=None)
    assert order.payment_status == Order.PaymentStatus.REFUNDED
    assert order.amount_refunded_minor == total
    with pytest.raises(orders.OrderError, match="Nothing is left"):
        orders.refund_order(order=order, amount=1)
    data = serializers.order_json(order)
    assert [r["reason"] for r in data["refunds"]] == ["Damaged print", "Refund"]
    assert data["refunds"][-1]["created_at"] == data["updated_at"]
    check_totals(data)


@pytest.mark.django_db
def test_cancel_refunds_the_rest_and_cannot_repeat(demo):
    order = place(demo, seed=5)
    orders.refund_order(order=order, amount=100)
    order = orders.cancel_order(order=order)
    assert order.status == "cancelled" and order.payment_status == "refunded"
    with pytest.raises(orders.OrderError, match="already cancelled"):
        orders.cancel_order(order=order)


@pytest.mark.django_db
def test_shipped_orders_cannot_be_cancelled_and_status_moves_forward_only(demo):
    order = place(demo, seed=6)
    order = orders.set_status(order=order, status="in_production")
    with pytest.raises(orders.OrderError):
        orders.set_status(order=order, status="placed")
    order = orders.set_status(order=order, status="shipped")
    with pytest.raises(orders.OrderError, match="refund them instead"):
        orders.cancel_order(order=order)


@pytest.mark.django_db
def test_every_change_bumps_updated_at(demo):
    order = place(demo, seed=8)
    stamps = [order.updated_at]
    order = orders.refund_order(order=order, amount=50)
    stamps.append(order.updated_at)
    order = orders.set_status(order=order, status="in_production")
    stamps.append(order.updated_at)
    order = orders.cancel_order(order=order)
    stamps.append(order.updated_at)
    assert stamps == sorted(stamps) and len(set(stamps)) == 4
    assert order.created_at == stamps[0]


@pytest.mark.django_db
def test_invalid_orders_are_refused_with_clear_messages(demo):
    gallery = demo.galleries.first()
    base = {
        "gallery": gallery,
        "client": {"first_name": "A", "email": "a@example.com"},
        "billing_address": {"line1": "x", "city": "y", "country": "US"},
        "lines": [pricing.LineInput("print", "Print", 1, 100)],
    }
    cases = [
        ({"lines": []}, "at least one product"),
        ({"client": {"first_name": "A", "email": "nope"}}, "valid email"),
        ({"billing_address": {"line1": "x", "city": "y", "country": "USA"}}, "two-letter"),
        ({"discount_code": "FREE100"}, "not valid"),
        ({"shipping_method": "Digital delivery"}, "shipping method"),
        ({"lines": [pricing.LineInput("print", "Print", 0, 100)]}, "quantity"),
        ({"currency": "XXX"}, "Unsupported currency"),
        ({"tax_rate": D("75")}, "between 0 and 50"),
    ]
    for change, message in cases:
        with pytest.raises(orders.OrderError, match=message):
            orders.place_order(orders.OrderRequest(**{**base, **change}))
    assert not Order.objects.exists()


@pytest.mark.django_db
def test_digital_only_orders_have_no_shipping_address(demo):
    gallery = demo.galleries.first()
    product = catalog.BY_SKU["digital-gallery"]
    order = orders.place_order(
        orders.OrderRequest(
            gallery=gallery,
            client={"first_name": "Mei", "last_name": "Chen", "email": "mei@example.com"},
            billing_address={"line1": "1 Rd", "city": "Taipei", "country": "TW"},
            lines=[pricing.LineInput("digital", product.name, 1, 25000, digital=True)],
        )
    )
    data = serializers.order_json(order)
    assert data["shipping"] == {"method": "Digital delivery", "amount": "0.00"}
    assert data["shipping_address"] is None
    assert data["fees"]["lab_cost"] == "0.00"


def test_money_strings_follow_the_currency():
    assert money.to_str(1250, "USD") == "12.50" and money.to_str(1200, "JPY") == "1200"
    assert money.parse("12.5", "EUR") == 1250 and money.parse("1200", "JPY") == 1200
    for text, currency in (("12.5", "JPY"), ("1.001", "GBP"), ("abc", "USD"), ("NaN", "USD")):
        with pytest.raises(money.MoneyError):
            money.parse(text, currency)
    assert money.display(113112, "USD") == "$1,131.12"
    assert money.display(-50, "EUR") == "-€0.50"
