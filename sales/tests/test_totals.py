"""The totals arithmetic: worked examples in three currencies and a property test."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.money import format_money
from sales.models import Sale, SaleLine
from sales.services import LineInput, compute_totals, create_sale
from testkit.factories import line

pytestmark = pytest.mark.django_db


def test_usd_tax_added_shipping_and_order_discount(make_sale):
    sale = make_sale(
        lines=[
            line(quantity=3, unit_price_minor=1250, discount_minor=250, tax_minor=350),
            line(description="Album", product_kind="album", unit_price_minor=20000, tax_minor=2000),
        ],
        shipping_minor=995,
        order_discount_minor=1000,
    )
    # lines: 3×12.50−2.50 = 35.00 and 200.00 → subtotal 235.00; tax 3.50 + 20.00 = 23.50
    assert (sale.subtotal_minor, sale.tax_minor) == (23500, 2350)
    assert sale.total_minor == 23500 + 2350 + 995 - 1000 == 25845
    assert format_money(sale.total_minor, sale.currency) == "$258.45"
    assert [ln.total_minor for ln in sale.lines.all()] == [3850, 22000]
    stored = Sale.objects.get(pk=sale.pk)
    assert (stored.subtotal_minor, stored.tax_minor, stored.total_minor) == (23500, 2350, 25845)


def test_usd_prices_include_tax(make_sale):
    sale = make_sale(
        prices_include_tax=True,
        lines=[line(quantity=2, unit_price_minor=1200, discount_minor=400, tax_minor=333)],
        shipping_minor=500,
    )
    assert (sale.subtotal_minor, sale.tax_minor) == (2000, 333)
    assert sale.total_minor == 2000 + 500  # the tax is inside the prices, not added
    assert SaleLine.objects.get(sale=sale).total_minor == 2000


def test_jpy_has_no_minor_unit(make_sale):
    sale = make_sale(
        currency="jpy",
        lines=[line(quantity=2, unit_price_minor=1500, tax_minor=300)],
        shipping_minor=800,
    )
    assert sale.currency == "JPY"
    assert sale.total_minor == 3000 + 300 + 800
    assert format_money(sale.total_minor, "JPY") == "¥4,100"


def test_bhd_has_three_decimals(make_sale):
    sale = make_sale(
        currency="BHD",
        lines=[line(quantity=1, unit_price_minor=12345, discount_minor=5, tax_minor=1)],
        order_discount_minor=340,
    )
    assert sale.total_minor == 12345 - 5 + 1 - 340 == 12001
    assert format_money(sale.total_minor, "BHD").endswith("12.001")


line_inputs = st.builds(
    lambda qty, unit, discount_share, tax: LineInput(
        description="Item",
        product_kind="print",
        quantity=qty,
        unit_price_minor=unit,
        discount_minor=(qty * unit * discount_share) // 100,
        tax_minor=tax,
    ),
    qty=st.integers(min_value=1, max_value=50),
    unit=st.integers(min_value=0, max_value=500_000),
    discount_share=st.integers(min_value=0, max_value=100),
    tax=st.integers(min_value=0, max_value=50_000),
)


def documented_total(lines, *, include: bool, shipping: int, order_discount: int) -> int:
    subtotal = sum(ln.quantity * ln.unit_price_minor - ln.discount_minor for ln in lines)
    tax = sum(ln.tax_minor for ln in lines)
    return subtotal + (0 if include else tax) + shipping - order_discount


@given(
    lines=st.lists(line_inputs, min_size=1, max_size=6),
    shipping=st.integers(min_value=0, max_value=10_000),
    order_discount=st.integers(min_value=0, max_value=3_000_000),
    include=st.booleans(),
    currency=st.sampled_from(["USD", "JPY", "BHD"]),
)
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_saved_total_is_the_documented_formula_and_never_negative(
    studio, contact, lines, shipping, order_discount, include, currency
):
    expected = documented_total(
        lines, include=include, shipping=shipping, order_discount=order_discount
    )
    included_tax_too_big = include and any(
        ln.tax_minor > ln.quantity * ln.unit_price_minor - ln.discount_minor for ln in lines
    )
    kwargs = {
        "studio": studio,
        "contact": contact,
        "sale_date": dt.date(2026, 5, 2),
        "currency": currency,
        "lines": lines,
        "prices_include_tax": include,
        "shipping_minor": shipping,
        "order_discount_minor": order_discount,
    }
    if expected < 0 or included_tax_too_big:
        count = Sale.objects.count()
        with pytest.raises(ValidationError):
            create_sale(**kwargs)
        assert Sale.objects.count() == count
        return
    sale = create_sale(**kwargs)
    stored = Sale.objects.get(pk=sale.pk)
    assert stored.total_minor == expected >= 0
    assert stored.tax_minor == sum(ln.tax_minor for ln in lines)
    assert sum(ln.total_minor for ln in stored.lines.all()) == (
        stored.subtotal_minor + (0 if include else stored.tax_minor)
    )


@given(lines=st.lists(line_inputs, min_size=1, max_size=10), include=st.booleans())
def test_compute_totals_pure(lines, include):
    totals = compute_totals(
        lines, prices_include_tax=include, shipping_minor=0, order_discount_minor=0
    )
    assert totals.total_minor == documented_total(
        lines, include=include, shipping=0, order_discount=0
    )
    assert totals.subtotal_minor >= 0
