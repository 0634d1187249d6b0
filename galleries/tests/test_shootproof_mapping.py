"""The ShootProof mapper: ShootProof's order document → GalleryOrder, exactly or refused
with a reason naming the field (docs/gallery-order.md, docs/shootproof-standin.md)."""

from __future__ import annotations

import copy
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.money import currency_exponent
from galleries.providers.base import OrderMappingError
from galleries.providers.shootproof import PROVIDER
from galleries.providers.shootproof.orders import map_order, order_id_of, split_name
from testkit.shootproof_payloads import number, order_document, valid_documents


def test_every_field_of_a_known_order_is_mapped():
    order = map_order(order_document(refunds=[1500]), account_id="1201")
    assert (order.provider, order.account_id, order.order_id) == ("shootproof", "1201", "5003001")
    assert order.order_number == "5003001"
    assert (order.customer.first_name, order.customer.last_name) == ("Mary Ann", "van der Berg")
    assert order.customer.email == "maryann@example.com"
    assert order.customer.billing_address.region == "GA"
    assert order.customer.billing_address.postcode == "30601"
    assert order.gallery.id == "301" and order.gallery.name == "Smith Wedding"
    assert str(order.gallery.event_date) == "2026-06-14"
    assert [line.kind for line in order.lines] == ["print", "digital"]
    assert order.lines[0].options == {"finish": "Lustre", "photo": "IMG_420.jpg"}
    assert order.lines[1].digital is True
    assert order.subtotal_minor == 12000
    assert order.discount_minor == 1000  # the adjustment, an order-level discount
    assert (order.shipping_minor, order.tax_minor) == (850, 904)
    assert sum(line.tax_minor for line in order.lines) == 904
    assert order.total_minor == 12754
    assert order.amount_paid_minor == 12754
    assert [(r.id, r.amount_minor, r.reason) for r in order.refunds] == [
        ("88101", 1500, "damaged print")
    ]
    assert (order.status, order.status_raw) == ("placed", "open")
    assert (order.payment_status, order.payment_status_raw) == (
        "partially_refunded",
        "partially-refunded",
    )


def test_the_provider_maps_through_the_same_mapper_and_names_the_order():
    document = order_document()
    assert PROVIDER.map_order(document, account_id="1201").order_id == "5003001"
    assert PROVIDER.order_id_of(document) == "5003001"
    assert order_id_of({"deleted": {"orderId": 42}}) == "42"
    assert order_id_of("junk") == "" and order_id_of({"order": {"id": True}}) == ""


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("open", "placed"),
        ("processing", "processing"),
        ("shipped", "shipped"),
        ("completed", "completed"),
        ("cancelled", "cancelled"),
    ],
)
def test_statuses(status, expected):
    assert map_order(order_document(status=status), account_id="1").status == expected


def test_a_deleted_order_is_kept_as_cancelled_dated_at_the_deletion():
    document = order_document()
    document["deleted"] = {"orderId": 5003001, "at": "2026-06-22T08:00:00+00:00"}
    order = map_order(document, account_id="1")
    assert (order.status, order.status_raw) == ("cancelled", "deleted")
    assert order.updated_at.isoformat() == "2026-06-22T08:00:00+00:00"


def test_a_deletion_without_an_earlier_version_is_refused_clearly():
    with pytest.raises(OrderMappingError, match="deleted order 5003001"):
        map_order({"order": None, "deleted": {"orderId": 5003001}}, account_id="1")


def test_zero_and_three_decimal_currencies():
    jpy = map_order(
        order_document(currency="JPY", adjustment=100, shipping=500, tax=300), account_id="1"
    )
    assert jpy.subtotal_minor == 12000 and jpy.total_minor == 12700
    bhd = order_document(currency="BHD", adjustment=0, shipping=0, tax=0)
    assert bhd["order"]["subtotal"] == 12.0  # 12000 fils
    assert map_order(bhd, account_id="1").total_minor == 12000


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("adjustment", 10.005, "more decimal places than USD allows"),
        ("shipping", -1.0, "is negative"),
        ("tax", math.nan, "is not an amount"),
        ("tax", math.inf, "is not an amount"),
        ("shipping", True, "is not a JSON number"),
        ("subtotal", "120.00", "is not a JSON number"),
        ("total", None, "is not a JSON number"),
    ],
)
def test_amounts_that_are_not_exactly_an_amount_are_refused(field, value, reason):
    document = order_document()
    document["order"][field] = value
    with pytest.raises(OrderMappingError, match=f"order.{field}: .*{reason}"):
        map_order(document, account_id="1")


def test_a_fraction_of_a_yen_is_refused():
    document = order_document(currency="JPY")
    document["items"][0]["unitPrice"] = 1.5
    with pytest.raises(OrderMappingError, match=r"items\[0\].unitPrice: .*JPY allows \(0\)"):
        map_order(document, account_id="1")


@pytest.mark.parametrize(
    ("where", "key", "match"),
    [
        ("order", "total", "order.total: ShootProof says .* subtotal − adjustment"),
        ("order", "subtotal", "order.subtotal: ShootProof says .* its items add up"),
        ("order", "amountPaid", "order.amountPaid: ShootProof says .* payments add up"),
        ("order", "amountRefunded", "order.amountRefunded: ShootProof says"),
        ("item", "total", r"items\[0\].total: ShootProof's .* unitPrice × quantity"),
    ],
)
def test_figures_that_do_not_add_up_are_refused_naming_them(where, key, match):
    document = order_document()
    target = document["order"] if where == "order" else document["items"][0]
    target[key] = round(target[key] + 1, 2)
    with pytest.raises(OrderMappingError, match=match):
        map_order(document, account_id="1")


