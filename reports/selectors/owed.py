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
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F

from accounts.models import Studio
from invoicing.models import Instalment, Invoice
from invoicing.schedule_rules import allocate
from sales.models import Sale

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


# The owing sales: active, total above what was paid (sales.models.Sale's partial index
# sale_owing_idx has exactly this condition, so only their rows are read).
OWING = {"status": Sale.Status.ACTIVE, "total_minor__gt": F("paid_minor")}
VIA_SALE = {"sale__status": Sale.Status.ACTIVE, "sale__total_minor__gt": F("sale__paid_minor")}


def _owing(studio: Studio) -> list[tuple]:
    return list(
        Sale.objects.for_studio(studio)
        .filter(**OWING)
        .order_by()
        .values_list(
            "id",
            "currency",
            "contact_id",
            "contact__first_name",
            "contact__last_name",
            "contact__company",
            "sale_date",
            "total_minor",
            "paid_minor",
        )
    )


def _schedules(studio: Studio) -> dict[int, list[tuple]]:
    """The owing sales' instalments, as (due_on, position, amount) per sale."""
    schedules: dict[int, list[tuple]] = defaultdict(list)
    rows = Instalment.objects.filter(sale__studio=studio, **VIA_SALE).order_by()
    for sale_id, due_on, position, amount in rows.values_list(
        "sale_id", "due_on", "position", "amount_minor"
    ):
        schedules[sale_id].append((due_on, position, amount))
    return schedules


def _due_parts(total: int, paid: int, instalments: list[tuple], base: dt.date) -> list[tuple]:
    """(due date, unpaid amount) of one sale (module docstring): its instalments by due
    date, then what they leave unscheduled (due on `base`), paid oldest first — what
    invoicing.schedule_rules.allocate gives, in one pass."""
    instalments.sort()
    left = max(paid, 0)
    parts = []
    scheduled = 0
    for due_on, _, amount in instalments:
        scheduled += amount
        got = min(amount, left)
        left -= got
        if amount > got:
            parts.append((due_on, amount - got))
    unscheduled = total - scheduled
    if unscheduled > 0:
        got = min(unscheduled, left)
        if unscheduled > got:
            parts.append((base, unscheduled - got))
    return parts


def _bucket_edges(today: dt.date) -> tuple[dt.date, ...]:
    """The due dates where bucket_of changes: due on or after today is current, on or
    after today − 30 is 1–30, and so on (comparing dates, not counting days per part)."""
    return tuple(today - dt.timedelta(days=n) for n in (0, 30, 60, 90))


def owed(*, studio: Studio, today: dt.date) -> list[OwedBlock]:
    """Per currency: the aged buckets and each owing sale, most overdue first."""
    sales = _owing(studio)
    schedules = _schedules(studio)
    invoice_dates = dict(
        Invoice.objects.filter(sale__studio=studio, superseded=False, **VIA_SALE)
        .order_by()
        .values_list("sale_id", "issued_on")
    )
    current, late_30, late_60, late_90 = _bucket_edges(today)
    blocks: dict[str, OwedBlock] = {}
    for sale_id, currency, contact_id, first, last, company, sale_date, total, paid in sales:
        base = invoice_dates.get(sale_id, sale_date)
        parts = _due_parts(total, paid, schedules.get(sale_id, []), base)
        if not parts:
            continue
        buckets = dict.fromkeys(BUCKETS, 0)
        for due_on, amount in parts:
            if due_on >= current:
                buckets["current"] += amount
            elif due_on >= late_30:
                buckets["1-30"] += amount
            elif due_on >= late_60:
                buckets["31-60"] += amount
            elif due_on >= late_90:
                buckets["61-90"] += amount
            else:
                buckets["90+"] += amount
        oldest = min(parts)[0]
        name = f"{first} {last}".strip() or company or "(no name)"
        overdue = max((today - oldest).days, 0)
        row = OwedSale(
            sale_id, contact_id, name, sale_date, sum(buckets.values()), oldest, overdue, buckets
        )
        block = blocks.get(currency)
        if block is None:
            block = blocks[currency] = OwedBlock(currency)
        block.sales.append(row)
    for block in blocks.values():
        for row in block.sales:
            for key, amount in row.buckets.items():
                block.buckets[key] += amount
        block.sales.sort(key=lambda r: (-r.days_overdue, -r.owed_minor, r.sale_id))
    return [blocks[c] for c in sorted(blocks)]


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
