"""Report pages (one tab each: client value, segments, opportunities, sales) and their
CSV / XLSX downloads. Thin: the figures come from reports.selectors, scoped by studio."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

from accounts.decorators import studio_required
from core.clock import studio_today
from core.money import MoneyError, currency_exponent
from reports import charts, exports, selectors
from reports.forms import ReportFilterForm, last_twelve_months
from reports.selectors import ReportFilters
from reports.tables import TABLES

PAGE_ROWS = 100  # per currency (client value) or per list (opportunities); downloads: all
MEMBERS_SHOWN = 20  # clients listed under each segment on the page
TABS = (
    ("client_value", "Client value", "reports:index"),
    ("segments", "Segments", "reports:segments"),
    ("opportunities", "Opportunities", "reports:opportunities"),
    ("sales", "Sales", "reports:sales"),
)


def _filter_form(request: HttpRequest, *, default_last_year: bool = False) -> ReportFilterForm:
    data: QueryDict = request.GET.copy()
    # Only when no date was given at all: submitting empty dates means "all time".
    if default_last_year and "date_from" not in data and "date_to" not in data:
        start, end = last_twelve_months(studio_today(request.studio))
        data["date_from"], data["date_to"] = start.isoformat(), end.isoformat()
    return ReportFilterForm(data or None, studio=request.studio)


def _page(request: HttpRequest, tab: str, form: ReportFilterForm, context: dict) -> HttpResponse:
    # Download links and tabs carry the filters as shown (the Sales tab's default dates too).
    query_string = form.data.urlencode() if form.is_bound else ""
    context |= {
        "tabs": TABS,
        "tab": tab,
        "form": form,
        "filters": form.filters(),
        "query_string": query_string,
    }
    return render(request, f"reports/{tab}.html", context)


@studio_required
def client_value(request: HttpRequest) -> HttpResponse:
    form = _filter_form(request)
    filters = form.filters()
    blocks = [
        {"block": block, "chart": _distribution_chart(request, filters, block.currency)}
        for block in selectors.client_value(studio=request.studio, filters=filters, limit=PAGE_ROWS)
    ]
    return _page(request, "client_value", form, {"blocks": blocks, "page_rows": PAGE_ROWS})


def _distribution_chart(request: HttpRequest, filters: ReportFilters, currency: str) -> str:
    try:
        exponent = currency_exponent(currency)
    except MoneyError:
        return ""
    bands = selectors.client_value_distribution(
        studio=request.studio, filters=filters, currency=currency, exponent=exponent
    )
    return charts.client_value_chart(bands, currency) if bands else ""


@studio_required
def segments(request: HttpRequest) -> HttpResponse:
    form = _filter_form(request)
    blocks = selectors.segments(studio=request.studio, filters=form.filters())
    return _page(
        request,
        "segments",
        form,
        {"blocks": blocks, "definitions": selectors.SEGMENTS, "members_shown": MEMBERS_SHOWN},
    )


@studio_required
def opportunities(request: HttpRequest) -> HttpResponse:
    form = _filter_form(request)
    lists = selectors.opportunities(studio=request.studio, filters=form.filters(), limit=PAGE_ROWS)
    return _page(
        request,
        "opportunities",
        form,
        {"lists": lists, "any_items": any(each.items for each in lists), "page_rows": PAGE_ROWS},
    )


@studio_required
def sales(request: HttpRequest) -> HttpResponse:
    form = _filter_form(request, default_last_year=True)
    filters = form.filters()
    studio = request.studio
    summaries = {s.currency: s for s in selectors.sales_summary(studio=studio, filters=filters)}
    kinds = {k.currency: k for k in selectors.sales_by_product_kind(studio=studio, filters=filters)}
    blocks = []
    for block in selectors.sales_by_month(studio=studio, filters=filters):
        kind_block = kinds.get(block.currency)
        blocks.append(
            {
                "months": block,
                "summary": summaries.get(block.currency),
                "kinds": kind_block,
                "month_chart": charts.sales_by_month_chart(block),
                "kind_chart": charts.product_kind_chart(kind_block) if kind_block else "",
            }
        )
    cancelled_only = [s for s in summaries.values() if not s.figures.count and s.cancelled_sales]
    return _page(request, "sales", form, {"blocks": blocks, "cancelled_only": cancelled_only})


@studio_required
def download(request: HttpRequest, report: str, fmt: str) -> HttpResponse:
    """The report's table as CSV or XLSX, with the same filters as the page."""
    if report not in TABLES or fmt not in ("csv", "xlsx"):
        raise Http404("No such report.")
    form = _filter_form(request, default_last_year=report.startswith("sales-"))
    filters = form.filters()
    table = TABLES[report](request.studio, filters)
    name = exports.filename(table, filters, studio_today(request.studio), fmt)
    if fmt == "csv":
        return exports.csv_response(table, name)
    return exports.xlsx_response(table, name)
