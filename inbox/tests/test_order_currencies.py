"""Every ISO 4217 currency through both providers: the amounts the gallery sent are the
amounts stored, to the minor unit (core.currencies: ISO's minor units, not CLDR's)."""

from __future__ import annotations

import json

import pytest

from core.currencies import MINOR_UNITS
from core.tests.test_currencies import ISO_NOT_CLDR
from galleries.providers.pictime.orders import map_order as map_pictime
from galleries.providers.shootproof.orders import map_order as map_shootproof
from inbox.importing import import_item
from inbox.intake import take_in
from testkit.factories import receive
from testkit.payloads import order_json
from testkit.shootproof_payloads import order_document

CODES = sorted(MINOR_UNITS)
# A unit price with every minor digit used (1234.5678 in CLF, 1234.567 in IQD, 12345 in JPY).
UNIT = 12345678


def _pictime(code: str) -> dict:
    items = [{"kind": "print", "product": "Print", "quantity": 3, "unit": UNIT, "discount": 7,
              "tax": 11}]  # fmt: skip
    return order_json(currency=code, items=items, shipping=905, refunds=[1303])


def _shootproof(code: str) -> dict:
    items = [{"type": "print", "name": "Print", "quantity": 3, "unit": UNIT, "discount": 7}]
    return order_document(currency=code, items=items, adjustment=0, shipping=905, tax=11,
                          refunds=[1303])  # fmt: skip


PICTIME_TOTAL = 3 * UNIT - 7 + 11 + 905
SHOOTPROOF_TOTAL = 3 * UNIT - 7 + 905 + 11


@pytest.mark.parametrize("code", CODES)
def test_every_currency_maps_exactly_from_both_providers(code):
    pictime = map_pictime(_pictime(code))
    shootproof = map_shootproof(_shootproof(code), account_id="1201")
    for order, total in ((pictime, PICTIME_TOTAL), (shootproof, SHOOTPROOF_TOTAL)):
        assert order.currency == code
        assert order.total_minor == total
        assert order.lines[0].unit_price_minor == UNIT
        assert order.amount_paid_minor == total
        assert [r.amount_minor for r in order.refunds] == [1303]


@pytest.mark.parametrize("code", ["XXX", "XAU", "XTS", "XDR"])
def test_an_order_in_a_code_that_is_not_money_needs_attention(db, studio, code):
    payload = _pictime("USD") | {"currency": code}
    item = take_in(
        studio=studio,
        provider="pictime",
        account_id="acc_demo",
        raw=payload,
        raw_payload=json.dumps(payload),
        channel="webhook",
        delivery_key="k",
    ).item
    assert item.state == "needs_attention"
    assert "not a currency a sale can be in" in item.error
    document = _shootproof("USD")
    document["order"]["currencyCode"] = code
    sp = _take_in_shootproof(studio, document)
    assert sp.state == "needs_attention"
    assert "not a currency a sale can be in" in sp.error


def _take_in_shootproof(studio, document: dict):
    return take_in(
        studio=studio, provider="shootproof", account_id="1201", raw=document,
        raw_payload=json.dumps(document), channel="poll",
        delivery_key=f"sp-{document['order']['currencyCode']}",
    ).item  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("code", [*sorted(ISO_NOT_CLDR), "JPY", "BHD", "CLF", "USD"])
def test_the_imported_sale_holds_the_gallerys_amounts(studio, code):
    pictime = receive(studio, currency=code, refunds=[1303])
    sale = import_item(item=pictime, create_contact=True)
    order = pictime.order
    assert (sale.total_minor, sale.paid_minor, sale.refunded_minor) == (
        order.total_minor, order.amount_paid_minor, 1303)  # fmt: skip
    sale = import_item(item=_take_in_shootproof(studio, _shootproof(code)), create_contact=True)
    assert sale.currency == code
    assert (sale.total_minor, sale.paid_minor, sale.refunded_minor) == (
        SHOOTPROOF_TOTAL, SHOOTPROOF_TOTAL, 1303)  # fmt: skip
    assert sale.lines.get().unit_price_minor == UNIT


def _same_places(code: str) -> str:
    """A code that babel and ISO agree on, with `code`'s ISO minor units."""
    return {0: "JPY", 2: "USD", 3: "BHD", 4: "CLF"}[MINOR_UNITS[code]]


@pytest.mark.parametrize("code", CODES)
def test_the_gallerys_literal_amounts_are_read_in_iso_minor_units(code):
    """HUF 1234.50 as Pic-Time writes it ("1234.50") and ShootProof (1234.5): the same
    minor units as any currency with two places, never refused nor read 100x off."""
    model = _same_places(code)
    pictime = _pictime(model) | {"currency": code}
    assert map_pictime(pictime).model_dump(exclude={"currency"}) == map_pictime(
        _pictime(model)
    ).model_dump(exclude={"currency"})
    document = _shootproof(model)
    expected = map_shootproof(document, account_id="1201").model_dump(exclude={"currency"})
    document["order"]["currencyCode"] = code
    assert map_shootproof(document, account_id="1201").model_dump(exclude={"currency"}) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["XXX", "XAU", "XTS"])
def test_a_sale_by_hand_or_api_in_a_code_that_is_not_money_is_refused(make_sale, code):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="not a currency a sale can be in"):
        make_sale(currency=code)
