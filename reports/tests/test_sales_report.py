"""Sales by month and source, summary and product kinds, against conftest.py's table.

GBP, 2025-06-01 … 2026-06-15 (the cancelled 2026-04-01 sale left out):
  2025-06  manual   2 sales   2001
  2026-01  manual   1 sale   10000
  2026-03  pictime  1 sale   26000, refunds 5000
  2026-05  api      1 sale   40000, refunds 10000
  total 5 sales, gross 78001, refunds 15000, net 63001, average 15600 (15600.2)
Product kinds (line totals, no shipping): prints 10000, albums 25000, packages 40000,
other (sessions) 2001 — of 77001: 13.0 %, 32.5 %, 51.9 %, 2.6 %.
"""

from __future__ import annotations

import datetime as dt

import pytest

from reports.selectors import (
    ReportFilters,
    month_range,
    sales_by_month,
    sales_by_product_kind,
    sales_summary,
)
from testkit.factories import line, make_sale

pytestmark = pytest.mark.django_db
YEAR_GBP = ReportFilters(dt.date(2025, 6, 1), dt.date(2026, 6, 15), "GBP")


def test_months_by_source_fill_empty_months(studio, sales_book):
    [block] = sales_by_month(studio=studio, filters=YEAR_GBP)
    assert block.currency == "GBP"
    assert [row.month for row in block.months] == month_range(
        dt.date(2025, 6, 1), dt.date(2026, 6, 1)
    )
    assert len(block.months) == 13
    figures = {
        (f"{row.month:%Y-%m}", source): (f.count, f.gross_minor, f.refunds_minor)
        for row in block.months
        for source, f in row.by_source.items()
    }
    assert figures == {
        ("2025-06", "manual"): (2, 2001, 0),
        ("2026-01", "manual"): (1, 10000, 0),
        ("2026-03", "pictime"): (1, 26000, 5000),
        ("2026-05", "api"): (1, 40000, 10000),
    }
    april = next(row for row in block.months if row.month == dt.date(2026, 4, 1))
    assert april.total.count == 0  # the cancelled sale is not counted
    assert block.sources == ["manual", "pictime", "api"]
    assert block.source_labels == ["Manual", "Pic-Time", "API"]
    manual = block.by_source["manual"]
    assert (manual.count, manual.gross_minor) == (3, 12001)
    total = block.total
    assert (total.count, total.gross_minor, total.refunds_minor, total.net_minor) == (
        5, 78001, 15000, 63001,
    )  # fmt: skip
    assert total.average_order_minor == 15600


def test_month_buckets_split_on_the_first(studio, people, frozen_today):
    make_sale(studio, people["Ada"], dt.date(2026, 1, 31), "EUR", [line("print", 100)])
    make_sale(studio, people["Ada"], dt.date(2026, 2, 1), "EUR", [line("print", 200)])
    [block] = sales_by_month(studio=studio, filters=ReportFilters(currency="EUR"))
    assert [(row.month, row.total.gross_minor) for row in block.months] == [
        (dt.date(2026, 1, 1), 100),
        (dt.date(2026, 2, 1), 200),
    ]


def test_summary_counts_refunded_and_cancelled_sales(studio, sales_book):
    [summary] = sales_summary(studio=studio, filters=YEAR_GBP)
    f = summary.figures
    assert (f.count, f.gross_minor, f.refunds_minor, f.net_minor) == (5, 78001, 15000, 63001)
    assert f.average_order_minor == 15600
    assert (summary.refunded_sales, summary.cancelled_sales) == (2, 1)


def test_summary_all_currencies_stay_apart(studio, sales_book):
    summaries = {s.currency: s for s in sales_summary(studio=studio, filters=ReportFilters())}
    assert sorted(summaries) == ["BHD", "GBP", "JPY"]
    bhd = summaries["BHD"].figures
    assert (bhd.count, bhd.gross_minor, bhd.refunds_minor, bhd.net_minor) == (1, 24690, 1005, 23685)
    assert summaries["JPY"].figures.average_order_minor == 12345
    assert summaries["GBP"].figures.gross_minor == 79501


def test_product_kind_mix(studio, sales_book):
    [block] = sales_by_product_kind(studio=studio, filters=YEAR_GBP)
    rows = {row.key: (row.lines, row.quantity, row.total_minor, row.share) for row in block.rows}
    assert rows == {
        "prints": (1, 1, 10000, 13.0),
        "albums": (1, 1, 25000, 32.5),
        "wall_art": (0, 0, 0, 0.0),
        "digital": (0, 0, 0, 0.0),
        "packages": (1, 1, 40000, 51.9),
        "other": (2, 2, 2001, 2.6),
    }
    assert block.total_minor == 77001


def test_product_kinds_per_currency(studio, sales_book):
    blocks = {b.currency: b for b in sales_by_product_kind(studio=studio, filters=ReportFilters())}
    assert sorted(blocks) == ["BHD", "GBP", "JPY"]
    prints = blocks["BHD"].rows[0]
    assert (prints.key, prints.lines, prints.quantity, prints.total_minor, prints.share) == (
        "prints", 1, 2, 24690, 100.0,
    )  # fmt: skip
    assert [(r.key, r.total_minor) for r in blocks["JPY"].rows if r.total_minor] == [
        ("digital", 12345)
    ]


def test_no_sales_no_blocks(studio, frozen_today):
    assert sales_by_month(studio=studio, filters=ReportFilters()) == []
    assert sales_summary(studio=studio, filters=ReportFilters()) == []
    assert sales_by_product_kind(studio=studio, filters=ReportFilters()) == []


def test_huge_ranges_list_only_the_months_with_data(studio, people, frozen_today):
    make_sale(studio, people["Ada"], dt.date(2026, 1, 31), "EUR", [line("print", 100)])
    make_sale(studio, people["Ada"], dt.date(2026, 3, 1), "EUR", [line("print", 200)])
    filters = ReportFilters(dt.date(1, 1, 1), dt.date(9999, 12, 31), "EUR")
    [block] = sales_by_month(studio=studio, filters=filters)
    assert [row.month for row in block.months] == month_range(
        dt.date(2026, 1, 1), dt.date(2026, 3, 1)
    )


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        (dt.date(2200, 11, 15), dt.date(2200, 12, 31), 2),
        (dt.date(1900, 1, 1), dt.date(1900, 2, 1), 2),
        (dt.date(9999, 11, 1), dt.date(9999, 12, 31), 2),  # #10.2: OverflowError
        (dt.date.min, dt.date(1, 1, 31), 1),
    ],
)
def test_month_range_holds_at_the_edges_of_the_calendar(first, last, expected):
    months = month_range(first, last)
    assert len(months) == expected
    assert months[-1] == last.replace(day=1)


def test_the_sales_report_of_sales_on_the_range_edges(studio, people, auth_client):
    """Sales dated 1900-01-01 and 2200-12-31 (the bounds) show in every report."""
    for day in ("1900-01-01", "2200-12-31"):
        make_sale(studio, people["Ada"], dt.date.fromisoformat(day), "GBP", [line("print", 1000)])
    blocks = sales_by_month(studio=studio, filters=ReportFilters(currency="GBP"))
    assert [row.month for row in blocks[0].months][:: len(blocks[0].months) - 1] == [
        dt.date(1900, 1, 1),
        dt.date(2200, 12, 1),
    ]
    for url in ("/reports/sales/", "/reports/segments/", "/reports/opportunities/", "/reports/"):
        assert auth_client.get(url).status_code == 200, url
