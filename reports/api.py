"""REST API of the reports (django-ninja): the same figures and filters as the pages, for
Zapier and spreadsheets. Mounted by api/v1.py under /reports, so the v1 API's key
authentication, rate limit and JSON errors apply:

    GET /api/v1/reports/client-value   GET /api/v1/reports/segments
    GET /api/v1/reports/opportunities  GET /api/v1/reports/sales
    GET /api/v1/reports/owed           (aged receivables; reports/selectors/owed.py)

Filters: `date_from`, `date_to` (sale dates, inclusive), `currency` (ISO 4217, or `all`;
the studio's default currency when omitted). Amounts are integer minor units with the
currency, plus a decimal string for display.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from accounts.models import Studio
from core.clock import studio_today
from core.dates import ApiDate
from core.money import MoneyError, from_minor, normalize_currency
from core.params import COMMON_ERROR_STATUSES, QueryParams
from reports import selectors
from reports.selectors import ALL_CURRENCIES, ReportFilters

MAX_LIMIT = 100_000


class ReportQuery(QueryParams):
    date_from: ApiDate | None = Field(None, description="Sale date on or after.")
    date_to: ApiDate | None = Field(None, description="Sale date on or before.")
    currency: str | None = Field(
        None,
        pattern=r"^([A-Za-z]{3}|all)$",
        description="ISO 4217 code, or `all` for one block per currency; default: the "
        "studio's default currency.",
    )


class ClientValueQuery(ReportQuery):
    limit: int | None = Field(
        None, ge=1, le=MAX_LIMIT, description="Top N clients per currency (default: all)."
    )


class FiltersOut(Schema):
    date_from: dt.date | None
    date_to: dt.date | None
    currency: str


class ReportErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, str] | None = None


class ReportErrorOut(Schema):
    error: ReportErrorDetail


ERRORS = dict.fromkeys(COMMON_ERROR_STATUSES, ReportErrorOut)


class ClientOut(Schema):
    contact_id: int
    contact_name: str
    sales_count: int
    gross_minor: int
    gross: str
    refunds_minor: int
    refunds: str
    net_minor: int
    net: str
    average_order_minor: int
    average_order: str
    first_purchase: dt.date
    last_purchase: dt.date
    gallery_gross_minor: int
    other_gross_minor: int
    gallery_share: float | None = Field(description="Percent of gross from gallery orders.")


class ClientValueBlockOut(Schema):
    currency: str
    client_count: int
    sales_count: int
    gross_minor: int
    refunds_minor: int
    net_minor: int
    net: str
    clients: list[ClientOut]


class ClientValueOut(Schema):
    filters: FiltersOut
    blocks: list[ClientValueBlockOut]


class SegmentMemberOut(Schema):
    contact_id: int
    contact_name: str
    recency_days: int
    frequency: int
    net_minor: int
    net: str
    last_purchase: dt.date


class SegmentOut(Schema):
    key: str
    label: str
    description: str
    count: int
    net_minor: int
    clients: list[SegmentMemberOut]


class SegmentBlockOut(Schema):
    currency: str
    as_of: dt.date
    top_threshold_minor: int
    segments: list[SegmentOut]


class SegmentsOut(Schema):
    filters: FiltersOut
    blocks: list[SegmentBlockOut]


class OpportunityOut(Schema):
    contact_id: int | None
    contact_name: str
    reason: str
    date: dt.date
    shoot_id: int | None
    shoot_title: str
    currency: str
    amount_minor: int | None
    amount: str | None


class OpportunityListOut(Schema):
    kind: str
    label: str
    items: list[OpportunityOut]


class OpportunitiesOut(Schema):
    filters: FiltersOut
    lists: list[OpportunityListOut]


class FiguresOut(Schema):
    count: int
    gross_minor: int
    refunds_minor: int
    net_minor: int
    average_order_minor: int


class MonthOut(Schema):
    month: str = Field(description="YYYY-MM")
    total: FiguresOut
    by_source: dict[str, FiguresOut]


class KindOut(Schema):
    key: str
    label: str
    lines: int
    quantity: int
    total_minor: int
    share: float


class SalesBlockOut(Schema):
    currency: str
    summary: FiguresOut
    refunded_sales: int
    cancelled_sales: int
    months: list[MonthOut]
    product_kinds: list[KindOut]


class SalesOut(Schema):
    filters: FiltersOut
    blocks: list[SalesBlockOut]


def report_filters(request: HttpRequest, query: ReportQuery) -> ReportFilters:
    """The query's filters, or ValidationError (422) for a bad currency or date range."""
    errors = {}
    currency = query.currency or request.studio.default_currency
    if currency.lower() == ALL_CURRENCIES:
        currency = None
    else:
        try:
            currency = normalize_currency(currency)
        except MoneyError:
            errors["currency"] = "Not an ISO 4217 currency code (or 'all')."
    if query.date_from and query.date_to and query.date_from > query.date_to:
        errors["date_to"] = "The end date is before the start date."
    if errors:
        raise ValidationError(errors)
    return ReportFilters(date_from=query.date_from, date_to=query.date_to, currency=currency)