@pytest.mark.parametrize(
    "breakage",
    [
        lambda d: d.pop("order"),
        lambda d: d.update(items=[]),
        lambda d: d["order"].update(currencyCode="XYZ"),
        lambda d: d["order"].update(currencyCode=None),
        lambda d: d["order"].pop("createdAt"),
        lambda d: d["items"][0].update(quantity=1.0),
        lambda d: d["items"][0].update(quantity=True),
        lambda d: d["order"].update(customerName="", customerEmail=""),
        lambda d: d["order"].update(customerName="x" * 300),
        lambda d: d.update(payments="paid"),
    ],
)
def test_malformed_documents_are_refused_not_crashed(breakage):
    document = order_document()
    breakage(document)
    with pytest.raises(OrderMappingError) as refused:
        map_order(document, account_id="1")
    assert str(refused.value)


@pytest.mark.parametrize(
    ("name", "first", "last"),
    [
        ("Mary Ann van der Berg", "Mary Ann", "van der Berg"),
        ("Cher", "Cher", ""),
        ("  Ada   Lovelace ", "Ada", "Lovelace"),
        ("Dr. John Smith Jr.", "Dr. John", "Smith Jr."),
        ("John (Jack) Smith", "John (Jack)", "Smith"),
        ("Jean-Luc Picard", "Jean-Luc", "Picard"),
        ("Berg, Mary Ann", "Mary Ann", "Berg"),
        ("0 0«»", "0", "0«»"),
        ('John "Jack" Smith', 'John "Jack"', "Smith"),
        ("Иван Петров", "Иван", "Петров"),
        ("山田太郎", "山田太郎", ""),
        ("山田 太郎", "山田 太郎", ""),
        ("김 민준", "김 민준", ""),
        ("", "", ""),
        (None, "", ""),
    ],
)
def test_names_are_split_sensibly(name, first, last):
    assert split_name(name) == (first, last)


@settings(max_examples=1000)
@given(st.text(max_size=80))
def test_any_name_splits_without_crashing_and_keeps_every_word(name):
    first, last = split_name(name)
    kept = f"{first} {last}"
    if "," in name:  # "Berg, Mary Ann" is reordered, but no word is lost
        assert sorted(kept.replace(",", " ").split()) == sorted(name.replace(",", " ").split())
    else:
        assert kept.split() == name.split()  # nothing dropped, nothing reordered


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(valid_documents())
def test_any_valid_order_maps_with_totals_that_add_up_and_exact_amounts(generated):
    document, figures = generated
    order = map_order(document, account_id="1201")  # the schema checked the arithmetic
    assert order.currency == figures["currency"]
    assert order.subtotal_minor == figures["subtotal"]
    assert order.discount_minor == figures["adjustment"]
    assert order.shipping_minor == figures["shipping"]
    assert order.tax_minor == figures["tax"]
    assert order.total_minor == figures["total"]
    assert order.amount_paid_minor == figures["paid"]
    assert [r.amount_minor for r in order.refunds] == figures["refunds"]
    for line, item in zip(order.lines, figures["items"], strict=True):
        assert line.unit_price_minor == item["unit"]
        assert line.discount_minor == item["discount"]
        assert line.total_minor == item["quantity"] * item["unit"] - item["discount"] + (
            line.tax_minor
        )
    # the JSON numbers were the minor units × 10^-exponent
    exponent = currency_exponent(figures["currency"])
    assert round(document["order"]["total"] * 10**exponent) == figures["total"]


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(valid_documents(), st.sampled_from(["subtotal", "adjustment", "shipping", "tax", "total"]))
def test_an_amount_finer_than_the_currency_is_refused_clearly(generated, field):
    document, figures = generated
    broken = copy.deepcopy(document)
    broken["order"][field] = number(1, figures["currency"]) / 10  # a tenth of the unit
    with pytest.raises(OrderMappingError, match=f"order.{field}: .*decimal places"):
        map_order(broken, account_id="1201")


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(valid_documents(), st.integers(min_value=1, max_value=10_000))
def test_a_tampered_total_is_refused(generated, delta):
    document, figures = generated
    document["order"]["total"] = number(figures["total"] + delta, figures["currency"])
    with pytest.raises(OrderMappingError, match=r"order\.total"):
        map_order(document, account_id="1201")


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    valid_documents(),
    st.sampled_from(["order", "items", "payments"]),
    st.data(),
    JSON_VALUES,
)
def test_any_field_replaced_by_any_json_maps_or_is_refused_clearly(generated, part, data, value):
    """Whatever ShootProof might send in any field: a GalleryOrder, or OrderMappingError
    with a reason — never another exception (which would be a server error)."""
    document = copy.deepcopy(generated[0])
    target = document[part] if part == "order" else (document[part] or [{}])[0]
    if isinstance(target, dict) and target:
        key = data.draw(st.sampled_from(sorted(target)))
        target[key] = value
    try:
        map_order(document, account_id="1201")
    except OrderMappingError as refused:
        assert str(refused)
