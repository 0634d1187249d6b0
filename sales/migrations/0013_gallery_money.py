"""Payment.from_gallery (money taken at the gallery, not recorded in Cyan) and
SaleAudit.external_ref (a deleted gallery refund's id). Payments already stored on
imported sales are marked when they are what the import or a later version wrote: the
gallery's checkout as the method and the order's reference (inbox.sale_fields and
inbox.imported_updates when this migration was written)."""

from django.db import migrations, models
from django.db.models import F, Q


def mark_gallery_payments(apps, schema_editor):
    Payment = apps.get_model("sales", "Payment")
    checkout = Q(method__endswith=" checkout") | Q(method__startswith="Your own checkout (in the ")
    Payment.objects.filter(checkout, sale__imported=True, reference=F("sale__external_ref")).update(
        from_gallery=True
    )


class Migration(migrations.Migration):
    dependencies = [("sales", "0012_build_client_sales")]

    operations = [
        migrations.AddField(
            model_name="payment",
            name="from_gallery",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AddField(
            model_name="saleaudit",
            name="external_ref",
            field=models.CharField(blank=True, max_length=130),
        ),
        migrations.RunPython(mark_gallery_payments, migrations.RunPython.noop),
    ]