def _filters_out(filters: ReportFilters) -> dict:
    return {
        "date_from": filters.date_from,
        "date_to": filters.date_to,
        "currency": filters.currency or ALL_CURRENCIES,
    }


def _decimal(minor: int, currency: str) -> str:
    return str(from_minor(minor, currency))


def _figures(figures: selectors.Figures) -> dict:
    return {
        "count": figures.count,
        "gross_minor": figures.gross_minor,
        "refunds_minor": figures.refunds_minor,
        "net_minor": figures.net_minor,
        "average_order_minor": figures.average_order_minor,
    }


def _client(row: selectors.ClientValueRow) -> dict:
    currency = row.currency
    share = row.gallery_share
    return {
        "contact_id": row.contact_id,
        "contact_name": row.contact_name,
        "sales_count": row.sales_count,
        **{
            f"{name}{suffix}": value
            for name in ("gross", "refunds", "net", "average_order")
            for suffix, value in (
                ("_minor", getattr(row, f"{name}_minor")),
                ("", _decimal(getattr(row, f"{name}_minor"), currency)),
            )
        },
        "first_purchase": row.first_purchase,
        "last_purchase": row.last_purchase,
        "gallery_gross_minor": row.gallery_gross_minor,
        "other_gross_minor": row.other_gross_minor,
        "gallery_share": float(share) if share is not None else None,
    }


def _sales_blocks(studio, filters: ReportFilters) -> list[dict]:
    summaries = {s.currency: s for s in selectors.sales_summary(studio=studio, filters=filters)}
    kinds = {k.currency: k for k in selectors.sales_by_product_kind(studio=studio, filters=filters)}
    blocks = []
    for block in selectors.sales_by_month(studio=studio, filters=filters):
        summary = summaries[block.currency]
        kind_rows = kinds[block.currency].rows if block.currency in kinds else []
        blocks.append(
            {
                "currency": block.currency,
                "summary": _figures(summary.figures),
                "refunded_sales": summary.refunded_sales,
                "cancelled_sales": summary.cancelled_sales,
                "months": [
                    {
                        "month": f"{row.month:%Y-%m}",
                        "total": _figures(row.total),
                        "by_source": {k: _figures(v) for k, v in row.by_source.items()},
                    }
                    for row in block.months
                ],
                "product_kinds": [vars(row) for row in kind_rows],
            }
        )
    return blocks


class OwedQuery(QueryParams):
    currency: str | None = Field(
        None, pattern=r"^[A-Za-z]{3}$", description="ISO 4217 code; every currency if omitted."
    )


class OwedBucketsOut(Schema):
    current: int
    days_1_30: int
    days_31_60: int
    days_61_90: int
    days_90_plus: int


class OwedSaleOut(Schema):
    sale_id: int
    contact_id: int
    contact_name: str
    sale_date: dt.date
    owed_minor: int
    owed: str
    oldest_due_on: dt.date
    days_overdue: int
    buckets: OwedBucketsOut


class OwedBlockOut(Schema):
    currency: str
    total_minor: int
    total: str
    buckets: OwedBucketsOut
    sales: list[OwedSaleOut]


class OwedOut(Schema):
    as_of: dt.date
    blocks: list[OwedBlockOut]


OWED_KEYS = {
    "current": "current",
    "1-30": "days_1_30",
    "31-60": "days_31_60",
    "61-90": "days_61_90",
    "90+": "days_90_plus",
}


def _buckets(buckets: dict[str, int]) -> dict[str, int]:
    return {OWED_KEYS[key]: amount for key, amount in buckets.items()}


