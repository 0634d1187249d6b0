"""What the benchmark times: Cyan's report selectors, and the same aggregations in DuckDB."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

# The index this benchmark proposes for sales.Sale.Meta.indexes: it covers the client-value
# and sales-by-month aggregations (filter, group and summed columns), so PostgreSQL can
# answer them with an index-only scan in (currency, contact) order, with no sort.
PROPOSED_INDEX_FIELDS = [
    "studio", "status", "currency", "contact", "sale_date", "source",
    "total_minor", "refunded_minor",
]  # fmt: skip
PROPOSED_INDEX_NAME = "sale_reports_cover_idx"


def _proposed_index():
    from django.db import models

    return models.Index(fields=PROPOSED_INDEX_FIELDS, name=PROPOSED_INDEX_NAME)


def add_proposed_index() -> None:
    from django.db import connection

    from sales.models import Sale

    with connection.schema_editor() as editor:
        editor.add_index(Sale, _proposed_index())


def drop_proposed_index() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX IF EXISTS {PROPOSED_INDEX_NAME}")


P50 = Callable[[Callable[[], object], int], tuple[float, object]]
PAGE_ROWS = 100  # the client-value page shows each currency's top 100


def time_reports(studio, runs: int, p50: P50) -> dict[str, float]:
    from core.clock import studio_today
    from reports.selectors import ReportFilters, client_value, sales_by_month, segments
    from reports.selectors.opportunities import lapsed_high_value_clients

    usd = ReportFilters(currency="USD")
    every = ReportFilters()
    today = studio_today(studio)
    cases = {
        "client value, USD, top 100 (page)": lambda: client_value(
            studio=studio, filters=usd, limit=PAGE_ROWS
        ),
        "client value, all currencies, top 100 each": lambda: client_value(
            studio=studio, filters=every, limit=PAGE_ROWS
        ),
        "client value, USD, every client (export)": lambda: client_value(
            studio=studio, filters=usd
        ),
        "sales by month, USD": lambda: sales_by_month(studio=studio, filters=usd),
        "sales by month, all currencies": lambda: sales_by_month(studio=studio, filters=every),
        "segments, USD": lambda: segments(studio=studio, filters=usd),
        "segments, all currencies": lambda: segments(studio=studio, filters=every),
        "past high-value clients, USD, top 100 (page)": lambda: lapsed_high_value_clients(
            studio=studio, filters=usd, today=today, limit=PAGE_ROWS
        ),
        "past high-value clients, all currencies, every client (API)": lambda: (
            lapsed_high_value_clients(studio=studio, filters=every, today=today)
        ),
    }
    results = {}
    for label, action in cases.items():
        seconds, result = p50(action, runs)
        rows = sum(_rows_in(item) for item in result)
        print(f"  {label}: {seconds * 1000:.0f} ms ({rows:,} rows)", flush=True)
        results[label] = seconds
    return results


def _rows_in(item: object) -> int:
    """Rows a report returned: a block's rows, months or segment members; else one."""
    if hasattr(item, "segments"):
        return sum(segment.count for segment in item.segments)
    return len(getattr(item, "rows", getattr(item, "months", [None])))


# The same shape as Cyan's query: group the sales by (currency, contact), totals per
# currency over the groups, top N by net; then the names of the rows returned.
CLIENT_VALUE_SQL = """
WITH clients AS (
  SELECT currency, contact_id, COUNT(*) AS sales_count, SUM(total_minor) AS gross,
         SUM(refunded_minor) AS refunds,
         COALESCE(SUM(total_minor) FILTER (WHERE source IN ('pictime', 'shootproof')), 0)
           AS gallery_gross,
         MIN(sale_date) AS first, MAX(sale_date) AS last,
         SUM(total_minor) - SUM(refunded_minor) AS net,
         ROW_NUMBER() OVER (PARTITION BY currency
           ORDER BY SUM(total_minor) - SUM(refunded_minor) DESC, contact_id) AS rank,
         COUNT(*) OVER (PARTITION BY currency) AS block_clients,
         SUM(COUNT(*)) OVER (PARTITION BY currency) AS block_sales,
         SUM(SUM(total_minor)) OVER (PARTITION BY currency) AS block_gross,
         SUM(SUM(refunded_minor)) OVER (PARTITION BY currency) AS block_refunds
  FROM sales
  WHERE studio_id = $studio AND status = 'active' {currency}
  GROUP BY currency, contact_id
)
SELECT k.*, c.first_name, c.last_name, c.company
FROM clients k JOIN contacts c ON c.id = k.contact_id
{limit} ORDER BY k.currency, k.rank
"""
SALES_BY_MONTH_SQL = """
SELECT currency, date_trunc('month', sale_date) AS month, source,
       COUNT(*), SUM(total_minor), SUM(refunded_minor)
FROM sales
WHERE studio_id = $studio AND status = 'active' {currency}
GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
"""

