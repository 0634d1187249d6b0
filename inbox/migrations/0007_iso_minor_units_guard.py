"""Amounts are now minor units of ISO 4217 (core/currencies.py), no longer babel's CLDR
display digits. For these currencies the two differ, so an amount stored before this
change would read 100x (IQD 1000x) too small: a database holding an Inbox order in one
of them stops here, with the list, rather than importing wrong money. Re-read those
items' normalized order from their raw payload (the provider's mapper), then migrate
again."""

from django.db import migrations

# ISO minor units where CLDR (babel 2.19) said 0, when this migration was written.
CHANGED = {"AFN": 2, "ALL": 2, "COP": 2, "HUF": 2, "IDR": 2, "IQD": 3, "IRR": 2, "KPW": 2,
           "LAK": 2, "LBP": 2, "MGA": 2, "MMK": 2, "SOS": 2, "SYP": 2, "YER": 2}  # fmt: skip


def refuse_orders_in_changed_currencies(apps, schema_editor):
    InboxItem = apps.get_model("inbox", "InboxItem")
    found = sorted(
        set(InboxItem.objects.filter(currency__in=CHANGED).values_list("currency", flat=True))
    )
    if found:
        raise RuntimeError(
            f"Inbox orders in {', '.join(found)} hold amounts in CLDR's digits (0 places), "
            "but Cyan now reads ISO 4217's minor units (2, IQD 3): rescale them first (see this "
            "migration's docstring)."
        )


class Migration(migrations.Migration):
    dependencies = [("inbox", "0006_webhook_deliveries")]

    operations = [
        migrations.RunPython(refuse_orders_in_changed_currencies, migrations.RunPython.noop)
    ]
