"""sales 0013 marks the gallery's payments already stored (Payment.from_gallery)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from contacts.services import create_contact

DAY = dt.date(2026, 5, 1)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def old_sale(apps, studio, contact, **fields):
    return apps.get_model("sales", "Sale").objects.create(
        studio_id=studio.pk, contact_id=contact.pk, sale_date=DAY, **fields
    )


@pytest.mark.django_db(transaction=True)
def test_payments_the_import_wrote_are_marked_as_the_gallerys(studio):
    contact = create_contact(studio=studio, first_name="Ann")
    try:
        apps = migrate([("sales", "0012_build_client_sales")])
        Payment = apps.get_model("sales", "Payment")
        sale = old_sale(apps, studio, contact, currency="USD", imported=True,
                        external_ref="PT-1001", source="pictime")  # fmt: skip
        by_hand = old_sale(apps, studio, contact, currency="USD", external_ref="PT-1001")
        rows = {
            "checkout": (sale, "Pic-Time checkout", "PT-1001"),
            "own": (sale, "Your own checkout (in the Pic-Time gallery)", "PT-1001"),
            "cash": (sale, "Cash", ""),
            "cash with ref": (sale, "Cash", "PT-1001"),
            "not imported": (by_hand, "Pic-Time checkout", "PT-1001"),
        }
        ids = {
            name: Payment.objects.create(studio_id=studio.pk, sale=s, amount_minor=100,
                                         paid_on=DAY, method=m, reference=r).pk
            for name, (s, m, r) in rows.items()
        }  # fmt: skip
        apps = migrate([("sales", "0013_gallery_money")])
        marked = dict(apps.get_model("sales", "Payment").objects.values_list("pk", "from_gallery"))
    finally:
        latest()
    assert {name: marked[pk] for name, pk in ids.items()} == {
        "checkout": True, "own": True, "cash": False, "cash with ref": False,
        "not imported": False,
    }  # fmt: skip
