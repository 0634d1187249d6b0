"""Every read of invoicing, always scoped by studio."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, QuerySet, Sum

from accounts.models import Studio
from invoicing.models import (
    CreditNote,
    CreditNoteLine,
    Invoice,
    InvoiceLine,
    InvoicingSettings,
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
    credit notes (shipping and the order discount at 0 %, see invoicing.figures)."""
    span = {"issued_on__gte": period_from, "issued_on__lte": period_to}
    invoices = Invoice.objects.filter(studio=studio, **span)
    notes = CreditNote.objects.filter(studio=studio, **span)
    cells: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for sign, line_model, owner, documents in (
        (1, InvoiceLine, "invoice", invoices),
        (-1, CreditNoteLine, "credit_note", notes),
    ):
        lines = (
            line_model.objects.filter(**{f"{owner}__in": documents})
            .values(currency=F(f"{owner}__currency"), rate=F("tax_rate_bp"))
            .annotate(net=Sum("net_minor"), tax=Sum("tax_minor"))
            .order_by()
        )
        for row in lines:
            cell = cells[row["currency"]][row["rate"]]
            cell[0] += sign * row["net"]
            cell[1] += sign * row["tax"]
        extras = (
            documents.values("currency")
            .annotate(extra=Sum(F("shipping_minor") - F("order_discount_minor")))
            .order_by()
        )
        for row in extras:
            if row["extra"]:
                cells[row["currency"]][0][0] += sign * row["extra"]
    counts = {
        "invoices": _counts(invoices),
        "credit_notes": _counts(notes),
    }
    blocks = [
        TaxBlock(
            currency=currency,
            rows=[TaxRow(rate, net, tax) for rate, (net, tax) in sorted(rates.items())],
            invoices=counts["invoices"].get(currency, 0),
            credit_notes=counts["credit_notes"].get(currency, 0),
        )
        for currency, rates in sorted(cells.items())
    ]
    unfiled = (
        invoices.filter(filing__isnull=True).count() + notes.filter(filing__isnull=True).count()
    )
    return TaxReport(period_from, period_to, blocks, unfiled)


def _counts(documents: QuerySet) -> dict[str, int]:
    rows = documents.values("currency").annotate(n=Count("id")).order_by()
    return {row["currency"]: row["n"] for row in rows}
