"""The rollups under real simultaneous transactions (PostgreSQL): writers adding to the
same rollup row at once never lose an update (database-side increments)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable

import pytest
from django.db import connection, connections, transaction

from invoicing import services as invoicing
from invoicing import tax_rollup
from sales import client_rollup, owing
from sales import rollup as sales_rollup
from sales import services as sales
from sales.models import ClientSales, SaleDay
from testkit.factories import line

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs real concurrent transactions"
    ),
]
THREADS = 12
DAY = dt.date(2026, 3, 14)


def at_once(actions: list[Callable[[], object]]) -> list[Exception]:
    barrier = threading.Barrier(len(actions))
    errors: list[Exception] = []

    def run(action) -> None:
        try:
            barrier.wait(timeout=30)
            action()
        except Exception as exc:  # collected and asserted by the caller
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def sale_input(contact, price: int) -> sales.SaleInput:
    return sales.SaleInput(
        contact=contact, sale_date=DAY, currency="GBP", lines=[line(price=price)]
    )


def test_sales_added_to_the_same_day_at_once_are_all_counted(studio, contact):
    prices = [1000 + n for n in range(THREADS)]
    errors = at_once(
        [lambda p=p: sales.create_sale(studio=studio, data=sale_input(contact, p)) for p in prices]
    )
    assert errors == []
    row = SaleDay.objects.get(studio=studio, day=DAY, currency="GBP", source="manual")
    assert (row.sales_count, row.total_minor) == (THREADS, sum(prices))
    assert sales_rollup.check(studio.pk) == [] == owing.check(studio.pk)
    assert client_rollup.check(studio.pk) == []


def test_refunds_cancellations_and_invoices_at_once_keep_every_rollup(studio, contact):
    made = [sales.create_sale(studio=studio, data=sale_input(contact, 5000)) for _ in range(9)]
    actions = []
    for n, sale in enumerate(made):
        if n % 3 == 0:
            actions.append(
                lambda s=sale: sales.add_refund(sale=s, amount_minor=700, refunded_on=DAY)
            )
        elif n % 3 == 1:
            actions.append(lambda s=sale: sales.cancel_sale(sale=s))
        else:
            actions.append(lambda s=sale: invoicing.create_invoice(sale=s, issued_on=DAY))
    assert at_once(actions) == []
    assert sales_rollup.check(studio.pk) == []
    assert tax_rollup.check(studio.pk) == []
    assert owing.check(studio.pk) == []
    assert client_rollup.check(studio.pk) == []
    active = SaleDay.objects.filter(studio=studio, day=DAY)
    assert sum(r.sales_count for r in active) == 6
    assert sum(r.refunded_minor for r in active) == 3 * 700


def test_one_clients_sales_added_cancelled_and_re_dated_at_once_keep_its_row(studio, contact):
    """Additions raise the row's dates in place while cancellations and date changes
    recount it: each recount waits for the row's lock, then sees every committed sale."""
    made = [sales.create_sale(studio=studio, data=sale_input(contact, 3000)) for _ in range(6)]
    later = dt.date(2026, 9, 1)
    actions = [lambda p=p: sales.create_sale(studio=studio, data=sale_input(contact, p))
               for p in (100, 200, 300, 400)]  # fmt: skip
    actions += [lambda s=s: sales.cancel_sale(sale=s) for s in made[:4]]
    actions += [lambda s=s: sales.update_sale(sale=s, sale_date=later) for s in made[4:]]
    assert at_once(actions) == []
    assert client_rollup.check(studio.pk) == []
    row = ClientSales.objects.get(studio=studio, contact=contact, invoiced_only=False)
    assert (row.sales_count, row.gross_minor) == (6, 2 * 3000 + 1000)
    assert (row.first_sale, row.last_sale) == (DAY, later)


def waiting_on_a_lock(seconds: float = 10.0) -> bool:
    """True once another session of this database waits for a row lock."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0]:
                return True
        time.sleep(0.02)
    return False


def test_a_recount_waits_for_a_writer_holding_the_clients_row_then_sees_its_sale(studio, contact):
    """Deterministic order: a writer raises the client's last date and holds the row until
    told to commit; a cancellation of another of the client's sales must wait for it (the
    recount's upsert locks the row first) and then recount with the writer's sale. A
    recount that read before locking would overwrite the writer's sale with stale sums."""
    made = [sales.create_sale(studio=studio, data=sale_input(contact, 3000)) for _ in range(2)]
    later = dt.date(2026, 9, 1)
    written, commit = threading.Event(), threading.Event()

    def writer() -> None:
        with transaction.atomic():
            data = sales.SaleInput(
                contact=contact, sale_date=later, currency="GBP", lines=[line(price=500)]
            )
            sales.create_sale(studio=studio, data=data)
            written.set()
            commit.wait(timeout=30)

    def canceller() -> None:
        written.wait(timeout=30)
        sales.cancel_sale(sale=made[0])

    errors: list[Exception] = []

    def run(action: Callable[[], None]) -> None:
        try:
            action()
        except Exception as exc:  # asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(each,)) for each in (writer, canceller)]
    for thread in threads:
        thread.start()
    try:
        assert written.wait(timeout=30)
        assert waiting_on_a_lock(), "the cancellation did not wait for the writer's row"
    finally:
        commit.set()
        for thread in threads:
            thread.join(timeout=60)
    assert errors == []
    assert client_rollup.check(studio.pk) == []
    row = ClientSales.objects.get(studio=studio, contact=contact, invoiced_only=False)
    assert (row.sales_count, row.gross_minor) == (2, 3000 + 500)
    assert (row.first_sale, row.last_sale) == (DAY, later)
