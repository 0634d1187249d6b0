"""The owed report and the tax report at scale: Cyan's selectors on PostgreSQL (or
SQLite) beside the same aggregations in DuckDB over the same rows.

    .venv/bin/python benchmarks/reports/invoicing_bench.py --sales 1000000

Loads contacts, shoots and sales exactly as run.py does (its own database, default
cyan_bench_invoicing), then adds invoicing rows in the database itself (below), exports
the tables DuckDB needs as CSV, and times:

* owed: reports.selectors.owed (aged buckets per currency + every owing sale);
* tax report, one quarter / one year: invoicing.selectors.tax_report.

Invoicing rows (deterministic from the sale id): 80 % of active sales invoiced on their
sale date (one line, 20 % tax; JPY 10 %); a credit note for each refunded invoiced sale;
10 % of sales with a 25 % / 50 % / remaining schedule (due on the sale date, +30, +60
days) of which a quarter is paid; 2 % of other sales unpaid.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as base  # the same loading as the reports benchmark

TODAY = dt.date(2026, 6, 30)
QUARTER = (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
YEAR = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))

INVOICING_SQL = [
    # Some sales owe: the scheduled tenth paid a quarter, a fiftieth unpaid.
    "UPDATE sales_sale SET paid_minor = total_minor / 4 WHERE id % 10 = 3",
    "UPDATE sales_sale SET paid_minor = 0 WHERE id % 50 = 7",
    """INSERT INTO invoicing_invoice (studio_id, number, sequence, issued_on, currency,
        prices_include_tax, client_name, client_address, subtotal_minor, order_discount_minor,
        shipping_minor, tax_minor, total_minor, filing_id, created_at, updated_at, sale_id,
        superseded)
       SELECT studio_id, 'INV-' || id, id, sale_date, currency, false, '', '',
        total_minor - total_minor / {d}, 0, 0, total_minor / {d}, total_minor, NULL,
        created_at, updated_at, id, false
       FROM sales_sale WHERE status = 'active' AND id % 5 <> 0""",
    """INSERT INTO invoicing_invoiceline (studio_id, position, description, product_kind,
        quantity, unit_price_minor, discount_minor, net_minor, tax_minor, total_minor,
        tax_rate_bp, invoice_id)
       SELECT studio_id, 0, 'Package', 'package', 1, subtotal_minor, 0, subtotal_minor,
        tax_minor, total_minor, CASE WHEN currency = 'JPY' THEN 1000 ELSE 2000 END, id
       FROM invoicing_invoice""",
    """INSERT INTO invoicing_creditnote (studio_id, number, sequence, issued_on, currency,
        prices_include_tax, client_name, client_address, subtotal_minor, order_discount_minor,
        shipping_minor, tax_minor, total_minor, filing_id, created_at, updated_at,
        invoice_id, reason, refund_id)
       SELECT i.studio_id, 'CN-' || i.id, i.id, i.issued_on + 10, i.currency, false, '', '',
        s.refunded_minor - s.refunded_minor / 6, 0, 0, s.refunded_minor / 6, s.refunded_minor,
        NULL, i.created_at, i.updated_at, i.id, 'refund', NULL
       FROM invoicing_invoice i JOIN sales_sale s ON s.id = i.sale_id
       WHERE s.refunded_minor > 0""",
    """INSERT INTO invoicing_creditnoteline (studio_id, position, description, product_kind,
        quantity, unit_price_minor, discount_minor, net_minor, tax_minor, total_minor,
        tax_rate_bp, credit_note_id)
       SELECT studio_id, 0, 'Refund', 'service', 1, total_minor, 0, subtotal_minor,
        tax_minor, total_minor, CASE WHEN currency = 'JPY' THEN 1000 ELSE 2000 END, id
       FROM invoicing_creditnote""",
    """INSERT INTO invoicing_instalment (studio_id, sale_id, position, kind, percent_bp,
        fixed_minor, due_offset, due_unit, due_relative_to, amount_minor, due_on,
        reminded_before_at, reminded_after_at)
       SELECT s.studio_id, s.id, p.position, p.kind, p.bp, NULL, p.days, 'days',
        'invoice_date',
        CASE WHEN p.kind = 'remaining'
             THEN s.total_minor - (s.total_minor * 2500 + 5000) / 10000
                  - (s.total_minor * 5000 + 5000) / 10000
             ELSE (s.total_minor * p.bp + 5000) / 10000 END,
        s.sale_date + p.days, NULL, NULL
       FROM sales_sale s CROSS JOIN (VALUES (0, 'percent', 2500, 0), (1, 'percent', 5000, 30),
            (2, 'remaining', NULL, 60)) AS p(position, kind, bp, days)
       WHERE s.id % 10 = 3 AND s.status = 'active'""",
]

TABLES = {
    "sales": "SELECT id, studio_id, status, currency, sale_date, total_minor, paid_minor "
    "FROM sales_sale",
    "invoice": "SELECT id, studio_id, sale_id, superseded, issued_on, currency, shipping_minor, "
    "order_discount_minor FROM invoicing_invoice",
    "invoiceline": "SELECT invoice_id, tax_rate_bp, net_minor, tax_minor "
    "FROM invoicing_invoiceline",
    "creditnote": "SELECT id, studio_id, issued_on, currency, shipping_minor, "
    "order_discount_minor FROM invoicing_creditnote",
    "creditnoteline": "SELECT credit_note_id, tax_rate_bp, net_minor, tax_minor "
    "FROM invoicing_creditnoteline",
    "instalment": "SELECT sale_id, position, due_on, amount_minor FROM invoicing_instalment",
}

OWED_PARTS = """
WITH owing AS (
  SELECT id, currency, sale_date, total_minor, paid_minor FROM sales
  WHERE studio_id = $studio AND status = 'active' AND total_minor > paid_minor
), inst AS (
  SELECT i.sale_id, i.due_on, i.amount_minor,
         row_number() OVER (PARTITION BY i.sale_id ORDER BY i.due_on, i.position) AS ord
  FROM instalment i JOIN owing o ON o.id = i.sale_id
), sched AS (SELECT sale_id, SUM(amount_minor) AS s FROM inst GROUP BY sale_id),
parts AS (
  SELECT sale_id, due_on, amount_minor, ord FROM inst
  UNION ALL
  SELECT o.id, COALESCE(v.issued_on, o.sale_date), o.total_minor - COALESCE(c.s, 0), 1000000
  FROM owing o LEFT JOIN sched c ON c.sale_id = o.id
  LEFT JOIN invoice v ON v.sale_id = o.id AND NOT v.superseded
  WHERE o.total_minor - COALESCE(c.s, 0) > 0
), alloc AS (
  SELECT p.sale_id, p.due_on, p.amount_minor, o.currency, o.paid_minor,
         SUM(p.amount_minor) OVER (PARTITION BY p.sale_id ORDER BY p.ord) AS cum
  FROM parts p JOIN owing o ON o.id = p.sale_id
), unpaid AS (
  SELECT sale_id, currency, due_on,
         GREATEST(0, LEAST(amount_minor, cum - paid_minor)) AS owed,
         DATE '{today}' - due_on AS late
  FROM alloc
)
"""
OWED_BUCKETS_SQL = (
    OWED_PARTS
    + """
