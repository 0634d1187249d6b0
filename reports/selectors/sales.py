"""Sales over time: by month and source, by product kind, and the period's summary
(count, gross, refunds, net, average order, cancelled sales left out).

Month buckets come from TruncMonth on sale_date, a date (so no time zone is involved),
which SQLite and PostgreSQL both support. Product kinds are the only figures that need
the lines: they sum SaleLine.total_minor (before shipping and order discounts; refunds
are recorded per sale, so they are not split by kind).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from accounts.models import Studio
from invoicing.selectors import reports_invoiced_only
from reports.selectors.common import (
    ReportFilters,
    counted_sales,
    divide_rounded,
    filter_sales,
)
from sales.models import Sale, SaleDay, SaleLine

SOURCES = tuple(Sale.Source.values)
SOURCE_LABELS = dict(Sale.Source.choices)
KIND_GROUPS = (
    ("prints", "Prints", (SaleLine.Kind.PRINT,)),
    ("albums", "Albums", (SaleLine.Kind.ALBUM,)),
    ("wall_art", "Wall art", (SaleLine.Kind.WALL_ART,)),
    ("digital", "Digital", (SaleLine.Kind.DIGITAL,)),
    ("packages", "Packages", (SaleLine.Kind.PACKAGE,)),
    (
        "other",
        "Sessions, services and other",
        (
            SaleLine.Kind.SESSION,
            SaleLine.Kind.SERVICE,
            SaleLine.Kind.PRODUCT,
        ),
    ),
)
MAX_FILLED_MONTHS = 240  # empty months are listed within ranges up to 20 years
GROUP_OF_KIND = {kind: key for key, _, kinds in KIND_GROUPS for kind in kinds}


class SaleMonth(TruncMonth):
    """TruncMonth of a date. On SQLite it uses the built-in date(…, 'start of month')
    instead of Django's date_trunc, a Python function called once per row (seconds for a
    million sales); PostgreSQL keeps DATE_TRUNC."""

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.lhs)
        return f"date({sql}, 'start of month')", params


@dataclass
class Figures:
    """Active sales: how many, gross (Σ total) and refunds, in one currency."""

    count: int = 0
    gross_minor: int = 0
    refunds_minor: int = 0

    @property
    def net_minor(self) -> int:
        return self.gross_minor - self.refunds_minor

    @property
    def average_order_minor(self) -> int:
        return divide_rounded(self.gross_minor, self.count)

    def add(self, count: int, gross: int, refunds: int) -> None:
        self.count += count
        self.gross_minor += gross
        self.refunds_minor += refunds


@dataclass
class MonthRow:
    month: dt.date
    by_source: dict[str, Figures] = field(default_factory=dict)
    total: Figures = field(default_factory=Figures)


@dataclass
class MonthBlock:
    currency: str
    months: list[MonthRow]
    by_source: dict[str, Figures]
    total: Figures

    @property
    def sources(self) -> list[str]:
        """The sources that sold anything, in Sale.Source order."""
        return [source for source in SOURCES if self.by_source.get(source, Figures()).count]

    @property
    def source_labels(self) -> list[str]:
        return [SOURCE_LABELS[source] for source in self.sources]

    @property
    def source_totals(self) -> list[tuple[str, Figures]]:
        return [(SOURCE_LABELS[source], self.by_source[source]) for source in self.sources]

    @property
    def table_rows(self) -> list[tuple[MonthRow, list[Figures | None]]]:
        """Each month with its figures per source, aligned with `sources` (for tables)."""
        sources = self.sources
        return [(row, [row.by_source.get(source) for source in sources]) for row in self.months]


def sales_by_month(*, studio: Studio, filters: ReportFilters) -> list[MonthBlock]:
    """Per currency, every month of the range (empty months included) with each source's
    figures. One GROUP BY (currency, month, source) query over the daily rollup
    (sales.models.SaleDay, kept by sales.rollup): a few rows per day, not every sale."""
    rows = (
        rollup_days(studio=studio, filters=filters)
        .annotate(month=SaleMonth("day"))
        .values("currency", "month", "source")
        .annotate(count=Sum("sales_count"), gross=Sum("total_minor"), refunds=Sum("refunded_minor"))
        .order_by("currency", "month", "source")
    )
    grouped: dict[str, dict[dt.date, MonthRow]] = {}
    for row in rows:
        month = _as_date(row["month"])
        months = grouped.setdefault(row["currency"], {})
        month_row = months.setdefault(month, MonthRow(month))
        month_row.by_source.setdefault(row["source"], Figures()).add(
            row["count"], row["gross"], row["refunds"]
        )
        month_row.total.add(row["count"], row["gross"], row["refunds"])
    return [_month_block(currency, months, filters) for currency, months in grouped.items()]


def rollup_days(*, studio: Studio, filters: ReportFilters) -> QuerySet[SaleDay]:
    """The rollup rows of value_sales(): active sales (only rows that count any), invoiced
    ones only when the studio's preference says so, within the filters."""
    days = SaleDay.objects.for_studio(studio).filter(sales_count__gt=0)
    if reports_invoiced_only(studio=studio):
        days = days.filter(invoiced=True)
    if filters.date_from:
        days = days.filter(day__gte=filters.date_from)
    if filters.date_to:
        days = days.filter(day__lte=filters.date_to)
    if filters.currency:
        days = days.filter(currency=filters.currency)
    return days.order_by()


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _month_block(currency: str, months: dict[dt.date, MonthRow], filters: ReportFilters):
    first = _month_start(filters.date_from) if filters.date_from else min(months)
    last = _month_start(filters.date_to) if filters.date_to else max(months)
    if (last.year - first.year) * 12 > MAX_FILLED_MONTHS:
        # A range like 0001–9999 would fill 120,000 empty months: keep to the data.
        first, last = max(first, min(months)), min(last, max(months))
    rows = [months.get(month) or MonthRow(month) for month in month_range(first, last)]
    by_source: dict[str, Figures] = {}
    total = Figures()
    for row in rows:
        for source, figures in row.by_source.items():
            by_source.setdefault(source, Figures()).add(
                figures.count, figures.gross_minor, figures.refunds_minor
            )
        total.add(row.total.count, row.total.gross_minor, row.total.refunds_minor)
    return MonthBlock(currency, rows, by_source, total)


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_range(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every first-of-month from `first` to `last`, both included. Counted in months, not
    by adding days, so December of the last year a date can have ends the list instead of
    overflowing."""
    start = first.year * 12 + first.month - 1
    end = last.year * 12 + last.month - 1
    return [dt.date(index // 12, index % 12 + 1, 1) for index in range(start, end + 1)]


@dataclass(frozen=True)
class SalesSummary:
    currency: str
    figures: Figures
    refunded_sales: int
    cancelled_sales: int


def sales_summary(*, studio: Studio, filters: ReportFilters) -> list[SalesSummary]:
    """Per currency: active sales' figures, how many were (partly) refunded, and how many
    cancelled sales the figures leave out. One GROUP BY currency query."""
    active = Q(status=Sale.Status.ACTIVE)
    rows = (
        filter_sales(counted_sales(studio, Sale.objects.for_studio(studio)), filters)
        .values("currency")
        .annotate(
            count=Count("id", filter=active),
            gross=Sum("total_minor", filter=active, default=0),
            refunds=Sum("refunded_minor", filter=active, default=0),
            refunded_sales=Count("id", filter=active & Q(refunded_minor__gt=0)),
            cancelled=Count("id", filter=Q(status=Sale.Status.CANCELLED)),
        )
        .order_by("currency")
    )
    return [
        SalesSummary(
            currency=row["currency"],
            figures=Figures(row["count"], row["gross"], row["refunds"]),
            refunded_sales=row["refunded_sales"],
            cancelled_sales=row["cancelled"],
        )
        for row in rows
    ]


@dataclass(frozen=True)
class KindRow:
    key: str
    label: str
    lines: int
    quantity: int
    total_minor: int
    share: float  # of the currency's line totals, 0–100


@dataclass(frozen=True)
class KindBlock:
    currency: str
    rows: list[KindRow]

    @property
    def total_minor(self) -> int:
        return sum(row.total_minor for row in self.rows)


def sales_by_product_kind(*, studio: Studio, filters: ReportFilters) -> list[KindBlock]:
    """Per currency, line totals by product kind group (prints, albums, wall art,
    digital, packages, other) of active sales. One GROUP BY query over SaleLine."""
    lines = SaleLine.objects.for_studio(studio).filter(sale__status=Sale.Status.ACTIVE)
    if reports_invoiced_only(studio=studio):  # the studio's preference (counted_sales)
        lines = lines.filter(sale__in=counted_sales(studio, Sale.objects.for_studio(studio)))
    if filters.date_from:
        lines = lines.filter(sale__sale_date__gte=filters.date_from)
    if filters.date_to:
        lines = lines.filter(sale__sale_date__lte=filters.date_to)
    if filters.currency:
        lines = lines.filter(sale__currency=filters.currency)
    rows = (
        lines.order_by()
        .values("sale__currency", "product_kind")
        .annotate(lines=Count("id"), quantity=Sum("quantity"), total=Sum("total_minor"))
        .order_by("sale__currency")
    )
    sums: dict[str, dict[str, list[int]]] = {}
    for row in rows:
        group = GROUP_OF_KIND.get(row["product_kind"], "other")
        figures = sums.setdefault(row["sale__currency"], {}).setdefault(group, [0, 0, 0])
        figures[0] += row["lines"]
        figures[1] += row["quantity"]
        figures[2] += row["total"]
    return [_kind_block(currency, groups) for currency, groups in sums.items()]


def _kind_block(currency: str, groups: dict[str, list[int]]) -> KindBlock:
    whole = sum(figures[2] for figures in groups.values())
    rows = []
    for key, label, _ in KIND_GROUPS:
        lines, quantity, total = groups.get(key, (0, 0, 0))
        share = round(total * 100 / whole, 1) if whole > 0 else 0.0
        rows.append(KindRow(key, label, lines, quantity, total, share))
    return KindBlock(currency, rows)
