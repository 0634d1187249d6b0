"""Contract tests of the ShootProof mapper on responses recorded from the stand-in
(galleries/tests/shootproof_recorded/, written by its record.py): what ShootProof really
sends maps exactly, in every currency exponent and status the recording covers."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from core.money import currency_exponent
from galleries.providers.base import OrderMappingError
from galleries.providers.shootproof import PROVIDER

RECORDED = Path(__file__).resolve().parent / "shootproof_recorded"
ORDERS = ["usd_adjustment_tax", "jpy", "bhd", "partially_paid", "refunded", "cancelled", "deleted"]


def recorded(name: str) -> dict:
    return json.loads((RECORDED / f"{name}.json").read_text(encoding="utf-8"))


def minor(value: float | int, currency: str) -> int:
    return int(Decimal(repr(value)).scaleb(currency_exponent(currency)))


@pytest.mark.parametrize("name", ORDERS)
def test_every_recorded_order_maps_with_shootproofs_own_figures(name):
    document = recorded(name)
    order, currency = document["order"], document["order"]["currencyCode"]
    mapped = PROVIDER.map_order(document, account_id="1201")
    assert mapped.order_id == str(order["id"]) == PROVIDER.order_id_of(document)
    assert mapped.order_number == order["orderNumber"]
    assert mapped.currency == currency
    assert mapped.subtotal_minor == minor(order["subtotal"], currency)
    assert mapped.discount_minor == minor(order["adjustment"], currency)
    assert mapped.shipping_minor == minor(order["shipping"], currency)
    assert mapped.tax_minor == minor(order["tax"], currency)
    assert mapped.total_minor == minor(order["total"], currency)
    assert mapped.amount_paid_minor == minor(order["amountPaid"], currency)
    assert mapped.refunded_minor == minor(order["amountRefunded"], currency)
    assert len(mapped.lines) == len(document["items"])
    assert mapped.gallery.id == str(order["eventId"])
    assert mapped.gallery.name == order["eventName"]
    assert mapped.customer.email == order["customerEmail"]
    assert mapped.customer.full_name == order["customerName"]  # every word kept, in order


def test_the_recording_covers_three_currency_exponents():
    exponents = {currency_exponent(recorded(n)["order"]["currencyCode"]) for n in ORDERS}
    assert exponents == {0, 2, 3}


def test_names_from_the_recording():
    assert _names("usd_adjustment_tax") == ("Mary Ann", "van der Berg")
    assert _names("jpy") == ("山田太郎", "")
    assert _names("bhd") == ("Иван", "Петров")
    assert _names("partially_paid") == ("Cher", "")


def _names(name: str) -> tuple[str, str]:
    customer = PROVIDER.map_order(recorded(name), account_id="1").customer
    return customer.first_name, customer.last_name


def test_statuses_from_the_recording():
    partly = PROVIDER.map_order(recorded("partially_paid"), account_id="1")
    assert partly.payment_status == "partially_paid" and partly.balance_minor > 0
    refunded = PROVIDER.map_order(recorded("refunded"), account_id="1")
    assert refunded.payment_status == "partially_refunded" and len(refunded.refunds) == 1
    cancelled = PROVIDER.map_order(recorded("cancelled"), account_id="1")
    assert (cancelled.status, cancelled.payment_status) == ("cancelled", "refunded")


def test_a_recorded_deletion_marks_the_last_version_cancelled():
    notice = recorded("deleted_notice")
    assert PROVIDER.order_id_of(notice) == str(recorded("deleted")["order"]["id"])
    with pytest.raises(OrderMappingError, match="deleted order"):
        PROVIDER.map_order(notice, account_id="1")  # alone it has nothing to mark
    document = {**recorded("deleted"), "deleted": notice["deleted"]}
    mapped = PROVIDER.map_order(document, account_id="1")
    assert (mapped.status, mapped.status_raw) == ("cancelled", "deleted")
    assert mapped.updated_at.isoformat() == notice["deleted"]["at"]


def test_the_recorded_notification_page_is_newest_first_with_order_ids():
    page = recorded("notification_page")
    ids = [n["id"] for n in page["items"]]
    assert ids == sorted(ids, reverse=True)
    kinds = {n["notificationType"] for n in page["items"]}
    assert {"order-placed", "order-deleted"} <= kinds
