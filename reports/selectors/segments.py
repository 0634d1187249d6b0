"""RFM segments: recency (days since the last purchase), frequency (number of sales) and
monetary value (net), per contact and currency, as of the end of the date range (today
when it is open).

The rules, checked in this order (so each client is in exactly one segment):

* **Champions** — bought in the last 365 days, at least twice, net in the currency's
  top 20 % of clients;
* **Loyal** — bought in the last 365 days, at least twice;
* **New** — bought in the last 365 days, once (their first purchase);
* **At risk** — last purchase 1–2 years ago, and bought at least twice or is in the top
  20 %: good clients going quiet;
* **Lapsed** — everyone else (no purchase for over a year).

Each client's R, F and M come from one query over their totals (the totals the sales
services keep per client, or one GROUP BY over the sales when a date range needs it:
reports.selectors.client_totals); the classification runs over those rows (one per
client), never over sales.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from itertools import groupby
from operator import itemgetter
from typing import NamedTuple

from accounts.models import Studio
from core.clock import studio_today
from reports.selectors.client_totals import client_totals
from reports.selectors.client_value import NAME_FIELDS
from reports.selectors.common import ReportFilters

ACTIVE_DAYS = 365
AT_RISK_DAYS = 730
REPEAT_PURCHASES = 2
TOP_SHARE = 0.2

SEGMENTS = (
    ("champions", "Champions", "Bought in the last year, more than once, and among your top 20 %."),
    ("loyal", "Loyal", "Bought in the last year, more than once."),
    ("new", "New", "First purchase in the last year."),
    ("at_risk", "At risk", "Good clients whose last purchase was 1–2 years ago."),
    ("lapsed", "Lapsed", "No purchase for over a year."),
)
SEGMENT_LABELS = {key: label for key, label, _ in SEGMENTS}


class SegmentMember(NamedTuple):
    """One client in a segment (a named tuple: a block can hold ~100,000 of them, and a
    tuple is made three times faster than a frozen dataclass)."""

    contact_id: int
    contact_name: str
    currency: str
    recency_days: int
    frequency: int
    net_minor: int
    last_purchase: dt.date


@dataclass
class Segment:
    key: str
    label: str
    description: str
    members: list[SegmentMember] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.members)

    @property
    def net_minor(self) -> int:
        return sum(member.net_minor for member in self.members)


@dataclass(frozen=True)
class SegmentBlock:
    currency: str
    as_of: dt.date
    top_threshold_minor: int
    segments: list[Segment]

    @property
    def client_count(self) -> int:
        return sum(segment.count for segment in self.segments)


def classify(*, recency_days: int, frequency: int, is_top: bool) -> str:
    """The segment key of one client (rules in the module docstring)."""
    if recency_days <= ACTIVE_DAYS:
        if frequency >= REPEAT_PURCHASES:
            return "champions" if is_top else "loyal"
        return "new"
    if recency_days <= AT_RISK_DAYS and (frequency >= REPEAT_PURCHASES or is_top):
        return "at_risk"
    return "lapsed"


def top_threshold(nets_descending: list[int], share: float = TOP_SHARE) -> int:
    """The smallest net still in the top `share` of clients (at least one client)."""
    if not nets_descending:
        return 0
    index = max(int(len(nets_descending) * share), 1) - 1
    return nets_descending[index]


def segments(*, studio: Studio, filters: ReportFilters) -> list[SegmentBlock]:
    """One block per currency; each block has every segment (empty ones too) with its
    members by net descending."""
    as_of = filters.date_to or studio_today(studio)
    totals = client_totals(studio=studio, filters=replace(filters, date_to=as_of), with_names=True)
    rows = totals.order_by("currency", "-net", "contact_id").values_list(*ROW_FIELDS)
    return [
        _block(currency, list(block_rows), as_of)
        for currency, block_rows in groupby(rows, key=itemgetter(0))
    ]


ROW_FIELDS = ("currency", "contact_id", "sales_count", "net", "last", *NAME_FIELDS)


def _block(currency: str, rows: list[tuple], as_of: dt.date) -> SegmentBlock:
    """Classify a currency's rows (ROW_FIELDS, by net descending). A tight loop over
    tuples: the "every client" views pass ~100,000 rows through it."""
    threshold = top_threshold([row[3] for row in rows])
    by_key = {key: Segment(key, label, text) for key, label, text in SEGMENTS}
    champions, loyal, new, at_risk, lapsed = (segment.members for segment in by_key.values())
    for _, contact_id, frequency, net, last, first_name, last_name, company in rows:
        recency = (as_of - last).days
        name = f"{first_name} {last_name}".strip() or company or "(no name)"  # contact_name()
        member = SegmentMember(contact_id, name, currency, recency, frequency, net, last)
        # classify(), inline: a call with keywords per client costs a fifth of the loop.
        is_top = net >= threshold and net > 0
        if recency <= ACTIVE_DAYS:
            if frequency >= REPEAT_PURCHASES:
                (champions if is_top else loyal).append(member)
            else:
                new.append(member)
        elif recency <= AT_RISK_DAYS and (frequency >= REPEAT_PURCHASES or is_top):
            at_risk.append(member)
        else:
            lapsed.append(member)
    return SegmentBlock(currency, as_of, threshold, list(by_key.values()))
