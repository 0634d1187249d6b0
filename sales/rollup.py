"""The daily sales rollup (sales.models.SaleDay): what the reports read instead of a
million sales; and, for the same sales, each client's totals (sales.client_rollup) and
what each sale still owes (sales.owing). All are kept right by one chokepoint, `keeping`,
inside the transaction of every write to a sale's amounts, status, date, currency,
source, contact, invoice state or schedule.

How: `keeping(sale_ids)` reads what those sales contribute to the rollup before the
write (locking their rows), and again when the outermost `keeping` block ends; the
difference is added to the rollup rows (core.rollups.add_to_rollup: database-side
increments, so concurrent writers never lose an update). Nested blocks (create_invoice
inside follow_sale, recompute inside update_sale) join the outermost one, so each change
is counted once. Because both readings come from the database, a savepoint rolled back
inside the block, or a sale deleted by it, is counted as what the database holds.

`rebuild`/`check` recompute the rollup from the sales (the data migration and
`manage.py rebuild_report_rollups`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.db.models import Count, QuerySet, Sum

from core.rollups import (
    add_into,
    add_to_rollup,
    difference,
    mismatches,
    replace_rows,
    stored_rows,
)
from sales import client_rollup, owing
from sales.facts import Fact, invoiced, sale_facts
from sales.models import Sale, SaleDay

KEY_FIELDS = ("studio", "day", "currency", "source", "invoiced")
VALUE_FIELDS = ("sales_count", "total_minor", "refunded_minor")

Totals = dict[tuple, list[int]]


def day_totals(facts: Iterable[Fact]) -> Totals:
    """What these sales (sales.facts.sale_facts) add to the daily rollup now, per key:
    [count, Σ total, Σ refunded]. Cancelled and deleted sales add nothing."""
    totals: Totals = {}
    for fact in facts:
        if fact.active:
            key = (fact.studio_id, fact.day, fact.currency, fact.source, fact.invoiced)
            add_into(totals, key, (1, fact.total, fact.refunded))
    return totals


class Keeper:
    """The sales one outermost `keeping` block watches, with what they contributed before."""

    def __init__(self) -> None:
        self.before: Totals = {}
        self.clients_before: client_rollup.Entries = {}
        self.ids: set[int] = set()

    def watch(self, sale_ids: Iterable[int]) -> None:
        """Watch existing sales from now on (their current contribution is "before")."""
        fresh = {pk for pk in sale_ids if pk is not None} - self.ids
        if fresh:
            facts = sale_facts(fresh, lock=True)
            for key, values in day_totals(facts).items():
                add_into(self.before, key, values)
            self.clients_before.update(client_rollup.entries(facts))
            self.ids |= fresh

    def created(self, sale_id: int) -> None:
        """A sale made inside the block: it contributed nothing before."""
        self.ids.add(sale_id)

    def apply(self) -> None:
        facts = sale_facts(self.ids)
        add_to_rollup(SaleDay, KEY_FIELDS, VALUE_FIELDS, _changes(self.before, day_totals(facts)))
        client_rollup.apply(self.clients_before, client_rollup.entries(facts))  # client value
        owing.refresh(self.ids)  # what each still owes, by due date (money owed)


def _changes(before: Totals, after: Totals) -> dict[tuple, tuple[int, ...]]:
    return difference(
        {k: tuple(v) for k, v in before.items()}, {k: tuple(v) for k, v in after.items()}
    )


_open: ContextVar[Keeper | None] = ContextVar("sales_rollup_keeper", default=None)


@contextmanager
def keeping(sale_ids: Iterable[int] = ()) -> Iterator[Keeper]:
    """Keep the rollup right for the sales written inside the block (module docstring).
    Pass the existing sales the block changes; report a sale it creates with
    `keeper.created(pk)`."""
    outer = _open.get()
    if outer is not None:
        outer.watch(sale_ids)
        yield outer
        return
    with transaction.atomic():
        keeper = Keeper()
        token = _open.set(keeper)
        try:
            keeper.watch(sale_ids)
            yield keeper
            keeper.apply()
        finally:
            _open.reset(token)


def created(sale_id: int) -> None:
    """Tell the open `keeping` block about a sale it just made (before anything nested
    watches it): it contributed nothing before."""
    keeper = _open.get()
    if keeper is None:
        raise RuntimeError("sales.rollup.created() outside a keeping() block")
    keeper.created(sale_id)


# Recomputing from the sales ------------------------------------------------------------


def recomputed(studio_id: int | None = None) -> dict[tuple, tuple[int, ...]]:
    """The rollup as the sales say it should be (every studio, or one)."""
    sales: QuerySet[Sale] = Sale.objects.filter(status=Sale.Status.ACTIVE)
    if studio_id is not None:
        sales = sales.filter(studio_id=studio_id)
    rows = (
        sales.annotate(has_invoice=invoiced())
        .values("studio_id", "sale_date", "currency", "source", "has_invoice")
        .annotate(n=Count("*"), total=Sum("total_minor"), refunded=Sum("refunded_minor"))
        .order_by()
        .values_list(
            "studio_id",
            "sale_date",
            "currency",
            "source",
            "has_invoice",
            "n",
            "total",
            "refunded",
        )
    )
    return {tuple(row[:5]): tuple(row[5:]) for row in rows}


def stored(studio_id: int | None = None) -> dict[tuple, tuple[int, ...]]:
    """The rollup as stored, rows that add nothing left out."""
    return stored_rows(SaleDay, KEY_FIELDS, VALUE_FIELDS, studio_id)


def check(studio_id: int | None = None) -> list[str]:
    """Every difference between the stored rollup and the sales, in words (none: [])."""
    return mismatches("sales rollup", "sales", recomputed(studio_id), stored(studio_id))


@transaction.atomic
def rebuild(studio_id: int | None = None) -> int:
    """Replace the stored rollup with the recomputation; returns the rows written."""
    return replace_rows(SaleDay, KEY_FIELDS, VALUE_FIELDS, recomputed(studio_id), studio_id)


def keeps_rollup[**P, R](func: Callable[P, R]) -> Callable[P, R]:
    """Run a service inside `keeping`, watching the sale it writes: its `sale` keyword, or
    the sale of its `payment`/`refund` keyword; a Sale it returns that it made is counted
    as created."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with keeping(_sale_ids(kwargs)) as keeper:
            result = func(*args, **kwargs)
            if isinstance(result, Sale) and result.pk not in keeper.ids:
                keeper.created(result.pk)
            return result

    return wrapper


def _sale_ids(kwargs: dict) -> list[int]:
    sale = kwargs.get("sale")
    if sale is not None:
        return [sale.pk]
    row = kwargs.get("payment") or kwargs.get("refund")
    return [row.sale_id] if row is not None else []
