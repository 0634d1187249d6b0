"""Report fixtures: sales made through the services (testkit.factories), with figures
worked out by hand.

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

from sales.services import cancel_sale
from testkit.factories import at, line, make_contact, make_sale, make_shoot

TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.UTC), tick=False):
        yield TODAY


@pytest.fixture
def people(studio):
    names = ["Ada", "Grace", "Omar", "Hana", "Ivan", "Jo"]
    return {name: make_contact(studio, name, "Tester") for name in names}


@pytest.fixture
def sales_book(studio, people, other_studio_and_owner, frozen_today):
    """The sales of the table above; returns the contacts by first name."""
    p = people
    make_sale(studio, p["Ada"], dt.date(2026, 1, 10), "GBP", [line("print", 10000)])
    make_sale(
        studio, p["Ada"], dt.date(2026, 3, 5), "GBP", [line("album", 25000)],
        source="pictime", external_ref="PT-1", gallery_provider="pictime",
        gallery_id="G1", shipping_minor=1000, refund=5000,
    )  # fmt: skip
    cancel_sale(sale=make_sale(studio, p["Ada"], dt.date(2026, 4, 1), "GBP",
                               [line("print", 99999)]))  # fmt: skip
    make_sale(
        studio, p["Ada"], dt.date(2026, 2, 14), "JPY", [line("digital", 12345)],
        source="shootproof", external_ref="SP-1", gallery_provider="shootproof", gallery_id="S1",
    )  # fmt: skip
    make_sale(studio, p["Grace"], dt.date(2026, 5, 20), "GBP", [line("package", 40000)],
              source="api", refund=10000)  # fmt: skip
    make_sale(studio, p["Omar"], dt.date(2026, 2, 1), "BHD", [line("print", 12345, quantity=2)],
              refund=1005)  # fmt: skip
    make_sale(studio, p["Hana"], dt.date(2025, 6, 1), "GBP", [line("session", 1000)])
    make_sale(studio, p["Hana"], dt.date(2025, 6, 20), "GBP", [line("session", 1001)])
    make_sale(studio, p["Ivan"], dt.date(2024, 11, 1), "GBP", [line("print", 500)])
    make_sale(studio, p["Ivan"], dt.date(2024, 12, 1), "GBP", [line("print", 700)])
    make_sale(studio, p["Jo"], dt.date(2023, 1, 10), "GBP", [line("print", 300)])
    other = other_studio_and_owner[0]
    stranger = make_contact(other, "Not", "Yours")
    make_sale(other, stranger, dt.date(2026, 3, 1), "GBP", [line("print", 50000)])
    return p


@pytest.fixture
def unordered_gallery(studio, sales_book):
    """Makes Ada's shoot completed on 2026-05-16 whose Pic-Time gallery PT-9 has no order:
    an "unordered gallery" opportunity, 30 days old on the frozen today."""

    def make():
        return make_shoot(
            studio,
            sales_book["Ada"],
            starts_at=at(2026, 5, 16, 10),
            status="completed",
            gallery_provider="pictime",
            gallery_id="PT-9",
        )

    return make
