"""Amounts become minor units of ISO 4217 (core/currencies.py) instead of babel's CLDR
display digits. For the currencies below the two differ (CLDR said 0 places), so every
amount stored in one of them is rescaled here, ×100 (IQD ×1000): the sale and its lines,
payments, refunds, instalments and rollups, its invoices and credit notes with their
lines and the tax rollup, and the Inbox order (its columns and its normalized order).
Other currencies are untouched. A migration of the three apps, so it lives in the most
downstream one."""

from django.db import migrations
from django.db.models import F

# ISO minor units where CLDR (babel 2.19) said 0 digits, when this migration was written.
CHANGED = {"AFN": 2, "ALL": 2, "COP": 2, "HUF": 2, "IDR": 2, "IQD": 3, "IRR": 2, "KPW": 2,
           "LAK": 2, "LBP": 2, "MGA": 2, "MMK": 2, "SOS": 2, "SYP": 2, "YER": 2}  # fmt: skip

# (app, model, the path to the row's currency, its amount columns).
AMOUNTS = [
    ("sales", "Sale", "currency", ["order_discount_minor", "shipping_minor",
     "platform_fee_minor", "lab_cost_minor", "subtotal_minor", "tax_minor", "total_minor",
     "paid_minor", "refunded_minor"]),
    ("sales", "SaleLine", "sale__currency", ["unit_price_minor", "discount_minor",
     "tax_minor", "total_minor"]),
    ("sales", "Payment", "sale__currency", ["amount_minor"]),
    ("sales", "Refund", "sale__currency", ["amount_minor"]),
    ("sales", "SaleDay", "currency", ["total_minor", "refunded_minor"]),
    ("sales", "SaleDue", "currency", ["amount_minor"]),
    ("sales", "ClientSales", "currency", ["gross_minor", "net_minor", "gallery_minor"]),
    ("invoicing", "Invoice", "currency", ["subtotal_minor", "order_discount_minor",
     "shipping_minor", "tax_minor", "total_minor"]),
    ("invoicing", "CreditNote", "currency", ["subtotal_minor", "order_discount_minor",
     "shipping_minor", "tax_minor", "total_minor"]),
    ("invoicing", "InvoiceLine", "invoice__currency", ["unit_price_minor", "discount_minor",
     "net_minor", "tax_minor", "total_minor"]),
    ("invoicing", "CreditNoteLine", "credit_note__currency", ["unit_price_minor",
     "discount_minor", "net_minor", "tax_minor", "total_minor"]),
    ("invoicing", "TaxDay", "currency", ["net_minor", "tax_minor"]),
    ("invoicing", "Instalment", "sale__currency", ["fixed_minor", "amount_minor"]),
    ("inbox", "InboxItem", "currency", ["total_minor", "refunded_minor"]),
]  # fmt: skip


def scaled(value, factor):
    """A normalized order with every integer under a `*_minor` key times `factor`."""
    if isinstance(value, dict):
        return {
            key: item * factor
            if key.endswith("_minor") and isinstance(item, int) and not isinstance(item, bool)
            else scaled(item, factor)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [scaled(item, factor) for item in value]
    return value


def rescale(apps, schema_editor):
    for code, places in CHANGED.items():
        factor = 10**places
        for app, name, currency, fields in AMOUNTS:
            model = apps.get_model(app, name)
            model.objects.filter(**{currency: code}).update(
                **{field: F(field) * factor for field in fields}
            )
        InboxItem = apps.get_model("inbox", "InboxItem")
        for item in InboxItem.objects.filter(currency=code, normalized__isnull=False).iterator():
            InboxItem.objects.filter(pk=item.pk).update(normalized=scaled(item.normalized, factor))


class Migration(migrations.Migration):
    dependencies = [
        ("inbox", "0006_webhook_deliveries"),
        ("sales", "0013_gallery_money"),
        ("invoicing", "0005_build_tax_days"),
    ]

    operations = [migrations.RunPython(rescale, migrations.RunPython.noop)]
