"""Money owed: aged buckets per currency, overdue instalments on Home, the API."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from invoicing import schedules, services
from reports.selectors import overdue_instalments, owed
from testkit.factories import line

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 30)


def due(offset, unit="days"):
    return {"offset": offset, "unit": unit, "relative_to": "invoice_date"}


@pytest.fixture
def scheduled(make_sale):
    """1000.00 invoiced 1 Apr 2026: 40 % due then, 30 % on 15 May, the rest 1 Jul."""
    sale = make_sale(lines=[line("package", 100000)], sale_date=dt.date(2026, 4, 1))
    services.create_invoice(sale=sale, issued_on=dt.date(2026, 4, 1))
    schedules.set_schedule(
        sale=sale,
        instalments=[
            {"kind": "percent", "percent": 40, "due": due(0)},
            {"kind": "percent", "percent": 30, "due": due(44)},
            {"kind": "remaining", "due": due(3, "months")},
        ],
    )
    return sale


def test_amounts_are_aged_by_their_own_due_dates(studio, scheduled, make_sale):
    schedules.record_payment(sale=scheduled, amount_minor=10000, paid_on=dt.date(2026, 4, 2))
    plain = make_sale(currency="USD", total_minor=5000, sale_date=dt.date(2026, 6, 20))
    make_sale(total_minor=700, sale_date=dt.date(2026, 5, 2))
    [gbp_block, usd] = owed(studio=studio, today=TODAY)
    # 400 due 1 Apr (90 days) less 100 paid → 300 in 61–90; 300 due 15 May (46 days) in
    # 31–60; 300 due 1 Jul: current. The 7.00 sale, dated 2 May, is 59 days old.
    assert gbp_block.buckets == {
        "current": 30000,
        "1-30": 0,
        "31-60": 30000 + 700,
        "61-90": 30000,
        "90+": 0,
    }
    assert gbp_block.sales[0].sale_id == scheduled.pk and gbp_block.sales[0].days_overdue == 90
    assert usd.buckets["1-30"] == 5000 and usd.sales[0].sale_id == plain.pk


def test_a_sale_paid_in_full_owes_nothing(studio, make_sale):
    from sales.services import PaymentInput

    make_sale(total_minor=900, payments=[PaymentInput(900, dt.date(2026, 5, 2))])
    assert owed(studio=studio, today=TODAY) == []


def test_overdue_instalments_for_home(studio, scheduled):
    schedules.record_payment(sale=scheduled, amount_minor=40000, paid_on=dt.date(2026, 4, 2))
    [first] = overdue_instalments(studio=studio, today=TODAY)
    assert (first.due_on, first.outstanding_minor) == (dt.date(2026, 5, 15), 30000)


def test_home_shows_overdue_instalments_when_the_clock_moves(auth_client, scheduled):
    schedules.record_payment(sale=scheduled, amount_minor=40000, paid_on=dt.date(2026, 4, 2))
    with time_machine.travel(dt.datetime(2026, 5, 10, 12, tzinfo=dt.UTC)):
        assert "Overdue instalments" not in auth_client.get("/").content.decode()
    with time_machine.travel(dt.datetime(2026, 5, 20, 12, tzinfo=dt.UTC)):
        page = auth_client.get("/").content.decode()
    assert "Overdue instalments" in page and "£300.00 due 15 May 2026" in page


def test_the_owed_page_and_api(auth_client, api, scheduled):
    with time_machine.travel(dt.datetime(2026, 6, 30, 12, tzinfo=dt.UTC)):
        page = auth_client.get(reverse("reports:owed")).content.decode()
        body = api.get("/api/v1/reports/owed").json()
    assert "Money owed" in page and "£1,000.00 owed" in page
    [block] = body["blocks"]
    assert block["currency"] == "GBP" and block["total_minor"] == 100000
    assert block["buckets"]["days_61_90"] == 40000
    assert block["sales"][0]["sale_id"] == scheduled.pk
    assert api.get("/api/v1/reports/owed", {"currency": "USD"}).json()["blocks"] == []
