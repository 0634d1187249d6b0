"""The rollups the reports read (sales.rollup's SaleDay, invoicing.tax_rollup's TaxDay)
stay equal to a recomputation from the sales and documents after any sequence of the
operations that write them, and the reports read from them give what the scans of every
sale and document gave (the oracles below are the reports' previous queries)."""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
from collections import defaultdict

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from invoicing import schedules, tax_rollup
from invoicing import services as invoicing
from invoicing.models import CreditNote, CreditNoteLine, Invoice, InvoiceLine, TaxDay
from invoicing.selectors import tax_report
from reports.selectors import ReportFilters, sales_by_month, value_sales
from reports.selectors.client_value import counted_currencies, rolled_up
from reports.selectors.client_value import scanned as scanned_client_value
from reports.selectors.sales import SaleMonth
from reports.tests.test_owed_same_figures import oracle as owed_oracle
from reports.tests.test_owed_same_figures import report as owed_report
from sales import client_rollup, owing, payments
from sales import rollup as sales_rollup
from sales import services as sales
from sales.models import ClientSales, Sale, SaleDay, SaleDue
from testkit.factories import line

SCHEDULES = [
    [],
    [{"kind": "remaining", "due": {"offset": 10, "unit": "days", "relative_to": "invoice_date"}}],
    [
        {
            "kind": "percent",
            "percent": 30,
            "due": {"offset": 0, "unit": "days", "relative_to": "invoice_date"},
        },
        {
            "kind": "remaining",
            "due": {"offset": 1, "unit": "months", "relative_to": "invoice_date"},
        },
    ],
    [
        {
            "kind": "fixed",
            "amount_minor": 500,
            "due": {"offset": -5, "unit": "days", "relative_to": "invoice_date"},
        }
    ],
]
DAYS = [dt.date(2026, 1, 30), dt.date(2026, 1, 31), dt.date(2026, 2, 1), dt.date(2026, 3, 15)]
PERIODS = [(DAYS[0], DAYS[1]), (DAYS[1], DAYS[2]), (DAYS[0], DAYS[3]), (DAYS[2], DAYS[2])]


# The oracles: the reports as they were computed before the rollups ---------------------


def scanned_months(studio, filters: ReportFilters) -> dict:
    rows = (
        value_sales(studio=studio, filters=filters)
        .annotate(month=SaleMonth("sale_date"))
        .values("currency", "month", "source")
        .annotate(count=Count("*"), gross=Sum("total_minor"), refunds=Sum("refunded_minor"))
    )
    return {
        (r["currency"], r["month"], r["source"]): (r["count"], r["gross"], r["refunds"])
        for r in rows
    }


def rolled_up_months(studio, filters: ReportFilters) -> dict:
    found = {}
    for block in sales_by_month(studio=studio, filters=filters):
        for month in block.months:
            for source, figures in month.by_source.items():
                key = (block.currency, month.month, source)
                found[key] = (figures.count, figures.gross_minor, figures.refunds_minor)
    return found


def scanned_tax_report(studio, period_from: dt.date, period_to: dt.date) -> tuple:
    span = {"issued_on__gte": period_from, "issued_on__lte": period_to}
    invoices = Invoice.objects.filter(studio=studio, **span)
    notes = CreditNote.objects.filter(studio=studio, **span)
    cells: dict = defaultdict(lambda: defaultdict(lambda: [0, 0]))
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
            cells[row["currency"]][row["rate"]][0] += sign * row["net"]
            cells[row["currency"]][row["rate"]][1] += sign * row["tax"]
        extras = (
            documents.values("currency")
            .annotate(extra=Sum(F("shipping_minor") - F("order_discount_minor")))
            .order_by()
        )
        for row in extras:
            if row["extra"]:
                cells[row["currency"]][0][0] += sign * row["extra"]

    def counts(documents) -> dict:
        rows = documents.values("currency").annotate(n=Count("id")).order_by()
        return {row["currency"]: row["n"] for row in rows}

    invoiced, credited = counts(invoices), counts(notes)
    blocks = [
        (
            currency,
            [(rate, net, tax) for rate, (net, tax) in sorted(rates.items())],
            invoiced.get(currency, 0),
            credited.get(currency, 0),
        )
        for currency, rates in sorted(cells.items())
    ]
    unfiled = invoices.filter(filing__isnull=True).count()
    return blocks, unfiled + notes.filter(filing__isnull=True).count()


