"""Build the daily sales rollup (SaleDay) from the sales already stored: what
sales.rollup.rebuild does, with this migration's models (so it stays valid when the
app's code moves on)."""

from django.db import migrations
from django.db.models import Count, Exists, OuterRef, Sum


def build(apps, schema_editor):
    Sale = apps.get_model("sales", "Sale")
    SaleDay = apps.get_model("sales", "SaleDay")
    Invoice = apps.get_model("invoicing", "Invoice")
    current = Invoice.objects.filter(sale=OuterRef("pk"), superseded=False)
    groups = (
        Sale.objects.filter(status="active")
        .annotate(has_invoice=Exists(current))
        .values("studio_id", "sale_date", "currency", "source", "has_invoice")
        .annotate(n=Count("*"), total=Sum("total_minor"), refunded=Sum("refunded_minor"))
        .order_by()
    )
    SaleDay.objects.all().delete()
    SaleDay.objects.bulk_create(
        (
            SaleDay(
                studio_id=row["studio_id"],
                day=row["sale_date"],
                currency=row["currency"],
                source=row["source"],
                invoiced=row["has_invoice"],
                sales_count=row["n"],
                total_minor=row["total"],
                refunded_minor=row["refunded"],
            )
            for row in groups.iterator(chunk_size=5000)
        ),
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("sales", "0006_saleday"),
        ("invoicing", "0003_logo"),
    ]

    operations = [migrations.RunPython(build, migrations.RunPython.noop)]
