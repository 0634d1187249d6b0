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

from django.db import connection
from django.db.models import F

from accounts.models import Studio
from contacts.models import Contact
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


# One row per owing sale: its rows of SaleDue summed per bucket (bucket_of, by comparing
# due dates with the bucket edges), with the contact's name; most overdue first (days
# overdue stop at 0, so the sales not yet due tie). Sums cast back to BIGINT (PostgreSQL's
# SUM of a bigint is numeric). Plain SQL, not the ORM: the ORM's
# per-value converters cost more than the query itself at 100,000 owing sales. The sales
# are joined through the owing sales' partial index (sale_owing_idx): the report is of
# the sales that owe, and reading those few is cheaper than hashing every sale.
OWED_SQL = """
WITH per_sale AS (
  SELECT d.sale_id, d.currency, d.sale_date, CAST(SUM(d.amount_minor) AS BIGINT) AS owed,
         MIN(d.due_on) AS oldest,
         CAST(SUM(CASE WHEN d.due_on >= %s THEN d.amount_minor ELSE 0 END) AS BIGINT) AS b0,
         CAST(SUM(CASE WHEN d.due_on < %s AND d.due_on >= %s
                       THEN d.amount_minor ELSE 0 END) AS BIGINT) AS b1,
         CAST(SUM(CASE WHEN d.due_on < %s AND d.due_on >= %s
                       THEN d.amount_minor ELSE 0 END) AS BIGINT) AS b2,
         CAST(SUM(CASE WHEN d.due_on < %s AND d.due_on >= %s
                       THEN d.amount_minor ELSE 0 END) AS BIGINT) AS b3,
         CAST(SUM(CASE WHEN d.due_on < %s THEN d.amount_minor ELSE 0 END) AS BIGINT) AS b4
  FROM {dues} d
  WHERE d.studio_id = %s
  GROUP BY d.sale_id, d.currency, d.sale_date
)
SELECT p.sale_id, p.currency, p.sale_date, s.contact_id, c.first_name, c.last_name,
       c.company, p.owed, p.oldest, p.b0, p.b1, p.b2, p.b3, p.b4
FROM per_sale p
JOIN (
  SELECT id, contact_id FROM {sales}
  WHERE studio_id = %s AND status = 'active' AND total_minor > paid_minor
) s ON s.id = p.sale_id
JOIN {contacts} c ON c.id = s.contact_id
ORDER BY CASE WHEN p.oldest < %s THEN p.oldest ELSE %s END, p.owed DESC, p.sale_id
"""


def _owed_rows(studio: Studio, today: dt.date) -> list[tuple]:
    current, late_30, late_60, late_90 = (
        connection.ops.adapt_datefield_value(day) for day in _bucket_edges(today)
    )
    day = connection.ops.adapt_datefield_value(today)
    params = [current, current, late_30, late_30, late_60, late_60, late_90, late_90]
    sql = OWED_SQL.format(
        dues=SaleDue._meta.db_table,
        sales=Sale._meta.db_table,
        contacts=Contact._meta.db_table,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, studio.pk, studio.pk, day, day])
        return cursor.fetchall()


def _date(value: dt.date | str) -> dt.date:
    """SQLite hands dates back as ISO text."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _same(value: dt.date) -> dt.date:
    return value


def owed(*, studio: Studio, today: dt.date) -> list[OwedBlock]:
    """Per currency: the aged buckets and each owing sale, most overdue first.

    Read from what each sale still owes by due date (sales.models.SaleDue, kept by
    sales.owing whenever a sale, its payments, invoice or schedule change): one GROUP BY,
    no allocation here."""
    blocks: dict[str, OwedBlock] = {}
    sums: dict[str, list[int]] = {}
    as_date = _date if connection.vendor == "sqlite" else _same
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
    ) in _owed_rows(studio, today):
        oldest = as_date(oldest)
        block = blocks.get(currency)
        if block is None:
            block = blocks[currency] = OwedBlock(currency)
            sums[currency] = [0, 0, 0, 0, 0]
        block.sales.append(
            OwedSale(
                sale_id,
                contact_id,
                f"{first} {last}".strip() or company or "(no name)",
                as_date(sale_date),
                total,
                oldest,
                max((today - oldest).days, 0),
                dict(zip(BUCKETS, b, strict=True)),
            )
        )
        block_sums = sums[currency]
        for index in range(5):
            block_sums[index] += b[index]
    for currency, block in blocks.items():
        block.buckets = dict(zip(BUCKETS, sums[currency], strict=True))
    return [blocks[currency] for currency in sorted(blocks)]


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
