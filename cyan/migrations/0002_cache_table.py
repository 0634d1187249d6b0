"""The shared cache's table (settings.CACHES without Redis): `migrate` creates it, so a
fresh deployment needs no separate `createcachetable` step."""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("cyan", "0001_initial")]
    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
