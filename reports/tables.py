"""Each report as a flat table — the rows the page shows, one per line — for the CSV and
XLSX downloads. Amounts are Decimal numbers in major units beside their currency."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from accounts.models import Studio
from core.money import from_minor
from reports import selectors
from reports.selectors import ReportFilters
from reports.selectors.sales import SOURCE_LABELS


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = "text"  # text | int | money | date | percent


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[list]


def _money(minor: int | None, currency: str) -> Decimal | None:
    return None if minor is None else from_minor(minor, currency)


def client_value_table(studio: Studio, filters: ReportFilters) -> Table:
    columns = [
        Column("Currency"),
        Column("Contact ID", "int"),
        Column("Client"),
        Column("Sales", "int"),
        Column("Gross", "money"),
        Column("Refunds", "money"),
        Column("Net", "money"),
        Column("Average order", "money"),
        Column("First purchase", "date"),
        Column("Last purchase", "date"),
        Column("Gallery orders", "money"),
        Column("Other sources", "money"),
        Column("Gallery share (%)", "percent"),
    ]
    rows = [
        [
            row.currency,
            row.contact_id,
            row.contact_name,
            row.sales_count,
            _money(row.gross_minor, row.currency),
            _money(row.refunds_minor, row.currency),
            _money(row.net_minor, row.currency),
            _money(row.average_order_minor, row.currency),
            row.first_purchase,
            row.last_purchase,
            _money(row.gallery_gross_minor, row.currency),
            _money(row.other_gross_minor, row.currency),
            row.gallery_share,
        ]
        for block in selectors.client_value(studio=studio, filters=filters)
        for row in block.rows
    ]
    return Table("client-value", "Client value", columns, rows)


def segments_table(studio: Studio, filters: ReportFilters) -> Table:
    columns = [
        Column("Currency"),
        Column("Segment"),
        Column("Contact ID", "int"),
        Column("Client"),
        Column("Days since last purchase", "int"),
        Column("Sales", "int"),
        Column("Net", "money"),
        Column("Last purchase", "date"),
    ]
    rows = [
        [
            block.currency,
            segment.label,
            member.contact_id,
            member.contact_name,
            member.recency_days,
            member.frequency,
            _money(member.net_minor, block.currency),
            member.last_purchase,
        ]
        for block in selectors.segments(studio=studio, filters=filters)
        for segment in block.segments
        for member in segment.members
    ]
    return Table("segments", "Segments", columns, rows)


def opportunities_table(studio: Studio, filters: ReportFilters) -> Table:
    columns = [
        Column("Opportunity"),
        Column("Contact ID", "int"),
        Column("Client"),
        Column("Reason"),
        Column("Date", "date"),
        Column("Shoot ID", "int"),
        Column("Shoot"),
        Column("Currency"),
        Column("Amount", "money"),
    ]
    rows = [
        [
            each.label,
            item.contact_id,
            item.contact_name,
            item.reason,
            item.date,
            item.shoot_id,
            item.shoot_title,
            item.currency,
            _money(item.amount_minor, item.currency) if item.currency else None,
        ]
        for each in selectors.opportunities(studio=studio, filters=filters)
        for item in each.items
    ]
    return Table("opportunities", "Opportunities", columns, rows)


def sales_by_month_table(studio: Studio, filters: ReportFilters) -> Table:
    columns = [
        Column("Currency"),
        Column("Month"),
        Column("Source"),
        Column("Sales", "int"),
        Column("Gross", "money"),
        Column("Refunds", "money"),
        Column("Net", "money"),
    ]
    rows = []
    for block in selectors.sales_by_month(studio=studio, filters=filters):
        for month in block.months:
            for source in block.sources:
                figures = month.by_source.get(source, selectors.Figures())
                rows.append(
                    _figures_row(block.currency, month.month, SOURCE_LABELS[source], figures)
                )
            rows.append(_figures_row(block.currency, month.month, "All sources", month.total))
    return Table("sales-by-month", "Sales by month and source", columns, rows)


def _figures_row(currency: str, month: dt.date, source: str, figures) -> list:
    return [
        currency,
        f"{month:%Y-%m}",
        source,
        figures.count,
        _money(figures.gross_minor, currency),
        _money(figures.refunds_minor, currency),
        _money(figures.net_minor, currency),
    ]


def sales_by_kind_table(studio: Studio, filters: ReportFilters) -> Table:
    columns = [
        Column("Currency"),
        Column("Product kind"),
        Column("Lines", "int"),
        Column("Quantity", "int"),
        Column("Total", "money"),
        Column("Share (%)", "percent"),
    ]
    rows = [
        [
            block.currency,
            row.label,
            row.lines,
            row.quantity,
            _money(row.total_minor, block.currency),
            Decimal(str(row.share)),
        ]
        for block in selectors.sales_by_product_kind(studio=studio, filters=filters)
        for row in block.rows
    ]
    return Table("sales-by-kind", "Sales by product kind", columns, rows)


def sales_summary_table(studio: Studio, filters: ReportFilters) -> Table:
    columns = [
        Column("Currency"),
        Column("Sales", "int"),
        Column("Gross", "money"),
        Column("Refunds", "money"),
        Column("Net", "money"),
        Column("Average order", "money"),
        Column("Refunded sales", "int"),
        Column("Cancelled sales (excluded)", "int"),
    ]
    rows = []
    for summary in selectors.sales_summary(studio=studio, filters=filters):
        figures, currency = summary.figures, summary.currency
        rows.append(
            [
                currency,
                figures.count,
                _money(figures.gross_minor, currency),
                _money(figures.refunds_minor, currency),
                _money(figures.net_minor, currency),
                _money(figures.average_order_minor, currency),
                summary.refunded_sales,
                summary.cancelled_sales,
            ]
        )
    return Table("sales-summary", "Sales summary", columns, rows)


TABLES: dict[str, Callable[[Studio, ReportFilters], Table]] = {
    "client-value": client_value_table,
    "segments": segments_table,
    "opportunities": opportunities_table,
    "sales-by-month": sales_by_month_table,
    "sales-by-kind": sales_by_kind_table,
    "sales-summary": sales_summary_table,
}
