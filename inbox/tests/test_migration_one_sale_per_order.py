"""inbox 0003 on data the old import wrote: a link that only shared a reference is undone
(the item is kept, "needs attention", with the reason); an own import stays linked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from contacts.services import create_contact

BEFORE = [("inbox", "0002_external_id_index"), ("sales", "0003_reports_cover_index")]
AFTER = [("inbox", "0003_one_sale_per_order")]
T0 = dt.datetime(2026, 5, 1, 10, tzinfo=dt.UTC)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def old_sale(apps, studio, contact, ref, source, currency, created_at):
    sale = apps.get_model("sales", "Sale").objects.create(
        studio_id=studio.pk, contact_id=contact.pk, sale_date=T0.date(), source=source,
        external_ref=ref, currency=currency,
    )  # fmt: skip
    sale.__class__.objects.filter(pk=sale.pk).update(created_at=created_at)
    return sale


def old_item(apps, studio, order_id, source, account, sale, received_at):
    item = apps.get_model("inbox", "InboxItem").objects.create(
        studio_id=studio.pk, source=source, account_id=account, external_id=order_id,
        currency="USD", raw_payload="{}", state="imported", sale_id=sale.pk,
    )  # fmt: skip
    item.__class__.objects.filter(pk=item.pk).update(received_at=received_at)
    return item


@pytest.mark.django_db(transaction=True)
def test_links_that_only_share_a_reference_are_undone_and_flagged(studio):
    contact = create_contact(studio=studio, first_name="Ann")
    try:
        apps = migrate(BEFORE)
        hour = dt.timedelta(hours=1)
        api_sale = old_sale(apps, studio, contact, "ORD-42", "api", "EUR", T0 - hour)
        adopted = old_item(apps, studio, "ORD-42", "theimagefile", "a", api_sale, T0)
        own = old_sale(apps, studio, contact, "ord_1", "pictime", "USD", T0 + hour)
        first = old_item(apps, studio, "ord_1", "pictime", "acc_a", own, T0)
        second = old_item(apps, studio, "ord_1", "pictime", "acc_b", own, T0)
        apps = migrate(AFTER)
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    from inbox.models import InboxItem
    from sales.models import Sale

    items = {item.pk: item for item in InboxItem.objects.all()}
    assert items[first.pk].sale_id == own.pk and items[first.pk].state == "imported"
    for undone, sale in ((adopted, api_sale), (second, own)):
        assert items[undone.pk].sale_id is None
        assert items[undone.pk].state == "needs_attention"
        assert f"sale #{sale.pk}" in items[undone.pk].error
    assert Sale.objects.get(pk=own.pk).imported is True
    assert Sale.objects.get(pk=api_sale.pk).imported is False
