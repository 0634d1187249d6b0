"""What each sale still owes, by due date (sales.models.SaleDue), for the money-owed
report. The rule (reports.selectors.owed's docstring): the balance (total − paid) of an
active sale is split over its instalments' due dates, payments allocated oldest due first
(invoicing.schedule_rules.allocate); what the schedule leaves unscheduled, or the whole
balance of a sale without one, is due on the current invoice's date (the sale date until
it is invoiced).

`refresh(sale_ids)` rewrites those sales' rows from the sales, instalments and invoices;
sales.rollup.keeping calls it for every sale its block wrote (sale writes, invoices and
schedules all run inside one), under the sales' row locks. Instalments and invoices are
looked up by name: invoicing builds on sales, not the other way round.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable

from django.apps import apps
from django.db import connection, transaction
from django.db.models import F, QuerySet

from sales.models import Sale, SaleDue

ID_CHUNK = 500
Part = tuple[int, int, str, dt.date, dt.date, int]  # studio, sale, currency, date, due, amount


def due_parts(
    total: int, paid: int, instalments: list[tuple], base: dt.date
) -> list[tuple[dt.date, int]]:
    """(due date, unpaid amount) of one sale, oldest first; `instalments` are (due_on,
    position, amount) tuples. What allocate() gives, in one pass."""
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


def owing_sales() -> QuerySet[Sale]:
    """Active sales whose total is above what was paid (index sale_owing_idx)."""
    return Sale.objects.filter(status=Sale.Status.ACTIVE, total_minor__gt=F("paid_minor"))


def computed(sales: QuerySet[Sale]) -> list[Part]:
    """The due parts of the owing ones among `sales`."""
    rows = list(
        sales.filter(status=Sale.Status.ACTIVE, total_minor__gt=F("paid_minor"))
        .order_by()
        .values_list("id", "studio_id", "currency", "sale_date", "total_minor", "paid_minor")
    )
    ids = [row[0] for row in rows]
    if not ids:
        return []
    instalment = apps.get_model("invoicing", "Instalment")
    invoice = apps.get_model("invoicing", "Invoice")
    schedules: dict[int, list[tuple]] = defaultdict(list)
    invoiced: dict[int, dt.date] = {}
    for start in range(0, len(ids), ID_CHUNK):
        chunk = ids[start : start + ID_CHUNK]
        for sale_id, due_on, position, amount in (
            instalment.objects.filter(sale_id__in=chunk)
            .order_by()
            .values_list("sale_id", "due_on", "position", "amount_minor")
        ):
            schedules[sale_id].append((due_on, position, amount))
        invoiced.update(
            invoice.objects.filter(sale_id__in=chunk, superseded=False)
            .order_by()
            .values_list("sale_id", "issued_on")
        )
    parts: list[Part] = []
    for sale_id, studio_id, currency, sale_date, total, paid in rows:
        base = invoiced.get(sale_id, sale_date)
        for due_on, amount in due_parts(total, paid, schedules.get(sale_id, []), base):
            parts.append((studio_id, sale_id, currency, sale_date, due_on, amount))
    return parts


def refresh(sale_ids: Iterable[int]) -> None:
    """Rewrite the given sales' rows (a deleted or paid-up sale keeps none)."""
    ids = sorted(set(sale_ids))
    for start in range(0, len(ids), ID_CHUNK):
        chunk = ids[start : start + ID_CHUNK]
        SaleDue.objects.filter(sale_id__in=chunk).delete()
        _write(computed(Sale.objects.filter(pk__in=chunk)))


def _write(parts: list[Part]) -> None:
    SaleDue.objects.bulk_create(
        (
            SaleDue(
                studio_id=studio_id,
                sale_id=sale_id,
                currency=currency,
                sale_date=sale_date,
                due_on=due_on,
                amount_minor=amount,
            )
            for studio_id, sale_id, currency, sale_date, due_on, amount in parts
        ),
        batch_size=2000,
    )


def check(studio_id: int | None = None) -> list[str]:
    """Every difference between the stored rows and a recomputation, in words."""
    sales = Sale.objects.all() if studio_id is None else Sale.objects.filter(studio_id=studio_id)
    want = sorted(computed(sales))
    rows = (
        SaleDue.objects.all() if studio_id is None else SaleDue.objects.filter(studio_id=studio_id)
    )
    have = sorted(
        rows.values_list("studio_id", "sale_id", "currency", "sale_date", "due_on", "amount_minor")
    )
    if want == have:
        return []
    wanted, stored = Counter(want), Counter(have)
    extra, missing = stored - wanted, wanted - stored
    return [f"owed row {part}: stored, the sales say no" for part in sorted(extra)] + [
        f"owed row {part}: missing, the sales say it is owed" for part in sorted(missing)
    ]


@transaction.atomic
def rebuild(studio_id: int | None = None) -> int:
    """Replace the stored rows with the recomputation. On PostgreSQL writers' refreshes
    wait until it commits, then rewrite their sales' rows on top."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {SaleDue._meta.db_table} IN EXCLUSIVE MODE")
    sales = Sale.objects.all() if studio_id is None else Sale.objects.filter(studio_id=studio_id)
    rows = (
        SaleDue.objects.all() if studio_id is None else SaleDue.objects.filter(studio_id=studio_id)
    )
    rows.delete()
    parts = computed(sales)
    _write(parts)
    return len(parts)
