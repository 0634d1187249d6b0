"""Build the tax report's daily rollup (TaxDay) from the invoices and credit notes
already issued: what invoicing.tax_rollup.rebuild does, with this migration's models."""

from django.db import migrations
from django.db.models import Count, F, Sum

DOCUMENTS = -1  # TaxDay.DOCUMENTS


def build(apps, schema_editor):
    TaxDay = apps.get_model("invoicing", "TaxDay")
    totals = {}

    def add(key, values):
        current = totals.setdefault(key, [0, 0, 0])
        for index, value in enumerate(values):
            current[index] += value

    for kind, document, line, owner in (
        ("invoice", "Invoice", "InvoiceLine", "invoice"),
        ("credit_note", "CreditNote", "CreditNoteLine", "credit_note"),
    ):
        documents = apps.get_model("invoicing", document).objects.order_by()
        for row in (
            documents.values("studio_id", "issued_on", "currency")
            .annotate(n=Count("*"), extra=Sum(F("shipping_minor") - F("order_discount_minor")))
            .iterator(chunk_size=5000)
        ):
            key = (row["studio_id"], row["issued_on"], row["currency"], kind, DOCUMENTS)
            add(key, (row["n"], row["extra"], 0))
        lines = apps.get_model("invoicing", line).objects.order_by()
        for row in (
            lines.values(
                doc_studio=F(f"{owner}__studio_id"),
                day=F(f"{owner}__issued_on"),
                doc_currency=F(f"{owner}__currency"),
                rate=F("tax_rate_bp"),
            )
            .annotate(n=Count("*"), net=Sum("net_minor"), tax=Sum("tax_minor"))
            .iterator(chunk_size=5000)
        ):
            key = (row["doc_studio"], row["day"], row["doc_currency"], kind, row["rate"])
            add(key, (row["n"], row["net"], row["tax"]))
    TaxDay.objects.all().delete()
    TaxDay.objects.bulk_create(
        (
            TaxDay(
                studio_id=key[0],
                day=key[1],
                currency=key[2],
                kind=key[3],
                rate_bp=key[4],
                count=values[0],
                net_minor=values[1],
                tax_minor=values[2],
            )
            for key, values in totals.items()
        ),
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [("invoicing", "0004_tax_day_rollup")]

    operations = [migrations.RunPython(build, migrations.RunPython.noop)]