def rolled_up_tax_report(studio, period_from: dt.date, period_to: dt.date) -> tuple:
    report = tax_report(studio=studio, period_from=period_from, period_to=period_to)
    blocks = [
        (
            block.currency,
            [(row.rate_bp, row.net_minor, row.tax_minor) for row in block.rows],
            block.invoices,
            block.credit_notes,
        )
        for block in report.blocks
    ]
    return blocks, report.unfiled


def assert_rollups_match(studio) -> None:
    assert sales_rollup.check(studio.pk) == []
    assert client_rollup.check(studio.pk) == []
    assert tax_rollup.check(studio.pk) == []
    assert owing.check(studio.pk) == []
    for today in (DAYS[0], DAYS[3], DAYS[3] + dt.timedelta(days=95)):
        assert owed_report(studio, today) == owed_oracle(studio, today)
    for currency in (None, "GBP", "EUR"):
        for date_from, date_to in [(None, None), *PERIODS]:
            filters = ReportFilters(date_from, date_to, currency)
            assert rolled_up_months(studio, filters) == scanned_months(studio, filters)
            scanned = value_sales(studio=studio, filters=filters).values_list("currency")
            assert counted_currencies(studio=studio, filters=filters) == sorted(
                {currency for (currency,) in scanned}
            )
    for period in PERIODS:
        assert rolled_up_tax_report(studio, *period) == scanned_tax_report(studio, *period)
    for currency in (None, "GBP", "EUR"):  # client value: kept rows = the GROUP BY of sales
        for limit in (None, 1):
            filters = ReportFilters(currency=currency)
            kept = rolled_up(studio=studio, filters=filters, limit=limit)
            assert kept == scanned_client_value(studio=studio, filters=filters, limit=limit)


# Any sequence of the operations ----------------------------------------------------------

amounts = st.integers(min_value=1, max_value=50_000)
picks = st.integers(min_value=0, max_value=50)
operations = st.one_of(
    st.tuples(
        st.just("create"),
        st.sampled_from(DAYS),
        st.sampled_from(["GBP", "EUR"]),
        st.sampled_from(["manual", "pictime", "api"]),
        amounts,
        st.integers(min_value=0, max_value=2000),  # tax on the line
        st.integers(min_value=0, max_value=500),  # shipping
        st.booleans(),  # paid in full
    ),
    st.tuples(
        st.just("update"),
        picks,
        st.sampled_from(["sale_date", "currency", "source", "status", "lines", "shipping"]),
        st.integers(min_value=0, max_value=3),
    ),
    st.tuples(st.just("pay"), picks, amounts),
    st.tuples(st.just("refund"), picks, amounts),
    st.tuples(st.just("edit_refund"), picks, amounts),
    st.tuples(st.just("delete_refund"), picks),
    st.tuples(st.just("delete_payment"), picks),
    st.tuples(st.just("cancel"), picks),
    st.tuples(st.just("delete"), picks),
    st.tuples(st.just("invoice"), picks, st.sampled_from(DAYS)),
    st.tuples(st.just("follow"), picks),
    st.tuples(st.just("unimport"), picks),
    st.tuples(st.just("file"), st.sampled_from(PERIODS)),
    st.tuples(st.just("schedule"), picks, st.integers(min_value=0, max_value=3)),
    st.tuples(st.just("invoiced_only"), st.booleans()),
)


def _pick(studio, index: int) -> Sale | None:
    sales = list(Sale.objects.filter(studio=studio).order_by("pk"))
    return sales[index % len(sales)] if sales else None


