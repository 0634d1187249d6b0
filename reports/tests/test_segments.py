"""RFM segments as of 2026-06-15 over the table in conftest.py.

GBP nets, descending: Ada 31000, Grace 30000, Hana 2001, Ivan 1200, Jo 300 — five
clients, so the top 20 % is one client (Ada, threshold 31000).
  Ada    last 2026-03-05 (102 days), 2 sales, top    → champions
  Grace  last 2026-05-20 (26 days),  1 sale          → new
  Hana   last 2025-06-20 (360 days), 2 sales         → loyal
  Ivan   last 2024-12-01 (561 days), 2 sales         → at risk
  Jo     last 2023-01-10 (1252 days), 1 sale         → lapsed
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reports.selectors import ReportFilters, classify, segments, top_threshold
from reports.selectors.segments import _block

pytestmark = pytest.mark.django_db


def members(block) -> dict[str, list[str]]:
    return {s.key: [m.contact_name.split()[0] for m in s.members] for s in block.segments}


def test_each_client_in_the_expected_segment(studio, sales_book):
    [block] = segments(studio=studio, filters=ReportFilters(currency="GBP"))
    assert block.as_of == dt.date(2026, 6, 15)
    assert block.top_threshold_minor == 31000
    assert members(block) == {
        "champions": ["Ada"],
        "loyal": ["Hana"],
        "new": ["Grace"],
        "at_risk": ["Ivan"],
        "lapsed": ["Jo"],
    }
    assert [s.count for s in block.segments] == [1, 1, 1, 1, 1]
    champions = block.segments[0]
    [ada] = champions.members
    assert (ada.recency_days, ada.frequency, ada.net_minor) == (102, 2, 31000)
    assert champions.net_minor == 31000


def test_end_of_range_is_the_as_of_date(studio, sales_book):
    # As of 2025-12-31 only sales up to then count: Hana (194 days, 2) is the top client.
    filters = ReportFilters(date_to=dt.date(2025, 12, 31), currency="GBP")
    [block] = segments(studio=studio, filters=filters)
    assert block.as_of == dt.date(2025, 12, 31)
    assert members(block) == {
        "champions": ["Hana"],
        "loyal": [],
        "new": [],
        "at_risk": ["Ivan"],
        "lapsed": ["Jo"],
    }


def test_one_block_per_currency(studio, sales_book):
    blocks = segments(studio=studio, filters=ReportFilters())
    assert [b.currency for b in blocks] == ["BHD", "GBP", "JPY"]
    assert members(blocks[2])["new"] == ["Ada"]  # one JPY purchase this year


@pytest.mark.parametrize(
    ("recency", "frequency", "is_top", "expected"),
    [
        (0, 5, True, "champions"),
        (365, 2, True, "champions"),
        (365, 2, False, "loyal"),
        (10, 1, True, "new"),
        (366, 2, False, "at_risk"),
        (730, 1, True, "at_risk"),
        (731, 9, True, "lapsed"),
        (400, 1, False, "lapsed"),
    ],
)
def test_classify_boundaries(recency, frequency, is_top, expected):
    assert classify(recency_days=recency, frequency=frequency, is_top=is_top) == expected


def test_top_threshold_keeps_at_least_one_client():
    assert top_threshold([]) == 0
    assert top_threshold([50]) == 50
    assert top_threshold([90, 80, 70, 60, 50, 40, 30, 20, 10, 5]) == 80


rows = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=1000),  # recency, days
        st.integers(min_value=1, max_value=4),  # sales
        st.integers(min_value=-500, max_value=5000),  # net
    ),
    max_size=30,
)


@given(clients=rows)
@settings(max_examples=200, deadline=None)
def test_each_block_places_every_client_where_classify_says(clients):
    """The block's loop classifies inline (it runs for every client of a studio): it must
    agree with classify() and top_threshold() for any rows, names and ties included."""
    as_of = dt.date(2026, 6, 15)
    ordered = sorted(enumerate(clients, 1), key=lambda each: (-each[1][2], each[0]))
    block_rows = [
        ("GBP", pk, sales, net, as_of - dt.timedelta(days=recency), f"N{pk}", "", "Co")
        for pk, (recency, sales, net) in ordered
    ]
    block = _block("GBP", block_rows, as_of)
    threshold = top_threshold([net for _, (_, _, net) in ordered])
    assert block.top_threshold_minor == threshold
    placed = {m.contact_id: s.key for s in block.segments for m in s.members}
    assert len(placed) == len(clients)
    for pk, (recency, sales, net) in ordered:
        expected = classify(
            recency_days=recency, frequency=sales, is_top=net >= threshold and net > 0
        )
        assert placed[pk] == expected
    for segment in block.segments:  # each keeps the rows' order: net descending
        assert [m.net_minor for m in segment.members] == sorted(
            (m.net_minor for m in segment.members), reverse=True
        )