SELECT currency, CASE WHEN late <= 0 THEN 'current' WHEN late <= 30 THEN '1-30'
  WHEN late <= 60 THEN '31-60' WHEN late <= 90 THEN '61-90' ELSE '90+' END AS bucket,
  SUM(owed) FROM unpaid WHERE owed > 0 GROUP BY 1, 2
"""
)
OWED_SALES_SQL = (
    OWED_PARTS
    + """
SELECT sale_id, currency, SUM(owed), MIN(due_on) FROM unpaid WHERE owed > 0
GROUP BY 1, 2 ORDER BY MIN(due_on), sale_id
"""
)
TAX_SQL = """
WITH docs AS (
  SELECT i.currency, l.tax_rate_bp AS rate, l.net_minor AS net, l.tax_minor AS tax
  FROM invoice i JOIN invoiceline l ON l.invoice_id = i.id
  WHERE i.studio_id = $studio AND i.issued_on BETWEEN DATE '{start}' AND DATE '{end}'
  UNION ALL
  SELECT c.currency, l.tax_rate_bp, -l.net_minor, -l.tax_minor
  FROM creditnote c JOIN creditnoteline l ON l.credit_note_id = c.id
  WHERE c.studio_id = $studio AND c.issued_on BETWEEN DATE '{start}' AND DATE '{end}'
  UNION ALL
  SELECT currency, 0, shipping_minor - order_discount_minor, 0 FROM invoice
  WHERE studio_id = $studio AND issued_on BETWEEN DATE '{start}' AND DATE '{end}'
)
SELECT currency, rate, SUM(net), SUM(tax) FROM docs GROUP BY 1, 2 ORDER BY 1, 2
"""


def add_invoicing_rows() -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        for statement in INVOICING_SQL:
            base.timed(
                statement.split()[0:3][-1],
                lambda s=statement: cursor.execute(s.replace("{d}", "6")),
            )


def export(folder: Path) -> dict[str, Path]:
    from django.db import connection

    paths = {}
    with connection.cursor() as cursor:
        for name, query in TABLES.items():
            path = folder / f"{name}.csv"
            with cursor.copy(f"COPY ({query}) TO STDOUT WITH (FORMAT csv, HEADER)") as copy, \
                    path.open("wb") as handle:  # fmt: skip
                for chunk in copy:
                    handle.write(chunk)
            paths[name] = path
    return paths


def time_cyan(studio, runs: int) -> dict[str, float]:
    from invoicing.selectors import tax_report
    from reports.selectors import owed

    cases = {
        "owed (aged buckets + every owing sale)": lambda: owed(studio=studio, today=TODAY),
        "tax report, one quarter": lambda: tax_report(
            studio=studio, period_from=QUARTER[0], period_to=QUARTER[1]
        ),
        "tax report, one year": lambda: tax_report(
            studio=studio, period_from=YEAR[0], period_to=YEAR[1]
        ),
    }
    results = {}
    for label, action in cases.items():
        seconds, _ = base.p50(action, runs)
        results[label] = seconds
        print(f"  {label}: {seconds * 1000:,.0f} ms", flush=True)
    return results


def time_duckdb(paths: dict[str, Path], studio_id: int, runs: int) -> dict[str, float]:
    import duckdb

    db = duckdb.connect()
    for name, path in paths.items():
        db.execute(
            f"CREATE TABLE {name} AS SELECT * FROM read_csv_auto(?, header = true)", [str(path)]
        )
    params = {"studio": studio_id}

    def both() -> object:
        buckets = db.execute(OWED_BUCKETS_SQL.format(today=TODAY), params).fetchall()
        return buckets, db.execute(OWED_SALES_SQL.format(today=TODAY), params).fetchall()

    def tax(span: tuple[dt.date, dt.date]):
        sql = TAX_SQL.format(start=span[0], end=span[1])
        return lambda: db.execute(sql, params).fetchall()

    cases = {
        "owed (aged buckets + every owing sale)": both,
        "tax report, one quarter": tax(QUARTER),
        "tax report, one year": tax(YEAR),
    }
    results = {}
    for label, action in cases.items():
        seconds, _ = base.p50(action, runs)
        results[label] = seconds
        print(f"  duckdb: {label}: {seconds * 1000:,.0f} ms", flush=True)
    return results


def main() -> None:
    if not any(a.startswith("--pg-url") for a in sys.argv):
        sys.argv += ["--pg-url", "postgres://postgres@127.0.0.1:5432/cyan_bench_invoicing"]
    args = base.parse_args()
    base.configure(args)
    from django.db import connection

    from accounts.models import Studio

    folder = Path(tempfile.mkdtemp(prefix="cyan-bench-invoicing-"))
    if not (args.reuse and base._loaded(args)):
        connection.close()
        base.recreate_database(args)
        connection.close()
        base.load(args, folder, rollups=False)
        add_invoicing_rows()
        base.build_rollups()  # the invoicing rows were written in SQL, not by the services
    else:
        from django.core.management import call_command

        base.timed("migrate", lambda: call_command("migrate", verbosity=0))
        import loaders

        base.timed("vacuum analyze", loaders.vacuum_analyze)
    studio = Studio.objects.get(name="Benchmark studio")
    print(f"\n{connection.vendor}, p50 of {args.runs} runs:", flush=True)
    cyan = time_cyan(studio, args.runs)
    if args.no_duckdb:
        return
    paths = base.timed("export CSV for DuckDB", lambda: export(folder))
    duck = time_duckdb(paths, studio.pk, args.runs)
    print("\n| report | Cyan (ms) | DuckDB (ms) | ratio |\n| --- | ---: | ---: | ---: |")
    for label, seconds in cyan.items():
        ratio = seconds / duck[label] if duck[label] else float("inf")
        print(f"| {label} | {seconds * 1000:,.0f} | {duck[label] * 1000:,.0f} | {ratio:.1f}× |")


if __name__ == "__main__":
    main()
