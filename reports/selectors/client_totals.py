"""Each client's totals per currency up to a day: what segments and past high-value
clients classify (count, gross, net, first and last sale, optionally the names).

Read from the totals the sales services keep per client (sales.models.ClientSales, one
row per client and currency) when those give exactly the same figures: no start date,
and no counted sale dated after the day (the kept rows cover every date, so a sale in the
future would be counted in them and not in a report "as of today"). Otherwise grouped
from the sales. Both give the same rows (reports/tests/test_client_value_rollup.py).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F, QuerySet

from accounts.models import Studio
from reports.selectors.client_value import NAME_FIELDS, client_rows, client_value_rows
from reports.selectors.common import ReportFilters
from reports.selectors.sales import rollup_days

TOTAL_FIELDS = ("currency", "contact_id", "sales_count", "gross", "net", "first", "last")


def kept_rows_cover(*, studio: Studio, filters: ReportFilters) -> bool:
    """True when the kept per-client rows count exactly the sales of `filters`: no start
    date, and no counted sale after the end date (one look-up in the daily rollup)."""
    if filters.date_from is not None:
        return False
    if filters.date_to is None or filters.date_to == dt.date.max:
        return True
    next_day = filters.date_to + dt.timedelta(days=1)
    later = ReportFilters(date_from=next_day, currency=filters.currency)
    return not rollup_days(studio=studio, filters=later).exists()


def client_totals(*, studio: Studio, filters: ReportFilters, with_names: bool = False) -> QuerySet:
    """Per (currency, contact) within `filters`, unordered: TOTAL_FIELDS (and the
    contact's name columns with `with_names`)."""
    names = NAME_FIELDS if with_names else ()
    if not kept_rows_cover(studio=studio, filters=filters):
        return client_value_rows(studio=studio, filters=filters, with_names=with_names)
    kept = client_rows(studio=studio, filters=ReportFilters(currency=filters.currency))
    return kept.annotate(
        gross=F("gross_minor"), net=F("net_minor"), first=F("first_sale"), last=F("last_sale")
    ).values(*TOTAL_FIELDS, *names)
