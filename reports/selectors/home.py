"""The home page's summary: this month's sales, new Inbox orders, top clients and the
first few opportunities."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from accounts.models import Studio
from core.clock import studio_today
from inbox.models import InboxItem
from reports.selectors.client_value import ClientValueBlock, client_value
from reports.selectors.common import ReportFilters
from reports.selectors.opportunities import Opportunity, opportunities, top_opportunities
from reports.selectors.sales import SalesSummary, sales_summary

TOP_COUNT = 5
# Past high-value clients need every client's value ranked (three aggregations of all
# sales): the Opportunities tab lists them; the home page keeps to the cheap lists.
HOME_OPPORTUNITIES = ("unordered_gallery", "returning_client_shoot", "digital_only", "anniversary")


@dataclass(frozen=True)
class HomeSummary:
    month_start: dt.date
    this_month: list[SalesSummary]
    new_inbox_orders: int
    top_clients: ClientValueBlock | None
    top_opportunities: list[Opportunity]


def home_summary(*, studio: Studio) -> HomeSummary:
    today = studio_today(studio)
    month_start = today.replace(day=1)
    this_month = sales_summary(
        studio=studio, filters=ReportFilters(date_from=month_start, date_to=today)
    )
    new_orders = InboxItem.objects.filter(
        studio=studio, state=InboxItem.State.NEW, kind=InboxItem.Kind.ORDER
    ).count()
    lists = opportunities(
        studio=studio, filters=ReportFilters(), limit=TOP_COUNT, kinds=HOME_OPPORTUNITIES
    )
    return HomeSummary(
        month_start=month_start,
        this_month=[summary for summary in this_month if summary.figures.count],
        new_inbox_orders=new_orders,
        top_clients=_top_clients(studio),
        top_opportunities=top_opportunities(lists, TOP_COUNT),
    )


def _top_clients(studio: Studio) -> ClientValueBlock | None:
    """The five best clients in the studio's default currency (or, with no sales in it,
    in the currency with the most clients): amounts are never compared across currencies."""
    default = client_value(
        studio=studio,
        filters=ReportFilters(currency=studio.default_currency),
        limit=TOP_COUNT,
    )
    if default:
        return default[0]
    blocks = client_value(studio=studio, filters=ReportFilters(), limit=TOP_COUNT)
    return max(blocks, key=lambda block: block.client_count, default=None)
