"""Client value: per contact and currency — sales, gross, refunds, net, average order, first
and last purchase, and how much came from gallery orders — sorted by net (the studio's
most important clients first).

One GROUP BY query over the stored sale totals. Window functions over the grouped rows
give each currency's client count and totals and rank the clients, so the page's "top N
per currency" is the same single query (SQLite ≥ 3.25 and PostgreSQL both have them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

from django.db.models import BigIntegerField, Count, F, Func, Max, Min, Q, QuerySet, Sum, Window

from accounts.models import Studio
from contacts.models import Contact
from reports.selectors.common import (
    GALLERY_SOURCES,
    ReportFilters,
    contact_name,
    divide_rounded,
    value_sales,
)
from reports.selectors.sales import rollup_days

NET = Sum("total_minor") - Sum("refunded_minor")


class _SumOver(Func):
    """SUM(<aggregate>) OVER (…): a currency's total of a per-client aggregate."""

    function = "SUM"
    window_compatible = True
    output_field = BigIntegerField()


@dataclass(frozen=True)
class ClientValueRow:
    contact_id: int
    contact_name: str
    currency: str
    sales_count: int
    gross_minor: int
    refunds_minor: int
    net_minor: int
    average_order_minor: int
    first_purchase: dt.date
    last_purchase: dt.date
    gallery_gross_minor: int
    other_gross_minor: int

    @property
    def gallery_share(self) -> Decimal | None:
        """Percent of gross from gallery orders (Pic-Time, ShootProof), one decimal."""
        return percent(self.gallery_gross_minor, self.gross_minor)


@dataclass(frozen=True)
class ClientValueBlock:
    """One currency's clients (all of them, or the top `limit`) and its totals."""

    currency: str
    client_count: int
    sales_count: int
    gross_minor: int
    refunds_minor: int
    rows: list[ClientValueRow]

    @property
    def net_minor(self) -> int:
        return self.gross_minor - self.refunds_minor

    @property
    def is_complete(self) -> bool:
        return len(self.rows) == self.client_count


def percent(part: int, whole: int) -> Decimal | None:
    if whole <= 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


NAME_FIELDS = ("contact__first_name", "contact__last_name", "contact__company")


def client_value_rows(
    *, studio: Studio, filters: ReportFilters, with_names: bool = False
) -> QuerySet:
    """Per (currency, contact): the grouped aggregate, unranked. Other reports build on it
    (segments, opportunities); `net` is gross minus refunds."""
    group = ("currency", "contact_id", *(NAME_FIELDS if with_names else ()))
    return (
        value_sales(studio=studio, filters=filters)
        .values(*group)
        .annotate(
            sales_count=Count("*"),
            gross=Sum("total_minor"),
            refunds=Sum("refunded_minor"),
            net=NET,
            first=Min("sale_date"),
            last=Max("sale_date"),
        )
    )


def client_value(
    *, studio: Studio, filters: ReportFilters, limit: int | None = None
) -> list[ClientValueBlock]:
    """One block per currency (alphabetical), clients by net descending (ties: contact
    id). `limit` keeps each currency's top N rows; the block totals still cover everyone.

    Each currency is one GROUP BY query ending in ORDER BY net DESC LIMIT n, a top-N sort
    (ranking every currency in one query with ROW_NUMBER() has to sort all clients)."""
    if filters.currency is None and limit is not None:
        return [
            block
            for currency in _currencies(studio, filters)
            for block in client_value(
                studio=studio, filters=replace(filters, currency=currency), limit=limit
            )
        ]
    per_currency = [F("currency")]
    rows = (
        value_sales(studio=studio, filters=filters)
        .values("currency", "contact_id")
        .annotate(
            # COUNT(*), not COUNT(id): a covering index then answers without the table.
            sales_count=Count("*"),
            gross=Sum("total_minor"),
            refunds=Sum("refunded_minor"),
            gallery_gross=Sum("total_minor", filter=Q(source__in=GALLERY_SOURCES), default=0),
            first=Min("sale_date"),
            last=Max("sale_date"),
            net=NET,
        )
        .annotate(
            # Over the grouped rows: the currency's client count and totals.
            block_clients=Window(Count("*"), partition_by=per_currency),
            block_sales=Window(_SumOver(Count("*")), partition_by=per_currency),
            block_gross=Window(_SumOver(Sum("total_minor")), partition_by=per_currency),
            block_refunds=Window(_SumOver(Sum("refunded_minor")), partition_by=per_currency),
        )
        .order_by("currency", "-net", "contact_id")
    )
    rows = list(rows if limit is None else rows[:limit])
    names = contact_names(studio=studio, ids=[row["contact_id"] for row in rows])
    return _blocks(rows, names)


