"""Build each client's totals (ClientSales) from the sales already stored: what
sales.client_rollup.rebuild does, with this migration's models (so it stays valid when
the app's code moves on)."""

from django.db import migrations
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, Sum

# The gallery providers' values when this migration was written (core.providers).
GALLERY_SOURCES = ("pictime", "shootproof")


def build(apps, schema_editor):
    Sale = apps.get_model("sales", "Sale")
    ClientSales = apps.get_model("sales", "ClientSales")
    Invoice = apps.get_model("invoicing", "Invoice")
    current = Invoice.objects.filter(sale=OuterRef("pk"), superseded=False)
    groups = (
        Sale.objects.filter(status="active")
        .annotate(has_invoice=Exists(current))
        .values("studio_id", "contact_id", "currency", "has_invoice")
        .annotate(
            n=Count("*"),
            gross=Sum("total_minor"),
            net=Sum(F("total_minor") - F("refunded_minor")),
            gallery=Sum("total_minor", filter=Q(source__in=GALLERY_SOURCES), default=0),
            first=Min("sale_date"),
            last=Max("sale_date"),
        )
        .order_by()
    )
    rows = {}
    for group in groups.iterator(chunk_size=5000):
        scopes = (False, True) if group["has_invoice"] else (False,)
        for scope in scopes:
            key = (group["studio_id"], group["contact_id"], group["currency"], scope)
            row = rows.get(key)
            if row is None:
                rows[key] = ClientSales(
                    studio_id=key[0],
                    contact_id=key[1],
                    currency=key[2],
                    invoiced_only=scope,
                    sales_count=group["n"],
                    gross_minor=group["gross"],
                    net_minor=group["net"],
                    gallery_minor=group["gallery"],
                    first_sale=group["first"],
                    last_sale=group["last"],
                )
                continue
            row.sales_count += group["n"]
            row.gross_minor += group["gross"]
            row.net_minor += group["net"]
            row.gallery_minor += group["gallery"]
            row.first_sale = min(row.first_sale, group["first"])
            row.last_sale = max(row.last_sale, group["last"])
    ClientSales.objects.all().delete()
    ClientSales.objects.bulk_create(rows.values(), batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("sales", "0011_client_sales"),
        ("invoicing", "0005_build_tax_days"),
    ]

    operations = [migrations.RunPython(build, migrations.RunPython.noop)]
