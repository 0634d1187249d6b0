"""The money-owed report (one pass over the owing sales) gives exactly what its first
version gave (allocating with invoicing.schedule_rules.allocate per sale, kept here as
the oracle), for any schedules, payments and invoice dates."""

from __future__ import annotations

import contextlib
import datetime as dt

from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from invoicing import schedules, services
from invoicing.models import Instalment, Invoice
from invoicing.schedule_rules import allocate
from reports.selectors import owed
from reports.selectors.owed import BUCKETS, bucket_of
from sales.models import Sale
from sales.services import PaymentInput, SaleInput, create_sale
from testkit.factories import line

START = dt.date(2026, 1, 1)


def oracle(studio, today: dt.date) -> list:
    sales = Sale.objects.filter(studio=studio, status="active").select_related("contact")
    blocks: dict = {}
    for sale in sales.order_by("pk"):
        if sale.total_minor <= sale.paid_minor:
            continue
        invoice = Invoice.objects.filter(sale=sale, superseded=False).first()
        base = invoice.issued_on if invoice else sale.sale_date
        ordered = sorted(
            (i.due_on, i.position, i.amount_minor) for i in Instalment.objects.filter(sale=sale)
        )
        amounts, dues = [a for _, _, a in ordered], [d for d, _, _ in ordered]
        unscheduled = max(sale.total_minor - sum(amounts), 0)
        if unscheduled:
            amounts.append(unscheduled)
            dues.append(base)
        paid = allocate(amounts, sale.paid_minor)
        parts = [(d, a - p) for d, a, p in zip(dues, amounts, paid, strict=True) if a > p]
        if not parts:
            continue
        oldest = min(d for d, _ in parts)
        buckets = dict.fromkeys(BUCKETS, 0)
        for due_on, amount in parts:
            buckets[bucket_of((today - due_on).days)] += amount
        row = (
            sale.pk,
            sale.contact_id,
            sale.contact.display_name,
            sale.sale_date,
            sum(a for _, a in parts),
            oldest,
            max((today - oldest).days, 0),
            buckets,
        )
        block = blocks.setdefault(sale.currency, [dict.fromkeys(BUCKETS, 0), []])
        block[1].append(row)
        for key, amount in buckets.items():
            block[0][key] += amount
    for block in blocks.values():
        block[1].sort(key=lambda r: (-r[6], -r[4], r[0]))
    return [(c, blocks[c][0], blocks[c][1]) for c in sorted(blocks)]


def report(studio, today: dt.date) -> list:
    return [
        (
            block.currency,
            block.buckets,
            [
                (
                    s.sale_id,
                    s.contact_id,
                    s.contact_name,
                    s.sale_date,
                    s.owed_minor,
                    s.oldest_due_on,
                    s.days_overdue,
                    s.buckets,
                )
                for s in block.sales
            ],
        )
        for block in owed(studio=studio, today=today)
    ]


step = st.one_of(
    st.fixed_dictionaries(
        {"kind": st.just("percent"), "percent": st.integers(1, 60), "due": st.integers(-40, 200)}
    ),
    st.fixed_dictionaries(
        {
            "kind": st.just("fixed"),
            "amount_minor": st.integers(1, 30_000),
            "due": st.integers(0, 99),
        }
    ),
)
sale_spec = st.fixed_dictionaries(
    {
        "price": st.integers(1, 80_000),
        "day": st.integers(0, 150),
        "currency": st.sampled_from(["GBP", "USD"]),
        "paid": st.integers(0, 90_000),
        "invoice_day": st.one_of(st.none(), st.integers(0, 150)),
        "steps": st.lists(step, max_size=3),
        "remaining": st.booleans(),
    }
)


def _make(studio, contact, spec) -> None:
    day = START + dt.timedelta(days=spec["day"])
    payments = [PaymentInput(spec["paid"], day)] if spec["paid"] else []
    sale = create_sale(
        studio=studio,
        data=SaleInput(
            contact=contact,
            sale_date=day,
            currency=spec["currency"],
            lines=[line(price=spec["price"])],
            payments=payments,
        ),
    )
    if spec["invoice_day"] is not None:
        services.create_invoice(sale=sale, issued_on=START + dt.timedelta(days=spec["invoice_day"]))
    steps = [
        {**{k: v for k, v in s.items() if k != "due"}, "due": _due(s["due"])} for s in spec["steps"]
    ]
    if spec["remaining"]:
        steps.append({"kind": "remaining", "due": _due(120)})
    if steps:
        with contextlib.suppress(ValidationError):  # refused: the sale keeps no schedule
            schedules.set_schedule(sale=sale, instalments=steps)


def _due(offset: int) -> dict:
    return {"offset": offset, "unit": "days", "relative_to": "invoice_date"}


@given(specs=st.lists(sale_spec, min_size=1, max_size=6), today=st.integers(0, 400))
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_owed_gives_what_the_first_version_gave(studio, contact, specs, today):
    for spec in specs:
        _make(studio, contact, spec)
    day = START + dt.timedelta(days=today)
    assert report(studio, day) == oracle(studio, day)
    for block in owed(studio=studio, today=day):  # ints, never Decimal or text
        amounts = [*block.buckets.values()]
        for sale in block.sales:
            amounts += [sale.owed_minor, *sale.buckets.values()]
            assert type(sale.oldest_due_on) is dt.date and type(sale.sale_date) is dt.date
        assert {type(amount) for amount in amounts} == {int}


def test_an_empty_studio_owes_nothing(studio):
    assert owed(studio=studio, today=START) == [] == oracle(studio, START)
