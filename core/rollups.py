"""Adding to rollup tables: rows of running totals that reports read instead of scanning
every sale or document (sales.rollup, invoicing.tax_rollup).

`add_to_rollup` adds deltas with one INSERT … ON CONFLICT (key) DO UPDATE SET
c = c + excluded.c per chunk (PostgreSQL and SQLite ≥ 3.24 both have it). The addition
happens in the database under the row's lock, so two transactions adding to the same key
at once never lose an update, which a read-then-write would. Keys are written in sorted
order, so two transactions touching the same keys cannot deadlock on each other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db import connection
from django.db.models import Model

Key = tuple
Values = tuple[int, ...]
CHUNK = 500  # rows per statement: well under SQLite's parameter limit


def add_to_rollup(
    model: type[Model],
    key_fields: Sequence[str],
    value_fields: Sequence[str],
    deltas: Mapping[Key, Values],
) -> None:
    """Add each delta to the row of its key (created when missing). Deltas that are all
    zero are skipped. The key fields must be the model's unique constraint, in order."""
    rows = sorted((key, values) for key, values in deltas.items() if any(values))
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in (*key_fields, *value_fields)]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = [quote(field.column) for field in fields]
    keys = columns[: len(key_fields)]
    totals = columns[len(key_fields) :]
    update = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in totals)
    one_row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            params = []
            for key, values in chunk:
                params.extend(
                    field.get_db_prep_value(value, connection)
                    for field, value in zip(fields, (*key, *values), strict=True)
                )
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) "
                f"VALUES {', '.join([one_row] * len(chunk))} "
                f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {update}",
                params,
            )


def difference(before: Mapping[Key, Values], after: Mapping[Key, Values]) -> dict[Key, Values]:
    """after − before, key by key (a key missing on one side counts as zeros)."""
    width = len(next(iter({**before, **after}.values()), ()))
    zeros = (0,) * width
    changes = {}
    for key in before.keys() | after.keys():
        pairs = zip(after.get(key, zeros), before.get(key, zeros), strict=True)
        changes[key] = tuple(a - b for a, b in pairs)
    return changes


def add_into(totals: dict[Key, list[int]], key: Key, values: Sequence[int]) -> None:
    """totals[key] += values, element-wise."""
    current = totals.setdefault(key, [0] * len(values))
    for index, value in enumerate(values):
        current[index] += value
