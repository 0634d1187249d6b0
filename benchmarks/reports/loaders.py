"""Bulk loading of the benchmark's CSV files: PostgreSQL COPY, SQLite executemany."""

from __future__ import annotations

import csv
from itertools import islice
from pathlib import Path

from django.db import connection, models, transaction
from generate import columns

BATCH = 50_000


def copy_postgres(model: type[models.Model], path: Path) -> None:
    table = model._meta.db_table
    names = ", ".join(f'"{c}"' for c in columns(model))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL TIME ZONE 'UTC'")
        with (
            cursor.copy(f'COPY "{table}" ({names}) FROM STDIN WITH (FORMAT csv)') as copy,
            path.open("rb") as handle,
        ):
            while chunk := handle.read(1 << 20):
                copy.write(chunk)
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f'(SELECT MAX(id) FROM "{table}"))'
        )


def insert_sqlite(model: type[models.Model], path: Path) -> None:
    table = model._meta.db_table
    names = columns(model)
    sql = (
        f'INSERT INTO "{table}" ({", ".join(f"{chr(34)}{c}{chr(34)}" for c in names)}) '
        f"VALUES ({', '.join('?' * len(names))})"
    )
    with path.open(newline="", encoding="utf-8") as handle, transaction.atomic():
        reader = csv.reader(handle, quoting=csv.QUOTE_NOTNULL)
        raw = connection.connection  # the sqlite3 connection: no per-row Django overhead
        while batch := list(islice(reader, BATCH)):
            raw.executemany(sql, batch)


def analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def vacuum_analyze() -> None:
    """VACUUM too on PostgreSQL: index-only scans need the visibility map it sets."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
