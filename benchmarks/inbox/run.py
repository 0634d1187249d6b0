"""Inbox page speed at 100k items: first page, a deep page, filters, search, unread count.

    .venv/bin/python benchmarks/inbox/run.py [--items 100000] [--db sqlite|postgres]

Uses its own database (a temp SQLite file, or PostgreSQL `cyan_bench_inbox`), never the
app's or the tests'. Prints p50/p95 over repeated runs of each selector.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def configure(db: str) -> None:
    if db == "postgres":
        url = "postgres://postgres@127.0.0.1:5432/cyan_bench_inbox"
        subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-c",
                "DROP DATABASE IF EXISTS cyan_bench_inbox",
            ],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-c", "CREATE DATABASE cyan_bench_inbox"],
            check=True,
            capture_output=True,
        )
        os.environ["DATABASE_URL"] = url
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["CYAN_VAR_DIR"] = tempfile.mkdtemp(prefix="cyan-bench-inbox-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "cyan.settings"
    os.environ["CYAN_LOG_LEVEL"] = "WARNING"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def fill(n: int):  # type: ignore[no-untyped-def]
    from accounts.services import create_studio
    from inbox.models import InboxItem

    studio, _ = create_studio(name="Bench", owner_email="bench@example.test", owner_password="x")
    other, _ = create_studio(name="Other", owner_email="other@example.test", owner_password="x")
    states = ["new", "imported", "imported", "imported", "dismissed", "needs_attention"]
    batch = []
    for i in range(n):
        batch.append(
            InboxItem(
                studio=studio if i % 10 else other,
                source="pictime" if i % 7 else "api",
                account_id="acc",
                external_id=f"ord_{i}",
                state=states[i % len(states)],
                raw_payload="{}",
                order_number=f"PT-{i}",
                customer_name=f"Client {i} Name{i % 997}",
                customer_email=f"client{i}@example.com",
                gallery_name="Gallery",
                currency="USD",
                total_minor=1000 + i,
            )
        )
        if len(batch) == 5000:
            InboxItem.objects.bulk_create(batch)
            batch = []
    InboxItem.objects.bulk_create(batch)
    return studio


def timed(label: str, call, runs: int = 30) -> None:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[int(len(samples) * 0.95) - 1]
    print(f"  {label:<40} p50 {statistics.median(samples):7.2f} ms   p95 {p95:7.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    configure(args.db)
    start = time.perf_counter()
    studio = fill(args.items)
    print(f"{args.db}: {args.items} items in {time.perf_counter() - start:.1f}s")
    from django.db import connection

    with connection.cursor() as cursor:  # fresh statistics, as autovacuum would gather
        cursor.execute("ANALYZE")
    from inbox.models import InboxItem
    from inbox.selectors import inbox_page, waiting_to_import_count

    ids = list(InboxItem.objects.filter(studio=studio).order_by("id").values_list("id", flat=True))
    deep = ids[len(ids) // 50]  # ~page 1,800 of 50
    timed("first page", lambda: inbox_page(studio=studio))
    timed("deep page (before=…)", lambda: inbox_page(studio=studio, before=deep))
    timed("state=new, first page", lambda: inbox_page(studio=studio, state="new"))
    timed("state=new, deep page", lambda: inbox_page(studio=studio, state="new", before=deep))
    timed("source=api", lambda: inbox_page(studio=studio, source="api"))
    timed("search by email", lambda: inbox_page(studio=studio, query="client12345@example.com"))
    timed("search by order number", lambda: inbox_page(studio=studio, query="PT-54321"))
    timed("search by name prefix", lambda: inbox_page(studio=studio, query="Client 9"))
    timed("waiting to import (nav badge)", lambda: waiting_to_import_count(studio=studio))


if __name__ == "__main__":
    main()
