"""Every read of the reports, always scoped by studio (pure reads returning dataclasses).

Value figures count active sales only (cancelled ones are excluded) and group by
currency; refunds reduce net. See each module for its report.
"""

from reports.selectors.client_value import (
    ClientValueBlock,
    ClientValueRow,
    ValueBand,
    band_edges,
    client_value,
    client_value_distribution,
    client_value_rows,
)
from reports.selectors.common import (
    ALL_CURRENCIES,
    GALLERY_SOURCES,
    ReportFilters,
    sale_currencies,
    value_sales,
)
from reports.selectors.home import HomeSummary, home_summary
from reports.selectors.opportunities import (
    Opportunity,
    OpportunityList,
    next_anniversary,
    opportunities,
    top_opportunities,
)
from reports.selectors.sales import (
    Figures,
    KindBlock,
    KindRow,
    MonthBlock,
    MonthRow,
    SalesSummary,
    month_range,
    sales_by_month,
    sales_by_product_kind,
    sales_summary,
)
from reports.selectors.segments import (
    SEGMENTS,
    Segment,
    SegmentBlock,
    SegmentMember,
    classify,
    segments,
    top_threshold,
)

__all__ = [
    "ALL_CURRENCIES",
    "GALLERY_SOURCES",
    "SEGMENTS",
    "ClientValueBlock",
    "ClientValueRow",
    "Figures",
    "HomeSummary",
    "KindBlock",
    "KindRow",
    "MonthBlock",
    "MonthRow",
    "Opportunity",
    "OpportunityList",
    "ReportFilters",
    "SalesSummary",
    "Segment",
    "SegmentBlock",
    "SegmentMember",
    "ValueBand",
    "band_edges",
    "classify",
    "client_value",
    "client_value_distribution",
    "client_value_rows",
    "home_summary",
    "month_range",
    "next_anniversary",
    "opportunities",
    "sale_currencies",
    "sales_by_month",
    "sales_by_product_kind",
    "sales_summary",
    "segments",
    "top_opportunities",
    "top_threshold",
    "value_sales",
]
