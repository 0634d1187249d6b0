"""One sale per order, one order per sale: InboxItem.sale becomes one-to-one (#9.3).

Before, an import adopted any sale with the same (source, external_ref), so an order
could be linked to a sale made by the API or to another account's order. Links that do
not look like this order's own import are undone here and the item is marked "needs
attention" with the reason, so nothing is lost silently; the sales that remain linked
are marked imported (Sale.imported)."""

import django.db.models.deletion
from django.db import migrations, models

SALE_SOURCES = {"manual", "pictime", "shootproof", "api"}
LINK_UNDONE = (
    "This order had been linked to sale #{sale}, which only shares its reference: it was "
    "not made by importing this order. Import the order again to make its own sale."
)


def _own_import(row: dict) -> bool:
    """The sale was made by importing this item (as far as the stored rows can tell)."""
    source = row["source"] if row["source"] in SALE_SOURCES else "api"
    return (
        row["sale__external_ref"] == row["external_id"]
        and row["sale__source"] == source
        and row["sale__currency"] == row["currency"]
        and row["sale__created_at"] >= row["received_at"]
    )


def keep_only_own_links(apps, schema_editor):
    InboxItem = apps.get_model("inbox", "InboxItem")
    Sale = apps.get_model("sales", "Sale")
    fields = ("pk", "external_id", "source", "currency", "received_at", "sale_id")
    sale_fields = ("sale__external_ref", "sale__source", "sale__currency", "sale__created_at")
    rows = InboxItem.objects.filter(sale__isnull=False).order_by("pk").values(*fields, *sale_fields)
    claimed, undone = set(), []
    for row in rows:
        if row["sale_id"] not in claimed and _own_import(row):
            claimed.add(row["sale_id"])
        else:
            undone.append((row["pk"], row["sale_id"]))
    for pk, sale_id in undone:
        InboxItem.objects.filter(pk=pk).update(
            sale=None, state="needs_attention", error=LINK_UNDONE.format(sale=sale_id)
        )
    linked = InboxItem.objects.filter(sale__isnull=False).values("sale_id")
    Sale.objects.filter(pk__in=linked).update(imported=True)


class Migration(migrations.Migration):
    dependencies = [
        ("inbox", "0002_external_id_index"),
        ("sales", "0004_imported_sale_identity"),
    ]

    operations = [
        migrations.RunPython(keep_only_own_links, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="inboxitem",
            name="sale",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="sales.sale",
            ),
        ),
    ]
