"""What every report shares: the filters, the "value" sales they count, the studio's today.

Value figures count active sales only: a cancelled sale is excluded everywhere, and
refunds reduce net (gross = Σ total_minor, net = gross − Σ refunded_minor). Amounts are
always grouped by currency and never added across currencies.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from accounts.models import Studio
from core.providers import Provider
from sales.models import Sale

ALL_CURRENCIES = "all"
# Sales imported from an online gallery: every provider (core.providers).
GALLERY_SOURCES = tuple(Provider.values)


@dataclass(frozen=True)
class ReportFilters:
    """Sale dates (both inclusive, None = open) and one currency (None = every currency)."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    currency: str | None = None

    @property
    def all_currencies(self) -> bool:
        return self.currency is None


def value_sales(*, studio: Studio, filters: ReportFilters) -> QuerySet[Sale]:
    """The studio's active sales within the filters, unordered (ready for GROUP BY)."""
    sales = Sale.objects.for_studio(studio).filter(status=Sale.Status.ACTIVE)
    return filter_sales(sales, filters)


def filter_sales(sales: QuerySet[Sale], filters: ReportFilters) -> QuerySet[Sale]:
    if filters.date_from:
        sales = sales.filter(sale_date__gte=filters.date_from)
    if filters.date_to:
        sales = sales.filter(sale_date__lte=filters.date_to)
    if filters.currency:
        sales = sales.filter(currency=filters.currency)
    return sales.order_by()


def sale_currencies(*, studio: Studio) -> list[str]:
    """Every currency the studio has sold in, alphabetically (for the currency filter)."""
    return list(
        Sale.objects.for_studio(studio)
        .order_by("currency")
        .values_list("currency", flat=True)
        .distinct()
    )


def divide_rounded(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half away from zero, in integers (no float drift
    on large minor amounts); 0 when there is nothing to divide by."""
    if denominator == 0:
        return 0
    quotient, remainder = divmod(abs(numerator), denominator)
    if remainder * 2 >= denominator:
        quotient += 1
    return quotient if numerator >= 0 else -quotient


def contact_name(first_name: str, last_name: str, company: str) -> str:
    """Contact.display_name from the three columns a grouped query returns."""
    name = f"{first_name} {last_name}".strip()
    return name or company or "(no name)"
