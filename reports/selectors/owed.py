"""Money owed: aged receivables per currency, and the instalments overdue today.

What a sale still owes is its balance (total − paid; refunds do not change it). The
balance is split over due dates: each instalment's unpaid part (payments allocated oldest
due first, invoicing.schedule_rules.allocate) is due on its date; what a schedule leaves
unscheduled, or the whole balance of a sale without one, is due on the invoice date (the
sale date until it is invoiced). Each part is aged by days past due: current (not yet
due), 1–30, 31–60, 61–90, 90+. Active sales only; never added across currencies.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import F, Min, Q, Sum, Value
from django.db.models.functions import Least

from accounts.models import Studio
from invoicing.models import Instalment
from invoicing.schedule_rules import allocate
from sales.models import Sale, SaleDue

BUCKETS = ("current", "1-30", "31-60", "61-90", "90+")
BUCKET_LABELS = {
    "current": "Current",
    "1-30": "1–30 days",
    "31-60": "31–60 days",
    "61-90": "61–90 days",
    "90+": "Over 90 days",
}


def bucket_of(days_overdue: int) -> str:
    if days_overdue <= 0:
        return "current"
    if days_overdue <= 30:
        return "1-30"
    if days_overdue <= 60:
        return "31-60"
    if days_overdue <= 90:
        return "61-90"
    return "90+"


@dataclass
class OwedSale:
    sale_id: int
    contact_id: int
    contact_name: str
    sale_date: dt.date
    owed_minor: int
    oldest_due_on: dt.date
    days_overdue: int
    buckets: dict[str, int] = field(default_factory=lambda: dict.fromkeys(BUCKETS, 0))


@dataclass
class OwedBlock:
    currency: str
    buckets: dict[str, int] = field(default_factory=lambda: dict.fromkeys(BUCKETS, 0))
    sales: list[OwedSale] = field(default_factory=list)

    @property
    def total_minor(self) -> int:
        return sum(self.buckets.values())

    @property
    def bucket_rows(self) -> list[tuple[str, str, int]]:
        return [(key, BUCKET_LABELS[key], self.buckets[key]) for key in BUCKETS]


def _bucket_edges(today: dt.date) -> tuple[dt.date, ...]:
    """The due dates where bucket_of changes: due on or after today is current, on or
    after today − 30 is 1–30, and so on."""
    return tuple(today - dt.timedelta(days=n) for n in (0, 30, 60, 90))


def _bucket_sums(today: dt.date) -> dict[str, Sum]:
    """Σ amount of the rows in each bucket, by due date (bucket_of in SQL)."""
    current, late_30, late_60, late_90 = _bucket_edges(today)
    ranges = {
        "current": Q(due_on__gte=current),
        "1-30": Q(due_on__lt=current, due_on__gte=late_30),
        "31-60": Q(due_on__lt=late_30, due_on__gte=late_60),
        "61-90": Q(due_on__lt=late_60, due_on__gte=late_90),
        "90+": Q(due_on__lt=late_90),
    }
    return {
        f"b{i}": Sum("amount_minor", filter=ranges[key], default=0) for i, key in enumerate(BUCKETS)
    }


def owed(*, studio: Studio, today: dt.date) -> list[OwedBlock]:
    """Per currency: the aged buckets and each owing sale, most overdue first.

    Read from what each sale still owes by due date (sales.models.SaleDue, kept by
    sales.owing whenever a sale, its payments, invoice or schedule change): one GROUP BY
    per sale and one per currency, no allocation here."""
    dues = SaleDue.objects.filter(studio=studio).order_by()
    sums = _bucket_sums(today)
    blocks = {
        row["currency"]: OwedBlock(
            row["currency"], {key: row[f"b{i}"] for i, key in enumerate(BUCKETS)}
        )
        for row in dues.values("currency").annotate(**sums).order_by("currency")
    }
    per_sale = (
        dues.values(
            "sale_id",
            "currency",
            "sale_date",
            "sale__contact_id",
            "sale__contact__first_name",
            "sale__contact__last_name",
            "sale__contact__company",
        )
        .annotate(
            owed=Sum("amount_minor"),
            oldest=Min("due_on"),
            # Most overdue first: days overdue stop at 0, so "not yet due" sales tie.
            overdue_from=Least(Min("due_on"), Value(today)),
            **sums,
        )
        .order_by("overdue_from", "-owed", "sale_id")
        .values_list(
            "sale_id",
            "currency",
            "sale_date",
            "sale__contact_id",
            "sale__contact__first_name",
            "sale__contact__last_name",
            "sale__contact__company",
            "owed",
            "oldest",
            *sums,
        )
    )
    for (
        sale_id,
        currency,
        sale_date,
        contact_id,
        first,
        last,
        company,
        total,
        oldest,
        *b,
    ) in per_sale:
        blocks[currency].sales.append(
            OwedSale(
                sale_id,
                contact_id,
                f"{first} {last}".strip() or company or "(no name)",
                sale_date,
                total,
                oldest,
                max((today - oldest).days, 0),
                dict(zip(BUCKETS, b, strict=True)),
            )
        )
    return list(blocks.values())


@dataclass(frozen=True)
class OverdueInstalment:
    sale_id: int
    contact_name: str
    currency: str
    due_on: dt.date
    outstanding_minor: int


def overdue_instalments(
    *, studio: Studio, today: dt.date, limit: int = 10
) -> list[OverdueInstalment]:
    """Instalments past their due date and not fully paid (for Home), oldest first."""
    candidates = (
        Instalment.objects.for_studio(studio)
        .filter(
            due_on__lt=today,
            sale__status=Sale.Status.ACTIVE,
            sale__total_minor__gt=F("sale__paid_minor"),
        )
        .values_list("sale_id", flat=True)
        .distinct()
    )
    sale_ids = list(candidates[:500])
    found: list[OverdueInstalment] = []
    sales = Sale.objects.filter(pk__in=sale_ids).select_related("contact")
    for sale in sales.prefetch_related("instalments"):
        ordered = sorted(sale.instalments.all(), key=lambda i: (i.due_on, i.position))
        paid = allocate([i.amount_minor for i in ordered], sale.paid_minor)
        for inst, got in zip(ordered, paid, strict=True):
            if inst.due_on < today and got < inst.amount_minor:
                found.append(
                    OverdueInstalment(
                        sale.pk,
                        sale.contact.display_name,
                        sale.currency,
                        inst.due_on,
                        inst.amount_minor - got,
                    )
                )
    found.sort(key=lambda o: (o.due_on, o.sale_id))
    return found[:limit]