def _currencies(studio: Studio, filters: ReportFilters) -> list[str]:
    """The currencies of value_sales(), from the daily rollup (a few rows per day, not
    every sale; sales.rollup keeps it in step with the sales)."""
    days = rollup_days(studio=studio, filters=filters)
    return list(days.values_list("currency", flat=True).distinct().order_by("currency"))


NAME_CHUNK = 500  # ids per query: well under every backend's parameter limit
WHOLE_LIST_FROM = 5_000  # ids above which reading all the studio's contacts is cheaper


def contact_names(*, studio: Studio, ids: list[int]) -> dict[int, str]:
    """Display names of the given contacts, looked up after aggregating (joining the
    contacts into a million-row GROUP BY costs more than these few primary-key reads)."""
    names: dict[int, str] = {}
    if len(ids) > WHOLE_LIST_FROM:
        # Most of the studio's clients (the export): one pass over its contacts beats
        # hundreds of IN lists.
        wanted = set(ids)
        for pk, first, last, company in (
            Contact.objects.for_studio(studio)
            .order_by()
            .values_list("pk", "first_name", "last_name", "company")
        ):
            if pk in wanted:
                names[pk] = contact_name(first, last, company)
        return names
    for start in range(0, len(ids), NAME_CHUNK):
        chunk = ids[start : start + NAME_CHUNK]
        for pk, first, last, company in (
            Contact.objects.for_studio(studio)
            .filter(pk__in=chunk)
            .values_list("pk", "first_name", "last_name", "company")
        ):
            names[pk] = contact_name(first, last, company)
    return names


def _blocks(rows: list[dict], names: dict[int, str]) -> list[ClientValueBlock]:
    blocks: list[ClientValueBlock] = []
    for row in rows:
        if not blocks or blocks[-1].currency != row["currency"]:
            blocks.append(
                ClientValueBlock(
                    currency=row["currency"],
                    client_count=row["block_clients"],
                    sales_count=int(row["block_sales"]),
                    gross_minor=int(row["block_gross"]),
                    refunds_minor=int(row["block_refunds"]),
                    rows=[],
                )
            )
        blocks[-1].rows.append(_row(row, names.get(row["contact_id"], "(no name)")))
    return blocks


def _row(row: dict, name: str) -> ClientValueRow:
    gross, gallery = row["gross"], row["gallery_gross"]
    return ClientValueRow(
        contact_id=row["contact_id"],
        contact_name=name,
        currency=row["currency"],
        sales_count=row["sales_count"],
        gross_minor=gross,
        refunds_minor=row["refunds"],
        net_minor=row["net"],
        average_order_minor=divide_rounded(gross, row["sales_count"]),
        first_purchase=row["first"],
        last_purchase=row["last"],
        gallery_gross_minor=gallery,
        other_gross_minor=gross - gallery,
    )


@dataclass(frozen=True)
class ValueBand:
    """Clients whose net is in [low, high) major units (high None = and above)."""

    low: int
    high: int | None
    clients: int


def client_value_distribution(
    *, studio: Studio, filters: ReportFilters, currency: str, exponent: int
) -> list[ValueBand]:
    """How many clients fall in each net-value band (1-2-5 steps of major units), for the
    distribution chart. The bands are counted in the database over the grouped rows."""
    scoped = ReportFilters(filters.date_from, filters.date_to, currency)
    grouped = client_value_rows(studio=studio, filters=scoped)
    top = grouped.aggregate(top=Max("net"))["top"]
    if top is None:
        return []
    edges = band_edges(max(top, 0) / 10**exponent)
    counts = grouped.aggregate(
        **{
            f"b{i}": Count("contact_id", filter=_in_band(edges, i, exponent))
            for i in range(len(edges))
        }
    )
    return [
        ValueBand(
            low=edges[i],
            high=edges[i + 1] if i + 1 < len(edges) else None,
            clients=counts[f"b{i}"],
        )
        for i in range(len(edges))
    ]


def _in_band(edges: list[int], index: int, exponent: int) -> Q:
    scale = 10**exponent
    condition = Q(net__gte=edges[index] * scale) if index else Q()
    if index + 1 < len(edges):
        condition &= Q(net__lt=edges[index + 1] * scale)
    return condition


def band_edges(top_major: float, max_bands: int = 8) -> list[int]:
    """Lower edges 0, then 1-2-5 steps up to the largest value: ≤ max_bands bands."""
    steps: list[int] = []
    magnitude = 1
    while magnitude <= max(top_major, 1):
        steps.extend(m * magnitude for m in (1, 2, 5) if m * magnitude <= top_major)
        magnitude *= 10
    return [0, *steps[-(max_bands - 1) :]] if steps else [0]