def owed_body(studio: Studio, currency: str | None) -> dict:
    today = studio_today(studio)
    blocks = selectors.owed(studio=studio, today=today)
    if currency:
        blocks = [b for b in blocks if b.currency == currency.upper()]
    return {
        "as_of": today,
        "blocks": [
            {
                "currency": b.currency,
                "total_minor": b.total_minor,
                "total": _decimal(b.total_minor, b.currency),
                "buckets": _buckets(b.buckets),
                "sales": [
                    vars(s)
                    | {
                        "owed": _decimal(s.owed_minor, b.currency),
                        "buckets": _buckets(s.buckets),
                    }
                    for s in b.sales
                ],
            }
            for b in blocks
        ],
    }


def build_router() -> Router:
    """A new router (a ninja Router belongs to one API: tests mount their own)."""
    router = Router(tags=["reports"])

    @router.get("/client-value", response={200: ClientValueOut, **ERRORS})
    def client_value(request: HttpRequest, query: Query[ClientValueQuery]) -> dict:
        """Per client and currency: sales, gross, refunds, net, average order, first and
        last purchase, gallery share; by net, most important first. Cancelled sales are
        excluded."""
        filters = report_filters(request, query)
        blocks = selectors.client_value(studio=request.studio, filters=filters, limit=query.limit)
        return {
            "filters": _filters_out(filters),
            "blocks": [
                {
                    "currency": block.currency,
                    "client_count": block.client_count,
                    "sales_count": block.sales_count,
                    "gross_minor": block.gross_minor,
                    "refunds_minor": block.refunds_minor,
                    "net_minor": block.net_minor,
                    "net": _decimal(block.net_minor, block.currency),
                    "clients": [_client(row) for row in block.rows],
                }
                for block in blocks
            ],
        }

    @router.get("/segments", response={200: SegmentsOut, **ERRORS})
    def segments(request: HttpRequest, query: Query[ReportQuery]) -> dict:
        """RFM segments per currency: champions, loyal, new, at risk, lapsed."""
        filters = report_filters(request, query)
        blocks = selectors.segments(studio=request.studio, filters=filters)
        return {
            "filters": _filters_out(filters),
            "blocks": [
                {
                    "currency": block.currency,
                    "as_of": block.as_of,
                    "top_threshold_minor": block.top_threshold_minor,
                    "segments": [
                        {
                            "key": segment.key,
                            "label": segment.label,
                            "description": segment.description,
                            "count": segment.count,
                            "net_minor": segment.net_minor,
                            "clients": [
                                member._asdict()
                                | {"net": _decimal(member.net_minor, block.currency)}
                                for member in segment.members
                            ],
                        }
                        for segment in block.segments
                    ],
                }
                for block in blocks
            ],
        }

    @router.get("/opportunities", response={200: OpportunitiesOut, **ERRORS})
    def opportunities(request: HttpRequest, query: Query[ReportQuery]) -> dict:
        """Further-sales opportunities as of today, each with its reason (the date range
        does not apply; the currency applies to the lists with amounts)."""
        filters = report_filters(request, query)
        lists = selectors.opportunities(studio=request.studio, filters=filters)
        return {
            "filters": _filters_out(filters),
            "lists": [
                {
                    "kind": each.kind,
                    "label": each.label,
                    "items": [
                        vars(item)
                        | {
                            "amount": _decimal(item.amount_minor, item.currency)
                            if item.currency and item.amount_minor is not None
                            else None
                        }
                        for item in each.items
                    ],
                }
                for each in lists
            ],
        }

    @router.get("/sales", response={200: SalesOut, **ERRORS})
    def sales(request: HttpRequest, query: Query[ReportQuery]) -> dict:
        """Per currency: summary (count, gross, refunds, net, average order), every month
        with figures by source (manual, pictime, shootproof, api) and product kinds."""
        filters = report_filters(request, query)
        return {
            "filters": _filters_out(filters),
            "blocks": _sales_blocks(request.studio, filters),
        }

    @router.get("/owed", response={200: OwedOut, **ERRORS})
    def owed(request: HttpRequest, query: Query[OwedQuery]) -> dict:
        """Money owed per currency: aged buckets (current, 1–30, 31–60, 61–90, over 90
        days past due) and every sale that still owes, most overdue first."""
        return owed_body(request.studio, query.currency)

    return router


router = build_router()
