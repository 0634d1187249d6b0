"""inbox 0007 rescales what was stored in CLDR's digits where ISO 4217's differ: a HUF
sale of 1,234 forints stored as 1234 becomes 123400 (HUF 1234.00), IQD ×1000; every
amount of the sale, its documents and its Inbox order; other currencies untouched."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from contacts.services import create_contact

DAY = dt.date(2026, 5, 1)
BEFORE = [("inbox", "0006_webhook_deliveries"), ("sales", "0013_gallery_money"),
          ("invoicing", "0005_build_tax_days")]  # fmt: skip
AFTER = [("inbox", "0007_iso_minor_units")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def stored(apps, studio, contact, currency: str, n: int) -> dict:
    Sale = apps.get_model("sales", "Sale")
    sale = Sale.objects.create(
        studio_id=studio.pk, contact_id=contact.pk, sale_date=DAY, currency=currency,
        subtotal_minor=1200, shipping_minor=34, total_minor=1234, paid_minor=1234,
        refunded_minor=100, platform_fee_minor=None,
    )  # fmt: skip
    line = apps.get_model("sales", "SaleLine").objects.create(
        studio_id=studio.pk, sale=sale, description="Print", unit_price_minor=1200,
        total_minor=1200,
    )  # fmt: skip
    payment = apps.get_model("sales", "Payment").objects.create(
        studio_id=studio.pk, sale=sale, amount_minor=1234, paid_on=DAY
    )
    refund = apps.get_model("sales", "Refund").objects.create(
        studio_id=studio.pk, sale=sale, amount_minor=100, refunded_on=DAY
    )
    day = apps.get_model("sales", "SaleDay").objects.create(
        studio_id=studio.pk, day=DAY, currency=currency, source="pictime", invoiced=False,
        sales_count=1, total_minor=1234, refunded_minor=100,
    )  # fmt: skip
    item = apps.get_model("inbox", "InboxItem").objects.create(
        studio_id=studio.pk, source="pictime", account_id="acc", external_id=f"ord_{n}",
        currency=currency, raw_payload="{}", total_minor=1234, refunded_minor=100,
        normalized={"currency": currency, "total_minor": 1234, "fees": None,
                    "lines": [{"unit_price_minor": 1200, "quantity": 1, "digital": False}],
                    "refunds": [{"id": "r1", "amount_minor": 100}]},
    )  # fmt: skip
    return {"sale": sale, "line": line, "payment": payment, "refund": refund, "day": day,
            "item": item}  # fmt: skip


def amounts(apps, rows: dict) -> tuple:
    get = lambda app, name, row: apps.get_model(app, name).objects.get(pk=row.pk)  # noqa: E731
    sale = get("sales", "Sale", rows["sale"])
    item = get("inbox", "InboxItem", rows["item"])
    return (
        (sale.total_minor, sale.shipping_minor, sale.paid_minor, sale.refunded_minor,
         sale.platform_fee_minor),
        get("sales", "SaleLine", rows["line"]).unit_price_minor,
        get("sales", "Payment", rows["payment"]).amount_minor,
        get("sales", "Refund", rows["refund"]).amount_minor,
        get("sales", "SaleDay", rows["day"]).total_minor,
        (item.total_minor, item.normalized["total_minor"],
         item.normalized["lines"][0]["unit_price_minor"], item.normalized["lines"][0]["quantity"],
         item.normalized["refunds"][0]["amount_minor"]),
    )  # fmt: skip


def expected(factor: int) -> tuple:
    return ((1234 * factor, 34 * factor, 1234 * factor, 100 * factor, None), 1200 * factor,
            1234 * factor, 100 * factor, 1234 * factor,
            (1234 * factor, 1234 * factor, 1200 * factor, 1, 100 * factor))  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_amounts_in_cldr_digits_are_rescaled_to_iso_minor_units(studio):
    contact = create_contact(studio=studio, first_name="Ann")
    try:
        apps = migrate(BEFORE)
        rows = {code: stored(apps, studio, contact, code, n)
                for n, code in enumerate(["HUF", "IQD", "USD", "JPY"])}  # fmt: skip
        apps = migrate(AFTER)
        after = {code: amounts(apps, r) for code, r in rows.items()}
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert after == {"HUF": expected(100), "IQD": expected(1000), "USD": expected(1),
                     "JPY": expected(1)}  # fmt: skip
