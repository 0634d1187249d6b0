"""Client value figures against the hand-computed table in conftest.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from reports.selectors import (
    ReportFilters,
    band_edges,
    client_value,
    client_value_distribution,
)

pytestmark = pytest.mark.django_db
GBP = ReportFilters(currency="GBP")


def by_name(block):
    return {row.contact_name.split()[0]: row for row in block.rows}


def test_gbp_rows_sorted_by_net_with_refunds_and_without_cancelled(studio, sales_book):
    [block] = client_value(studio=studio, filters=GBP)
    assert block.currency == "GBP"
    assert [row.contact_name for row in block.rows] == [
        "Ada Tester", "Grace Tester", "Hana Tester", "Ivan Tester", "Jo Tester",
    ]  # fmt: skip
    ada = by_name(block)["Ada"]
    assert (ada.sales_count, ada.gross_minor, ada.refunds_minor, ada.net_minor) == (
        2, 36000, 5000, 31000,
    )  # fmt: skip
    assert ada.average_order_minor == 18000
    assert (ada.first_purchase, ada.last_purchase) == (dt.date(2026, 1, 10), dt.date(2026, 3, 5))
    assert (ada.gallery_gross_minor, ada.other_gross_minor) == (26000, 10000)
    assert ada.gallery_share == Decimal("72.2")
    grace = by_name(block)["Grace"]
    assert (grace.gross_minor, grace.net_minor, grace.gallery_share) == (
        40000,
        30000,
        Decimal("0.0"),
    )


def test_average_order_rounds_half_away_from_zero(studio, sales_book):
    [block] = client_value(studio=studio, filters=GBP)
    assert by_name(block)["Hana"].average_order_minor == 1001  # 2001 / 2 = 1000.5


def test_block_totals_cover_every_client_even_when_limited(studio, sales_book):
    [block] = client_value(studio=studio, filters=GBP, limit=2)
    assert [row.contact_name for row in block.rows] == ["Ada Tester", "Grace Tester"]
    assert not block.is_complete
    assert (block.client_count, block.sales_count) == (5, 8)
    assert (block.gross_minor, block.refunds_minor, block.net_minor) == (79501, 15000, 64501)


def test_all_currencies_one_block_each_never_summed(studio, sales_book):
    blocks = client_value(studio=studio, filters=ReportFilters())
    assert [block.currency for block in blocks] == ["BHD", "GBP", "JPY"]
    bhd, gbp, jpy = blocks
    assert [(r.contact_name, r.net_minor) for r in bhd.rows] == [("Omar Tester", 23685)]
    assert (bhd.rows[0].refunds_minor, bhd.rows[0].average_order_minor) == (1005, 24690)
    # Ada bought in two currencies: one row in each block, amounts never added.
    assert [(r.contact_name, r.gross_minor) for r in jpy.rows] == [("Ada Tester", 12345)]
    assert jpy.rows[0].gallery_share == Decimal("100.0")
    assert by_name(gbp)["Ada"].gross_minor == 36000
    assert gbp.gross_minor == 79501


def test_all_currencies_limit_applies_per_currency(studio, sales_book):
    blocks = client_value(studio=studio, filters=ReportFilters(), limit=1)
    assert [(b.currency, [r.contact_name for r in b.rows]) for b in blocks] == [
        ("BHD", ["Omar Tester"]), ("GBP", ["Ada Tester"]), ("JPY", ["Ada Tester"]),
    ]  # fmt: skip
    assert [b.client_count for b in blocks] == [1, 5, 1]


def test_date_range_is_inclusive(studio, sales_book):
    filters = ReportFilters(dt.date(2026, 1, 10), dt.date(2026, 3, 5), "GBP")
    [block] = client_value(studio=studio, filters=filters)
    assert [(r.contact_name, r.sales_count, r.net_minor) for r in block.rows] == [
        ("Ada Tester", 2, 31000)
    ]


def test_cancelled_only_period_is_empty(studio, sales_book):
    filters = ReportFilters(dt.date(2026, 4, 1), dt.date(2026, 4, 30), "GBP")
    assert client_value(studio=studio, filters=filters) == []


def test_other_studios_sales_never_count(studio, sales_book, other_studio_and_owner):
    other = other_studio_and_owner[0]
    [block] = client_value(studio=other, filters=GBP)
    assert [(r.contact_name, r.net_minor) for r in block.rows] == [("Not Yours", 50000)]
    assert all(
        r.contact_name != "Not Yours" for r in client_value(studio=studio, filters=GBP)[0].rows
    )


def test_band_edges_follow_1_2_5_steps():
    assert band_edges(0) == [0]
    assert band_edges(3) == [0, 1, 2]
    assert band_edges(310) == [0, 2, 5, 10, 20, 50, 100, 200]  # at most 8 bands
    assert band_edges(64501) == [0, 500, 1000, 2000, 5000, 10000, 20000, 50000]


def test_distribution_counts_clients_per_band(studio, sales_book):
    bands = client_value_distribution(studio=studio, filters=GBP, currency="GBP", exponent=2)
    # Nets in pounds: 310, 300, 20.01, 12, 3 → edges 0, 2, 5, 10, 20, 50, 100, 200.
    counts = {(band.low, band.high): band.clients for band in bands}
    assert counts == {
        (0, 2): 0, (2, 5): 1, (5, 10): 0, (10, 20): 1, (20, 50): 1,
        (50, 100): 0, (100, 200): 0, (200, None): 2,
    }  # fmt: skip
    assert sum(counts.values()) == 5
