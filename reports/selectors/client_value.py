"""Client value: per contact and currency — sales, gross, refunds, net, average order, first
and last purchase, and how much came from gallery orders — sorted by net (the studio's
most important clients first).

Without a date range it reads each client's totals kept by the sales services
(sales.models.ClientSales, one row per client and currency, for every sale and for the
invoiced ones only): the page's top N per currency is ORDER BY net DESC LIMIT N on an
index of those rows, the export one pass over them with the names. A date range needs the
sales themselves: then one GROUP BY over the stored sale totals, window functions over
the grouped rows giving each currency's client count and totals (`scanned`). Both give
the same figures (reports/tests/test_client_value_rollup.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

from django.db.models import BigIntegerField, Count, F, Func, Max, Min, Q, QuerySet, Sum, Window

from accounts.models import Studio
from contacts.models import Contact
from invoicing.selectors import reports_invoiced_only
from reports.selectors.common import (
    GALLERY_SOURCES,
    ReportFilters,
    contact_name,
    divide_rounded,
    value_sales,
)
from reports.selectors.sales import rollup_days
from sales.models import ClientSales

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
    Read from the clients' kept totals, or from the sales for a date range."""
    if filters.date_from is None and filters.date_to is None:
        return rolled_up(studio=studio, filters=filters, limit=limit)
    return scanned(studio=studio, filters=filters, limit=limit)


ROW_FIELDS = (
    "currency", "contact_id", "sales_count", "gross_minor", "net_minor", "gallery_minor",
    "first_sale", "last_sale", "contact__first_name", "contact__last_name", "contact__company",
)  # fmt: skip


def client_rows(*, studio: Studio, filters: ReportFilters) -> QuerySet[ClientSales]:
    """The kept per-client rows the report counts (the studio's "invoiced sales only"
    preference chooses which of each client's two rows); no date range."""
    if filters.date_from is not None or filters.date_to is not None:
        raise ValueError("the kept client totals cover every date: use scanned()")
    rows = ClientSales.objects.filter(
        studio=studio, invoiced_only=reports_invoiced_only(studio=studio), sales_count__gt=0
    )
    return rows.filter(currency=filters.currency) if filters.currency else rows


def rolled_up(
    *, studio: Studio, filters: ReportFilters, limit: int | None = None
) -> list[ClientValueBlock]:
    """client_value() from the kept rows: with a limit, one query for the blocks' totals
    and one ORDER BY net DESC LIMIT n per currency (read from client_sales_top_idx);
    without, one pass over every row with its names, the totals added up here."""
    rows = client_rows(studio=studio, filters=filters)
    if limit is None:
        found = list(rows.order_by("currency", "-net_minor", "contact_id").values_list(*ROW_FIELDS))
        return _rolled_blocks(_block_totals(found), found)
    totals = {
        currency: (clients, int(count), int(gross), int(gross) - int(net))
        for currency, clients, count, gross, net in rows.values("currency")
        .annotate(c=Count("*"), n=Sum("sales_count"), g=Sum("gross_minor"), t=Sum("net_minor"))
        .order_by("currency")
        .values_list("currency", "c", "n", "g", "t")
    }
    found = []
    for currency in totals:
        top = rows.filter(currency=currency).order_by("-net_minor", "contact_id")
        found.extend(top.values_list(*ROW_FIELDS)[:limit])
    return _rolled_blocks(totals, found)


def _block_totals(found: list[tuple]) -> dict[str, tuple[int, int, int, int]]:
    """Per currency: clients, sales, gross, refunds of every row."""
    totals: dict[str, list[int]] = {}
    for currency, _, count, gross, net, *_ in found:
        block = totals.setdefault(currency, [0, 0, 0, 0])
        block[0] += 1
        block[1] += count
        block[2] += gross
        block[3] += gross - net
    return {currency: tuple(values) for currency, values in totals.items()}  # type: ignore[misc]


def _rolled_blocks(
    totals: dict[str, tuple[int, int, int, int]], found: list[tuple]
) -> list[ClientValueBlock]:
    blocks = {
        currency: ClientValueBlock(currency, clients, count, gross, refunds, rows=[])
        for currency, (clients, count, gross, refunds) in sorted(totals.items())
    }
    for currency, pk, count, gross, net, gallery, first, last, *name in found:
        blocks[currency].rows.append(
            ClientValueRow(
                contact_id=pk,
                contact_name=contact_name(*name),
                currency=currency,
                sales_count=count,
                gross_minor=gross,
                refunds_minor=gross - net,
                net_minor=net,
                average_order_minor=divide_rounded(gross, count),
                first_purchase=first,
                last_purchase=last,
                gallery_gross_minor=gallery,
                other_gross_minor=gross - gallery,
            )
        )
    return list(blocks.values())


def scanned(
    *, studio: Studio, filters: ReportFilters, limit: int | None = None
) -> list[ClientValueBlock]:
    """client_value() from the sales (any filters; a date range needs it).

    Each currency is one GROUP BY query ending in ORDER BY net DESC LIMIT n, a top-N sort
    (ranking every currency in one query with ROW_NUMBER() has to sort all clients)."""
    if filters.currency is None and limit is not None:
        return [
            block
            for currency in counted_currencies(studio=studio, filters=filters)
            for block in scanned(
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


def counted_currencies(*, studio: Studio, filters: ReportFilters) -> list[str]:
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
    if scoped.date_from is None and scoped.date_to is None:
        grouped = client_rows(studio=studio, filters=scoped).annotate(net=F("net_minor"))
    else:
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