# Segments and past high-value clients: each client's count, net and last sale up to
# today, the net at the edge of the currency's top 20 % (reports.selectors.segments'
# top_threshold), then the segment rules (or the lapsed top clients) with the names.
CLIENT_RANKS_SQL = """
WITH clients AS (
  SELECT currency, contact_id, COUNT(*) AS frequency,
         SUM(total_minor) - SUM(refunded_minor) AS net, MAX(sale_date) AS last
  FROM sales
  WHERE studio_id = $studio AND status = 'active' AND sale_date <= $today {currency}
  GROUP BY currency, contact_id
), ranked AS (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY currency ORDER BY net DESC, contact_id) AS rank,
         COUNT(*) OVER (PARTITION BY currency) AS clients
  FROM clients
), edge AS (
  SELECT currency, net AS threshold FROM ranked
  WHERE rank = GREATEST(CAST(FLOOR(clients * 0.2) AS BIGINT), 1)
), rfm AS (
  SELECT r.*, date_diff('day', r.last, $today) AS recency,
         r.net >= e.threshold AND r.net > 0 AS is_top
  FROM ranked r JOIN edge e USING (currency)
)
"""
SEGMENTS_SQL = (
    CLIENT_RANKS_SQL
    + """
SELECT k.currency, k.contact_id, c.first_name, c.last_name, c.company, k.recency,
       k.frequency, k.net, k.last,
       CASE WHEN k.recency <= 365 THEN
              CASE WHEN k.frequency >= 2 THEN CASE WHEN k.is_top THEN 'champions' ELSE 'loyal' END
                   ELSE 'new' END
            WHEN k.recency <= 730 AND (k.frequency >= 2 OR k.is_top) THEN 'at_risk'
            ELSE 'lapsed' END AS segment
FROM rfm k JOIN contacts c ON c.id = k.contact_id
ORDER BY k.currency, k.net DESC, k.contact_id
"""
)
PAST_HIGH_VALUE_SQL = (
    CLIENT_RANKS_SQL
    + """
SELECT k.currency, k.contact_id, c.first_name, c.last_name, c.company, k.frequency, k.net,
       k.last
FROM rfm k JOIN contacts c ON c.id = k.contact_id
WHERE k.is_top AND k.recency > 365
ORDER BY k.currency, k.net DESC, k.contact_id {limit}
"""
)


def time_duckdb(written: dict, studio_id: int, runs: int, p50: P50, today=None) -> dict[str, float]:
    try:
        import duckdb
    except ImportError:
        print("  duckdb is not installed: pip install -r benchmarks/requirements.txt")
        return {}
    db = duckdb.connect()
    for table in ("contacts", "sales"):
        model, path, _ = written[table]
        _load_duckdb(db, table, model, path)
    usd = "AND currency = 'USD'"
    cases = {
        "client value, USD, top 100 (page)": CLIENT_VALUE_SQL.format(
            currency=usd, limit=f"WHERE k.rank <= {PAGE_ROWS}"
        ),
        "client value, all currencies, top 100 each": CLIENT_VALUE_SQL.format(
            currency="", limit=f"WHERE k.rank <= {PAGE_ROWS}"
        ),
        "client value, USD, every client (export)": CLIENT_VALUE_SQL.format(currency=usd, limit=""),
        "sales by month, USD": SALES_BY_MONTH_SQL.format(currency=usd),
        "sales by month, all currencies": SALES_BY_MONTH_SQL.format(currency=""),
        "segments, USD": SEGMENTS_SQL.format(currency=usd),
        "segments, all currencies": SEGMENTS_SQL.format(currency=""),
        "past high-value clients, USD, top 100 (page)": PAST_HIGH_VALUE_SQL.format(
            currency=usd, limit=f"LIMIT {PAGE_ROWS}"
        ),
        "past high-value clients, all currencies, every client (API)": (
            PAST_HIGH_VALUE_SQL.format(currency="", limit="")
        ),
    }
    results = {}
    for label, sql in cases.items():
        values = {"studio": studio_id, "today": today} if "$today" in sql else {"studio": studio_id}
        seconds, rows = p50(lambda s=sql, v=values: db.execute(s, v).fetchall(), runs)
        print(f"  {label}: {seconds * 1000:.0f} ms ({len(rows):,} rows)", flush=True)
        results[f"duckdb: {label}"] = seconds
    return results


DUCKDB_TYPES = {
    "BigAutoField": "BIGINT",
    "ForeignKey": "BIGINT",
    "BigIntegerField": "BIGINT",
    "PositiveIntegerField": "BIGINT",
    "BooleanField": "INTEGER",
    "DateField": "DATE",
    "DateTimeField": "TIMESTAMP",
}


def _load_duckdb(db, table: str, model, path: Path) -> None:
    types = {
        field.column: DUCKDB_TYPES.get(field.get_internal_type(), "VARCHAR")
        for field in model._meta.concrete_fields
    }
    db.execute(
        f"CREATE TABLE {table} AS SELECT * FROM read_csv(?, header = false, "
        f"columns = {types!r}, quote = '\"', nullstr = '')",
        [str(path)],
    )


def print_table(results: dict[str, float]) -> None:
    print("\n| report | ms (p50) | DuckDB ms | ratio |\n| --- | ---: | ---: | ---: |")
    for label, seconds in results.items():
        if label.startswith("duckdb: "):
            continue
        duck = results.get(f"duckdb: {label}")
        ratio = f"{seconds / duck:.1f}×" if duck else "—"
        duck_ms = f"{duck * 1000:.0f}" if duck else "—"
        print(f"| {label} | {seconds * 1000:.0f} | {duck_ms} | {ratio} |")
