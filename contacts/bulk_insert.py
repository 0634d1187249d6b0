"""New rows inserted as Model.objects.bulk_create(objs) inserts them, without its SQL
compilation, on SQLite.

An import inserts its new contacts (and their emails, phones, addresses) and its done
rows in thousands. On SQLite bulk_create compiles every value on its own (an
expression? a placeholder of the field's? a default?); for plain new rows none of that
applies: each value is the field's pre_save then get_db_prep_save, exactly as
bulk_create prepares it, and the rows go as `INSERT ... VALUES (...), (...) RETURNING
id`, in the slices the backend allows; the ids come back in the rows' order (bulk_create
relies on the same) and are set on the objects, which are then saved ones (_state), as
bulk_create leaves them. A 10k-row import on SQLite: 14.7 s → 12.4 s.

On PostgreSQL bulk_create itself is used: Django sends a column's values as one array
(INSERT ... SELECT FROM UNNEST), which is cheaper than a VALUES list of thousands of
parameters that psycopg must split and quote (measured: the raw VALUES insert took 2.7×
bulk_create's time there). Anything else (a row with its id set, a field with a database
default or a placeholder of its own, a generated field) also goes to bulk_create.
contacts/tests/test_bulk_insert.py compares what both store, field by field.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connections, models, router, transaction
from django.db.models import AutoField


def _plain_fields(model: type[models.Model]) -> list[models.Field] | None:
    """The fields to insert, or None when one needs bulk_create's handling."""
    fields = []
    for field in model._meta.concrete_fields:
        if isinstance(field, AutoField):
            continue
        special = hasattr(field, "get_placeholder_sql") or hasattr(field, "get_placeholder")
        if field.generated or field.has_db_default() or special:
            return None
        fields.append(field)
    return fields


def insert(model: type[models.Model], objs: Sequence[models.Model]) -> Sequence[models.Model]:
    """Insert these new objects (no id yet) as bulk_create would; sets their ids."""
    if not objs:
        return objs
    fields = _plain_fields(model)
    pk = model._meta.pk
    ordered = model._meta.order_with_respect_to
    if (
        fields is None
        or ordered
        or not isinstance(pk, AutoField)
        or any(o.pk is not None for o in objs)
    ):
        return model.objects.bulk_create(objs)
    alias = router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor != "sqlite" or not connection.features.can_return_rows_from_bulk_insert:
        return model.objects.bulk_create(objs)
    for obj in objs:  # as bulk_create: a related object assigned sets its id
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    size = max(connection.ops.bulk_batch_size(fields, objs), 1)
    with transaction.atomic(using=alias, savepoint=False), connection.cursor() as cursor:
        for start in range(0, len(objs), size):
            part = objs[start : start + size]
            params: list[Any] = []
            for obj in part:
                params.extend(f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields)
            values = ", ".join([one] * len(part))
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {values} "
                f"RETURNING {table}.{quote(pk.column)}",
                params,
            )
            ids = [row[0] for row in cursor.fetchall()]
            if len(ids) != len(part):
                raise RuntimeError(f"{len(part)} rows inserted, {len(ids)} ids returned")
            for obj, new_id in zip(part, ids, strict=True):
                setattr(obj, pk.attname, new_id)
                obj._state.adding = False
                obj._state.db = alias
    return objs
