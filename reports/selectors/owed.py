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


def _owing(studio: Studio) -> list[dict]:
    return list(
        Sale.objects.for_studio(studio)
        .filter(status=Sale.Status.ACTIVE, total_minor__gt=F("paid_minor"))
        .order_by()
        .values(
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


def _due_parts(sale: dict, instalments: list[tuple], base: dt.date) -> list[tuple]:
    """(due date, unpaid amount) of one sale, oldest first (module docstring).
    `instalments` are (due_on, position, amount) tuples."""
    ordered = sorted(instalments)
    amounts = [amount for _, _, amount in ordered]
    dues = [due for due, _, _ in ordered]
    unscheduled = max(sale["total_minor"] - sum(amounts), 0)
    if unscheduled:
        amounts.append(unscheduled)
        dues.append(base)
    paid = allocate(amounts, sale["paid_minor"])
    return [(d, a - p) for d, a, p in zip(dues, amounts, paid, strict=True) if a > p]


def _name(sale: dict) -> str:
    name = f"{sale['contact__first_name']} {sale['contact__last_name']}".strip()
    return name or sale["contact__company"] or "(no name)"


def owed(*, studio: Studio, today: dt.date) -> list[OwedBlock]:
    """Per currency: the aged buckets and each owing sale, most overdue first."""
    sales = _owing(studio)
    # Two more queries, each joined to the same "owing" condition (no IN lists of ids):
    # the owing sales' instalments and their current invoice dates, as plain tuples.
    owing = {
        "sale__studio": studio,
        "sale__status": Sale.Status.ACTIVE,
        "sale__total_minor__gt": F("sale__paid_minor"),
    }
    schedules: dict[int, list[tuple]] = defaultdict(list)
    rows = Instalment.objects.filter(**owing).order_by()
    for sale_id, due_on, position, amount in rows.values_list(
        "sale_id", "due_on", "position", "amount_minor"
    ):
        schedules[sale_id].append((due_on, position, amount))
    invoice_dates = dict(
        Invoice.objects.filter(superseded=False, **owing)
        .order_by()
        .values_list("sale_id", "issued_on")
    )
    blocks: dict[str, OwedBlock] = {}
    for sale in sales:
        base = invoice_dates.get(sale["id"], sale["sale_date"])
        parts = _due_parts(sale, schedules.get(sale["id"], []), base)
        if not parts:
            continue
        oldest = min(d for d, _ in parts)
        row = OwedSale(
            sale_id=sale["id"],
            contact_id=sale["contact_id"],
            contact_name=_name(sale),
            sale_date=sale["sale_date"],
            owed_minor=sum(a for _, a in parts),
            oldest_due_on=oldest,
            days_overdue=max((today - oldest).days, 0),
        )
        for due_on, amount in parts:
            row.buckets[bucket_of((today - due_on).days)] += amount
        block = blocks.setdefault(sale["currency"], OwedBlock(sale["currency"]))
        block.sales.append(row)
        for key, amount in row.buckets.items():
            block.buckets[key] += amount
    for block in blocks.values():
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