def apply(studio, contact, operation: tuple) -> None:
    kind, *args = operation
    if kind == "create":
        day, currency, source, price, tax, shipping, paid = args
        fields = {"payments": [sales.PaymentInput(price + tax + shipping, day)]} if paid else {}
        data = sales.SaleInput(
            contact=contact,
            sale_date=day,
            currency=currency,
            source=source,
            shipping_minor=shipping,
            lines=[line(price=price, tax_minor=tax)],
            **fields,
        )
        sales.create_sale(studio=studio, data=data)
        return
    if kind == "file":
        invoicing.file_tax_report(studio=studio, period_from=args[0][0], period_to=args[0][1])
        return
    if kind == "invoiced_only":
        invoicing.update_preferences(studio=studio, reports_invoiced_only=args[0])
        return
    sale = _pick(studio, args[0])
    if sale is None:
        return
    if kind == "update":
        field, choice = args[1], args[2]
        changes = {
            "sale_date": {"sale_date": DAYS[choice]},
            "currency": {"currency": ["GBP", "EUR"][choice % 2], "lines": [line(price=900)]},
            "source": {"source": ["manual", "pictime", "shootproof", "api"][choice]},
            "status": {"status": ["active", "cancelled"][choice % 2]},
            "lines": {"lines": [line(price=100 * (choice + 1), tax_minor=choice * 7)]},
            "shipping": {"shipping_minor": choice * 250},
        }[field]
        sales.update_sale(sale=sale, **changes)
    elif kind == "pay":
        sales.add_payment(sale=sale, amount_minor=args[1], paid_on=sale.sale_date)
    elif kind == "refund":
        sales.add_refund(sale=sale, amount_minor=args[1], refunded_on=sale.sale_date)
    elif kind == "edit_refund" and sale.refunds.exists():
        payments.update_refund(refund=sale.refunds.first(), amount_minor=args[1])
    elif kind == "delete_refund" and sale.refunds.exists():
        payments.delete_refund(refund=sale.refunds.first())
    elif kind == "delete_payment" and sale.payments.exists():
        payments.delete_payment(payment=sale.payments.first())
    elif kind == "cancel":
        sales.cancel_sale(sale=sale)
    elif kind == "delete":
        sales.delete_sale(sale=sale)
    elif kind == "invoice":
        invoicing.create_invoice(sale=sale, issued_on=args[1])
    elif kind == "schedule":
        schedules.set_schedule(sale=sale, instalments=SCHEDULES[args[1]])
    elif kind == "follow":
        invoicing.follow_sale(sale=sale)
    elif kind == "unimport":  # inbox.importing.unimport: release the documents, delete
        invoicing.release_sale(sale=sale)
        sales.delete_sale(sale=sale)


@given(steps=st.lists(operations, min_size=1, max_size=25))
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_sequence_of_writes_keeps_the_rollups_equal_to_the_data(studio, contact, steps):
    for step in steps:
        # A refused step saves nothing: the rollups must not have moved either.
        with contextlib.suppress(ValidationError):
            apply(studio, contact, step)
    assert_rollups_match(studio)


# The command and the data migration ------------------------------------------------------


def test_check_finds_a_wrong_row_and_rebuild_mends_it(studio, make_sale, capsys):
    sale = make_sale(total_minor=1200)
    invoicing.create_invoice(sale=sale, issued_on=DAYS[0])
    call_command("rebuild_report_rollups", "--check")
    SaleDay.objects.filter(studio=studio, sales_count__gt=0).update(
        total_minor=F("total_minor") + 1
    )
    ClientSales.objects.filter(studio=studio, invoiced_only=True).update(last_sale=DAYS[3])
    TaxDay.objects.filter(studio=studio).delete()
    SaleDue.objects.filter(studio=studio).delete()
    with pytest.raises(CommandError, match="differ"):
        call_command("rebuild_report_rollups", "--check")
    out = capsys.readouterr().out
    assert "sales by day: 1 differences" in out
    assert "sales by client: 1 differences" in out
    assert "money owed by due date: 1 differences" in out
    call_command("rebuild_report_rollups")
    call_command("rebuild_report_rollups", "--check", "--studio", str(studio.pk))
    assert_rollups_match(studio)


@pytest.mark.parametrize(
    ("module", "model"),
    [
        ("sales.migrations.0007_build_sale_days", SaleDay),
        ("invoicing.migrations.0005_build_tax_days", TaxDay),
        ("sales.migrations.0010_build_sale_dues", SaleDue),
        ("sales.migrations.0012_build_client_sales", ClientSales),
    ],
)
def test_the_data_migrations_build_the_rollups_of_existing_data(studio, make_sale, module, model):
    for day in DAYS:
        sale = make_sale(total_minor=1000, sale_date=day, shipping_minor=150)
        invoicing.create_invoice(sale=sale, issued_on=day)
        sales.add_refund(sale=sale, amount_minor=300, refunded_on=day)
        invoicing.follow_sale(sale=sale)
    model.objects.all().delete()  # as before the migration: data, no rollup
    importlib.import_module(module).build(apps, None)
    assert_rollups_match(studio)


def test_names_for_most_clients_come_from_one_pass_over_the_contacts(
    studio, make_contact, monkeypatch
):
    module = importlib.import_module("reports.selectors.client_value")
    people = [make_contact(f"Client{n}", "Smith") for n in range(12)]
    ids = [person.pk for person in people[:9]]
    chunked = module.contact_names(studio=studio, ids=ids)
    monkeypatch.setattr(module, "WHOLE_LIST_FROM", 3)
    assert module.contact_names(studio=studio, ids=ids) == chunked
    assert sorted(chunked) == sorted(ids)
