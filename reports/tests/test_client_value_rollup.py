"""Each client's kept totals (sales.client_rollup, ClientSales) stay equal to a
recomputation from the sales after any sequence of the writes that touch them — including
those that move sales between clients (an edit of the sale's contact, merging two
contacts) and that remove a client's first or last sale — and the client value report read
from them gives what the GROUP BY over every sale gives."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contacts import merging
from contacts import services as contacts
from contacts.models import Contact
from invoicing import services as invoicing
from reports.selectors import ReportFilters, client_value, client_value_distribution, segments
from reports.selectors import client_totals as totals_module
from reports.selectors.client_value import rolled_up, scanned
from reports.selectors.opportunities import lapsed_high_value_clients
from reports.tests.test_rollups import DAYS
from reports.tests.test_rollups import apply as apply_sale_write
from sales import client_rollup
from sales import services as sales
from sales.models import ClientSales, Sale
from testkit.factories import line, make_contact

pytestmark = pytest.mark.django_db
NAMES = ["Ada", "Grace", "Omar", "Hana"]


def people(studio) -> list[Contact]:
    return list(Contact.objects.for_studio(studio).order_by("pk"))


def assert_kept_rows_match(studio) -> None:
    assert client_rollup.check(studio.pk) == []
    for currency in (None, "GBP", "EUR"):
        for limit in (None, 2):
            filters = ReportFilters(currency=currency)
            kept = rolled_up(studio=studio, filters=filters, limit=limit)
            assert kept == scanned(studio=studio, filters=filters, limit=limit)
    for currency in ("GBP", "EUR"):
        filters = ReportFilters(currency=currency)
        dated = ReportFilters(dt.date(2000, 1, 1), dt.date(2100, 1, 1), currency)
        # No date range reads the kept rows, a range that covers every sale the sales.
        assert client_value(studio=studio, filters=filters) == client_value(
            studio=studio, filters=dated
        )
        assert client_value_distribution(
            studio=studio, filters=filters, currency=currency, exponent=2
        ) == client_value_distribution(studio=studio, filters=dated, currency=currency, exponent=2)
    assert_classified_alike(studio)


# As-of days: before, among and after DAYS (the kept rows serve those after every sale).
AS_OF = [dt.date(2026, 1, 31), dt.date(2026, 3, 15), dt.date(2026, 6, 1), dt.date(2027, 6, 1)]


def assert_classified_alike(studio) -> None:
    """Segments and past high-value clients read from the kept rows whenever they cover
    the question, and give what grouping the sales gives."""
    kept = {}
    for currency in (None, "GBP"):
        for day in AS_OF:
            filters = ReportFilters(date_to=day, currency=currency)
            kept[currency, day] = (
                segments(studio=studio, filters=filters),
                lapsed_high_value_clients(studio=studio, filters=filters, today=day),
            )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(totals_module, "kept_rows_cover", lambda **_: False)
        for (currency, day), found in kept.items():
            filters = ReportFilters(date_to=day, currency=currency)
            assert found == (
                segments(studio=studio, filters=filters),
                lapsed_high_value_clients(studio=studio, filters=filters, today=day),
            )


def test_kept_rows_cover_only_when_no_counted_sale_is_later(studio):
    ada = make_contact(studio, "Ada", "Tester")
    data = sales.SaleInput(contact=ada, sale_date=DAYS[2], currency="GBP", lines=[line()])
    sale = sales.create_sale(studio=studio, data=data)
    cover = totals_module.kept_rows_cover
    assert cover(studio=studio, filters=ReportFilters())
    assert cover(studio=studio, filters=ReportFilters(date_to=DAYS[2]))
    assert cover(studio=studio, filters=ReportFilters(date_to=dt.date.max))
    assert not cover(studio=studio, filters=ReportFilters(date_to=DAYS[1]))
    assert cover(studio=studio, filters=ReportFilters(date_to=DAYS[1], currency="EUR"))
    assert not cover(studio=studio, filters=ReportFilters(date_from=DAYS[0]))
    sales.cancel_sale(sale=sale)  # a cancelled sale is not counted: the rows cover again
    assert cover(studio=studio, filters=ReportFilters(date_to=DAYS[1]))


picks = st.integers(min_value=0, max_value=50)
client_writes = st.one_of(
    st.tuples(
        st.just("sell"),
        picks,
        st.sampled_from(DAYS),
        st.sampled_from(["GBP", "EUR"]),
        st.sampled_from(["manual", "pictime", "api"]),
        st.integers(min_value=1, max_value=50_000),
    ),
    st.tuples(st.just("move"), picks, picks),  # update_sale(contact=…)
    st.tuples(st.just("merge"), picks, picks),
    st.tuples(st.just("new_contact"), st.sampled_from(NAMES)),
    st.tuples(st.just("delete_contact"), picks),
    st.tuples(st.just("invoiced_only"), st.booleans()),
)
sale_writes = st.one_of(
    # The single-client writes of the daily rollup's own sequence test: date, currency,
    # status and lines edits, payments, refunds, cancel, delete, invoices, release.
    st.tuples(
        st.just("update"),
        picks,
        st.sampled_from(["sale_date", "currency", "source", "status", "lines", "shipping"]),
        st.integers(min_value=0, max_value=3),
    ),
    st.tuples(st.just("refund"), picks, st.integers(min_value=1, max_value=50_000)),
    st.tuples(st.just("edit_refund"), picks, st.integers(min_value=1, max_value=50_000)),
    st.tuples(st.just("delete_refund"), picks),
    st.tuples(st.just("cancel"), picks),
    st.tuples(st.just("delete"), picks),
    st.tuples(st.just("invoice"), picks, st.sampled_from(DAYS)),
    st.tuples(st.just("follow"), picks),
    st.tuples(st.just("unimport"), picks),
)
operations = st.one_of(client_writes, sale_writes)


def pick(items: list, index: int):
    return items[index % len(items)] if items else None


def apply(studio, operation: tuple) -> None:
    kind, *args = operation
    clients = people(studio)
    if kind == "sell":
        who, day, currency, source, price = args
        data = sales.SaleInput(
            contact=pick(clients, who),
            sale_date=day,
            currency=currency,
            source=source,
            lines=[line(price=price)],
        )
        sales.create_sale(studio=studio, data=data)
    elif kind == "move":
        sale = pick(list(Sale.objects.filter(studio=studio).order_by("pk")), args[0])
        if sale is not None:
            sales.update_sale(sale=sale, contact=pick(clients, args[1]))
    elif kind == "merge" and len(clients) > 1:  # two different contacts
        first = args[0] % len(clients)
        second = (first + 1 + args[1] % (len(clients) - 1)) % len(clients)
        merging.merge_contacts(studio=studio, survivor=clients[first], duplicate=clients[second])
    elif kind == "new_contact":
        make_contact(studio, args[0], f"Tester{len(clients)}")
    elif kind == "delete_contact":
        contacts.delete_contact(contact=pick(clients, args[0]))  # refused while it has sales
    elif kind == "invoiced_only":
        invoicing.update_preferences(studio=studio, reports_invoiced_only=args[0])
    else:
        apply_sale_write(studio, pick(clients, 0), operation)


@given(steps=st.lists(operations, min_size=1, max_size=30))
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_sequence_of_writes_keeps_every_clients_totals(studio, steps):
    for name in NAMES[:2]:
        make_contact(studio, name, "Tester")
    for step in steps:
        # A refused step (a merge of a contact with itself, …) saves nothing.
        with contextlib.suppress(ValidationError):
            apply(studio, step)
    assert_kept_rows_match(studio)


def test_merging_two_clients_adds_their_rows_and_deletes_the_duplicates(studio):
    ada, grace = make_contact(studio, "Ada", "Tester"), make_contact(studio, "Grace", "Tester")
    sold = ((ada, DAYS[1], 1000), (grace, DAYS[0], 500), (grace, DAYS[3], 700))
    for who, day, price in sold:
        lines = [line(price=price)]
        data = sales.SaleInput(contact=who, sale_date=day, currency="GBP", lines=lines)
        sales.create_sale(studio=studio, data=data)
    merging.merge_contacts(studio=studio, survivor=ada, duplicate=grace)
    row = ClientSales.objects.get(studio=studio, invoiced_only=False)
    assert (row.contact_id, row.sales_count, row.gross_minor) == (ada.pk, 3, 2200)
    assert (row.first_sale, row.last_sale) == (DAYS[0], DAYS[3])
    assert client_rollup.check(studio.pk) == []


def test_removing_the_last_sale_of_a_client_recounts_its_dates(studio):
    ada = make_contact(studio, "Ada", "Tester")
    made = [
        sales.create_sale(
            studio=studio,
            data=sales.SaleInput(contact=ada, sale_date=day, currency="GBP", lines=[line()]),
        )
        for day in DAYS[:3]
    ]
    sales.cancel_sale(sale=made[2])
    sales.update_sale(sale=made[0], sale_date=DAYS[1])
    row = ClientSales.objects.get(studio=studio, invoiced_only=False)
    assert (row.sales_count, row.first_sale, row.last_sale) == (2, DAYS[1], DAYS[1])
    sales.delete_sale(sale=made[0])
    sales.delete_sale(sale=made[1])
    assert not ClientSales.objects.filter(studio=studio).exists()  # no sale, no row
