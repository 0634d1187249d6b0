"""Build what each owing sale still owes by due date (SaleDue) from the sales, their
instalments and invoices already stored: what sales.owing.rebuild does, with this
migration's models. The split itself is sales.owing.due_parts, a pure function."""

from collections import defaultdict

from django.db import migrations
from django.db.models import F

from sales.owing import due_parts

CHUNK = 500


def build(apps, schema_editor):
    Sale = apps.get_model("sales", "Sale")
    SaleDue = apps.get_model("sales", "SaleDue")
    Instalment = apps.get_model("invoicing", "Instalment")
    Invoice = apps.get_model("invoicing", "Invoice")
    SaleDue.objects.all().delete()
    owing = list(
        Sale.objects.filter(status="active", total_minor__gt=F("paid_minor"))
        .order_by("pk")
        .values_list("id", "studio_id", "currency", "sale_date", "total_minor", "paid_minor")
    )
    for start in range(0, len(owing), CHUNK):
        rows = owing[start : start + CHUNK]
        ids = [row[0] for row in rows]
        schedules = defaultdict(list)
        for sale_id, due_on, position, amount in Instalment.objects.filter(
            sale_id__in=ids
        ).values_list("sale_id", "due_on", "position", "amount_minor"):
            schedules[sale_id].append((due_on, position, amount))
        invoiced = dict(
            Invoice.objects.filter(sale_id__in=ids, superseded=False).values_list(
                "sale_id", "issued_on"
            )
        )
        SaleDue.objects.bulk_create(
            SaleDue(
                studio_id=studio_id,
                sale_id=sale_id,
                currency=currency,
                sale_date=sale_date,
                due_on=due_on,
                amount_minor=amount,
            )
            for sale_id, studio_id, currency, sale_date, total, paid in rows
            for due_on, amount in due_parts(
                total, paid, schedules[sale_id], invoiced.get(sale_id, sale_date)
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("sales", "0009_sale_due"),
        ("invoicing", "0003_logo"),
    ]

    operations = [migrations.RunPython(build, migrations.RunPython.noop)]
