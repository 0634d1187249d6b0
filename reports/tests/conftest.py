"""Report fixtures: sales made through sales.services, with figures worked out by hand.

"Today" is frozen at 2026-06-15 (UTC; the studio's zone is UTC). The studio's default
currency is GBP. Amounts are minor units: pence, yen (no decimals), fils (three).

Contact   Currency  Sale date   Source      Lines                 Total   Refund  Status
Ada       GBP       2026-01-10  manual      print 100.00          10000          active
Ada       GBP       2026-03-05  pictime     album 250.00 + 10.00  26000   5000   active
                                            shipping
Ada       GBP       2026-04-01  manual      print 999.99          99999          cancelled
Ada       JPY       2026-02-14  shootproof  digital ¥12,345       12345          active
Grace     GBP       2026-05-20  api         package 400.00        40000  10000   active
Omar      BHD       2026-02-01  manual      2 × print 12.345      24690   1005   active
Hana      GBP       2025-06-01  manual      session 10.00          1000          active
Hana      GBP       2025-06-20  manual      session 10.01          1001          active
Ivan      GBP       2024-11-01  manual      print 5.00              500          active
Ivan      GBP       2024-12-01  manual      print 7.00              700          active
Jo        GBP       2023-01-10  manual      print 3.00              300          active
(another studio)    2026-03-01  manual      print 500.00          50000          active

GBP client value (net = gross − refunds; average = gross / sales, half away from zero):
  Ada    2 sales, gross 36000, refunds 5000, net 31000, avg 18000, gallery 26000 (72.2 %)
  Grace  1 sale,  gross 40000, refunds 10000, net 30000, avg 40000, gallery 0 (0.0 %)
  Hana   2 sales, gross 2001, net 2001, avg 1001 (1000.5 rounds up)
  Ivan   2 sales, gross 1200, net 1200, avg 600
  Jo     1 sale,  gross 300, net 300
  block: 5 clients, 8 sales, gross 79501, refunds 15000, net 64501
JPY: Ada 1 sale, 12345, gallery 100.0 %.  BHD: Omar 1 sale, 24690 − 1005 = 23685.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from contacts.models import Contact
from sales.services import LineInput, RefundInput, cancel_sale, create_sale

TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.UTC), tick=False):
        yield TODAY


def line(kind: str, price: int, quantity: int = 1) -> LineInput:
    return LineInput(
        description=kind.title(), product_kind=kind, quantity=quantity, unit_price_minor=price
    )


def sale(studio, contact, day: str, currency: str, lines: list[LineInput], **extra):
    refund = extra.pop("refund", None)
    if refund:
        extra["refunds"] = [
            RefundInput(amount_minor=refund, refunded_on=dt.date.fromisoformat(day))
        ]
    return create_sale(
        studio=studio,
        contact=contact,
        sale_date=dt.date.fromisoformat(day),
        currency=currency,
        lines=lines,
        **extra,
    )


@pytest.fixture
def people(studio):
    names = ["Ada", "Grace", "Omar", "Hana", "Ivan", "Jo"]
    return {
        name: Contact.objects.create(studio=studio, first_name=name, last_name="Tester")
        for name in names
    }


@pytest.fixture
def sales_book(studio, people, other_studio_and_owner, frozen_today):
    """The sales of the table above; returns the contacts by first name."""
    p = people
    sale(studio, p["Ada"], "2026-01-10", "GBP", [line("print", 10000)])
    sale(
        studio, p["Ada"], "2026-03-05", "GBP", [line("album", 25000)],
        source="pictime", external_ref="PT-1", gallery_provider="pictime",
        gallery_id="G1", shipping_minor=1000, refund=5000,
    )  # fmt: skip
    cancel_sale(sale=sale(studio, p["Ada"], "2026-04-01", "GBP", [line("print", 99999)]))
    sale(
        studio, p["Ada"], "2026-02-14", "JPY", [line("digital", 12345)],
        source="shootproof", external_ref="SP-1", gallery_provider="shootproof", gallery_id="S1",
    )  # fmt: skip
    sale(studio, p["Grace"], "2026-05-20", "GBP", [line("package", 40000)], source="api",
         refund=10000)  # fmt: skip
    sale(studio, p["Omar"], "2026-02-01", "BHD", [line("print", 12345, quantity=2)], refund=1005)
    sale(studio, p["Hana"], "2025-06-01", "GBP", [line("session", 1000)])
    sale(studio, p["Hana"], "2025-06-20", "GBP", [line("session", 1001)])
    sale(studio, p["Ivan"], "2024-11-01", "GBP", [line("print", 500)])
    sale(studio, p["Ivan"], "2024-12-01", "GBP", [line("print", 700)])
    sale(studio, p["Jo"], "2023-01-10", "GBP", [line("print", 300)])
    other = other_studio_and_owner[0]
    stranger = Contact.objects.create(studio=other, first_name="Not", last_name="Yours")
    sale(other, stranger, "2026-03-01", "GBP", [line("print", 50000)])
    return p
