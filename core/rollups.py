"""Adding to rollup tables: rows of running totals that reports read instead of scanning
every sale or document (sales.rollup, sales.client_rollup, invoicing.tax_rollup).

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
    rows = {key: values for key, values in deltas.items() if any(values)}
    upsert_rollup(model, key_fields, value_fields, rows)


def upsert_rollup(
    model: type[Model],
    key_fields: Sequence[str],
    sum_fields: Sequence[str],
    rows: Mapping[Key, tuple],
    *,
    lowest: Sequence[str] = (),
    highest: Sequence[str] = (),
) -> None:
    """Per key: add the sum fields' values, and keep the lower (`lowest`) or the higher
    (`highest`) of the stored and the given value of the others (None = keep the stored
    one); each row's values in that order. Every row is written, so every key's row ends
    up locked until the transaction ends (PostgreSQL), even one with nothing to add."""
    ordered = sorted(rows.items())
    if not ordered:
        return
    fields = [model._meta.get_field(name) for name in (*key_fields, *sum_fields, *lowest, *highest)]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = [quote(field.column) for field in fields]
    keys = columns[: len(key_fields)]
    sums = columns[len(key_fields) : len(key_fields) + len(sum_fields)]
    lows = columns[len(key_fields) + len(sum_fields) : len(columns) - len(highest)]
    highs = columns[len(columns) - len(highest) :]
    update = ", ".join(
        [f"{c} = {table}.{c} + excluded.{c}" for c in sums]
        + [f"{c} = {_keep(table, c, '<=')}" for c in lows]
        + [f"{c} = {_keep(table, c, '>=')}" for c in highs]
    )
    one_row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(ordered), CHUNK):
            chunk = ordered[start : start + CHUNK]
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


def _keep(table: str, column: str, keeps: str) -> str:
    """The stored value when the given one is NULL or does not beat it, else the given one
    (CASE, not LEAST/GREATEST: SQLite's min() of a NULL is NULL, PostgreSQL's LEAST skips
    it)."""
    return (
        f"CASE WHEN excluded.{column} IS NULL OR {table}.{column} {keeps} excluded.{column} "
        f"THEN {table}.{column} ELSE excluded.{column} END"
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


def stored_rows(
    model: type[Model],
    key_fields: Sequence[str],
    value_fields: Sequence[str],
    studio_id: int | None = None,
) -> dict[Key, Values]:
    """The rollup as stored (one studio's, or all), rows that add nothing left out."""
    rows = model._default_manager.all()
    if studio_id is not None:
        rows = rows.filter(studio_id=studio_id)
    width = len(key_fields)
    found = rows.values_list(*key_fields, *value_fields)
    return {tuple(row[:width]): tuple(row[width:]) for row in found if any(row[width:])}


def mismatches(
    label: str, source: str, want: Mapping[Key, Values], have: Mapping[Key, Values]
) -> list[str]:
    """Every key where the stored rollup differs from the recomputation, in words."""
    return [
        f"{label} {key}: stored {have.get(key)}, the {source} say {want.get(key)}"
        for key in sorted(want.keys() | have.keys(), key=repr)
        if want.get(key) != have.get(key)
    ]


def replace_rows(
    model: type[Model],
    key_fields: Sequence[str],
    value_fields: Sequence[str],
    fresh: Mapping[Key, Values],
    studio_id: int | None = None,
) -> int:
    """Replace the stored rows (one studio's, or all) with `fresh`; the rows written.
    Call inside a transaction. On PostgreSQL the table is locked first, so writers'
    increments wait and then add on top of the rebuilt rows (SQLite serialises writers)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {model._meta.db_table} IN EXCLUSIVE MODE")
    rows = model._default_manager.all()
    if studio_id is not None:
        rows = rows.filter(studio_id=studio_id)
    rows.delete()
    names = [model._meta.get_field(name).attname for name in (*key_fields, *value_fields)]
    model._default_manager.bulk_create(
        [model(**dict(zip(names, (*key, *values), strict=True))) for key, values in fresh.items()],
        batch_size=2000,
    )
    return len(fresh)
