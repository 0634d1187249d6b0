"""Every read of invoicing, always scoped by studio."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet, Sum

from accounts.models import Studio
from invoicing.models import (
    CreditNote,
    Invoice,
    InvoicingSettings,
    TaxDay,
    TaxFiling,
)
from sales.models import Sale


def preferences(*, studio: Studio) -> InvoicingSettings:
    """The studio's settings (the defaults, unsaved, when it has none yet)."""
    return InvoicingSettings.objects.filter(studio=studio).first() or InvoicingSettings(
        studio=studio
    )


def reports_invoiced_only(*, studio: Studio) -> bool:
    return InvoicingSettings.objects.filter(studio=studio, reports_invoiced_only=True).exists()


def invoice_list(*, studio: Studio) -> QuerySet[Invoice]:
    return Invoice.objects.for_studio(studio).select_related("sale")


def credit_note_list(*, studio: Studio) -> QuerySet[CreditNote]:
    return CreditNote.objects.for_studio(studio).select_related("invoice")


def get_invoice(*, studio: Studio, pk: int) -> Invoice:
    """The studio's invoice, or Invoice.DoesNotExist."""
    return invoice_list(studio=studio).prefetch_related("lines", "credit_notes").get(pk=pk)


def get_credit_note(*, studio: Studio, pk: int) -> CreditNote:
    return credit_note_list(studio=studio).prefetch_related("lines").get(pk=pk)


def sale_invoice(*, sale: Sale) -> Invoice | None:
    """The sale's current invoice (not superseded), if it has one."""
    return Invoice.objects.filter(sale=sale, superseded=False).first()


def sale_credit_notes(*, sale: Sale) -> QuerySet[CreditNote]:
    return CreditNote.objects.filter(invoice__sale=sale).order_by("sequence")


def filings(*, studio: Studio) -> QuerySet[TaxFiling]:
    return TaxFiling.objects.for_studio(studio)


@dataclass
class TaxRow:
    rate_bp: int
    net_minor: int = 0
    tax_minor: int = 0

    @property
    def rate_percent(self) -> str:
        return f"{self.rate_bp / 100:g} %"

    @property
    def gross_minor(self) -> int:
        return self.net_minor + self.tax_minor


@dataclass
class TaxBlock:
    currency: str
    rows: list[TaxRow] = field(default_factory=list)
    invoices: int = 0
    credit_notes: int = 0

    @property
    def net_minor(self) -> int:
        return sum(row.net_minor for row in self.rows)

    @property
    def tax_minor(self) -> int:
        return sum(row.tax_minor for row in self.rows)


@dataclass
class TaxReport:
    period_from: dt.date
    period_to: dt.date
    blocks: list[TaxBlock]
    unfiled: int  # documents of the period not yet in a filed report


def tax_report(*, studio: Studio, period_from: dt.date, period_to: dt.date) -> TaxReport:
    """Net and tax per currency and rate of every invoice issued in the period, less its
    credit notes (shipping and the order discount at 0 %, see invoicing.figures).

    Read from the daily rollup (TaxDay, kept by invoicing.tax_rollup), not the document
    lines: a few rows per day of the period instead of every line."""
    span = {"issued_on__gte": period_from, "issued_on__lte": period_to}
    sums = (
        TaxDay.objects.filter(studio=studio, day__gte=period_from, day__lte=period_to, count__gt=0)
        .values("kind", "currency", "rate_bp")
        .annotate(n=Sum("count"), net=Sum("net_minor"), tax=Sum("tax_minor"))
        .order_by()
    )
    cells: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    counts: dict[str, dict[str, int]] = {TaxDay.Kind.INVOICE: {}, TaxDay.Kind.CREDIT_NOTE: {}}
    extras: list[tuple[int, str, int]] = []
    for row in sums:
        sign = 1 if row["kind"] == TaxDay.Kind.INVOICE else -1
        if row["rate_bp"] == TaxDay.DOCUMENTS:
            counts[row["kind"]][row["currency"]] = row["n"]
            extras.append((sign, row["currency"], row["net"]))
            continue
        cell = cells[row["currency"]][row["rate_bp"]]
        cell[0] += sign * row["net"]
        cell[1] += sign * row["tax"]
    for sign, currency, extra in extras:  # shipping − order discount, at 0 %, when any
        if extra:
            cells[currency][0][0] += sign * extra
    blocks = [
        TaxBlock(
            currency=currency,
            rows=[TaxRow(rate, net, tax) for rate, (net, tax) in sorted(rates.items())],
            invoices=counts[TaxDay.Kind.INVOICE].get(currency, 0),
            credit_notes=counts[TaxDay.Kind.CREDIT_NOTE].get(currency, 0),
        )
        for currency, rates in sorted(cells.items())
    ]
    unfiled = sum(
        model.objects.filter(studio=studio, filing__isnull=True, **span).count()
        for model in (Invoice, CreditNote)
    )
    return TaxReport(period_from, period_to, blocks, unfiled)
