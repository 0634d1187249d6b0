"""Reports benchmark: generate contacts, shoots and sales in PostgreSQL or SQLite, time the
client-value and sales-by-month reports through Cyan's selectors, and run the same
aggregations in DuckDB over the same rows as the reference ceiling.

    .venv/bin/python benchmarks/reports/run.py --db postgres --contacts 100000 --sales 1000000
    .venv/bin/python benchmarks/reports/run.py --db sqlite --contacts 100000 --sales 1000000

PostgreSQL uses its own database (default cyan_bench, dropped and re-created); SQLite a
file under var/bench/. `--reuse` skips generation when the data is already loaded.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/cyan_bench"
DEFAULT_SQLITE = ROOT / "var" / "bench" / "cyan_bench.sqlite3"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--shoots", type=int, default=20_000)
    parser.add_argument("--sales", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--pg-url", default=DEFAULT_PG)
    parser.add_argument("--sqlite-path", type=Path, default=DEFAULT_SQLITE)
    parser.add_argument("--reuse", action="store_true", help="keep already loaded data")
    parser.add_argument("--no-duckdb", action="store_true")
    parser.add_argument(
        "--proposed-index",
        action="store_true",
        help="add the covering index proposed for sales.Sale (timings.PROPOSED_INDEX)",
    )
    parser.add_argument(
        "--drop-proposed-index", action="store_true", help="drop it first (with --reuse)"
    )
    parser.add_argument(
        "--extra-index",
        action="append",
        default=[],
        help="CREATE INDEX statement to try (run after loading, before timing)",
    )
    return parser.parse_args()


def configure(args: argparse.Namespace) -> None:
    if args.db == "postgres":
        if args.pg_url.rstrip("/").rsplit("/", 1)[-1] in {"test", "postgres"}:
            sys.exit("Use a database of its own for the benchmark (e.g. cyan_bench).")
        os.environ["DATABASE_URL"] = args.pg_url
    else:
        args.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{args.sqlite_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cyan.settings")
    os.environ.setdefault("CYAN_LOG_LEVEL", "WARNING")
    import django

    django.setup()


def recreate_database(args: argparse.Namespace) -> None:
    if args.db == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{args.sqlite_path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    base, name = args.pg_url.rstrip("/").rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def timed(label: str, action: Callable[[], object]) -> object:
    started = time.perf_counter()
    result = action()
    print(f"  {label}: {time.perf_counter() - started:.1f} s", flush=True)
    return result


def load(args: argparse.Namespace, folder: Path, rollups: bool = True) -> tuple[int, dict]:
    from django.core.management import call_command
    from generate import write_all

    from accounts.models import Studio

    timed("migrate", lambda: call_command("migrate", verbosity=0))
    studio = Studio.objects.create(name="Benchmark studio", default_currency="USD")
    written = timed(
        "write CSV",
        lambda: write_all(
            folder,
            studio_id=studio.pk,
            contacts=args.contacts,
            shoots=args.shoots,
            sales=args.sales,
            seed=args.seed,
        ),
    )
    import loaders

    loader = loaders.copy_postgres if args.db == "postgres" else loaders.insert_sqlite
    for model, path, count in written.values():
        timed(f"load {model._meta.db_table} ({count:,} rows)", lambda m=model, p=path: loader(m, p))
    timed("vacuum analyze", loaders.vacuum_analyze)
    if rollups:
        build_rollups()
    return studio.pk, written


def build_rollups() -> None:
    """COPY bypasses the services, so the reports' rollups are rebuilt from the rows (what
    the data migrations do for existing data), then checked."""
    from django.core.management import call_command

    timed("rebuild report rollups", lambda: call_command("rebuild_report_rollups"))
    timed("check report rollups", lambda: call_command("rebuild_report_rollups", "--check"))
    import loaders

    timed("vacuum analyze", loaders.vacuum_analyze)


def p50(action: Callable[[], object], runs: int) -> tuple[float, object]:
    result = action()  # warm-up: caches, connection, query plans
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        result = action()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples), result


def main() -> None:
    args = parse_args()
    configure(args)
    from django.db import connection

    from accounts.models import Studio

    folder = Path(tempfile.mkdtemp(prefix="cyan-bench-"))
    if args.reuse and _loaded(args):
        from django.core.management import call_command

        # Data loaded by an earlier version gets the new migrations (and their rollups).
        timed("migrate", lambda: call_command("migrate", verbosity=0))
        import loaders

        timed("vacuum analyze", loaders.vacuum_analyze)  # as autovacuum would after it
        studio_id = Studio.objects.get(name="Benchmark studio").pk
        from generate import write_all

        written = (
            {}
            if args.no_duckdb
            else timed(
                "write CSV (for DuckDB)",
                lambda: write_all(
                    folder,
                    studio_id=studio_id,
                    contacts=args.contacts,
                    shoots=args.shoots,
                    sales=args.sales,
                    seed=args.seed,
                ),
            )
        )
    else:
        print(
            f"Generating {args.contacts:,} contacts, {args.shoots:,} shoots, "
            f"{args.sales:,} sales in {args.db}…",
            flush=True,
        )
        if args.reuse:
            connection.close()
        recreate_database(args)
        connection.close()
        studio_id, written = load(args, folder)
    import timings

    if args.drop_proposed_index:
        timed("drop proposed index", timings.drop_proposed_index)
    if args.proposed_index:
        timed("add proposed index", timings.add_proposed_index)
    for statement in args.extra_index:
        with connection.cursor() as cursor:
            timed(f"index: {statement}", lambda s=statement: cursor.execute(s))
    import loaders

    if args.extra_index or args.proposed_index:
        loaders.vacuum_analyze()
    studio = Studio.objects.get(pk=studio_id)
    print(f"\n{args.db} ({connection.vendor}), p50 of {args.runs} runs:", flush=True)
    results = timings.time_reports(studio, args.runs, p50)
    if not args.no_duckdb:
        print("\nDuckDB over the same rows:", flush=True)
        from core.clock import studio_today

        today = studio_today(studio)
        results |= timings.time_duckdb(written, studio_id, args.runs, p50, today=today)
    shutil.rmtree(folder, ignore_errors=True)  # the CSV files (up to ~150 MB)
    timings.print_table(results)


def _loaded(args: argparse.Namespace) -> bool:
    from django.db import connection
    from django.db.utils import DatabaseError

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM sales_sale")
            return cursor.fetchone()[0] == args.sales
    except DatabaseError:
        return False


if __name__ == "__main__":
    main()
