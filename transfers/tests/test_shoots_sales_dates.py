"""Shoots and sales: the client found by the matcher (certain), created when nobody comes
close, a problem when several could be; amounts finer than their currency, unknown
currencies and unreadable dates are problems; dd/mm vs mm/dd decided from the column or
asked."""

from __future__ import annotations

import datetime as dt

import pytest

from sales.models import Sale
from shoots.models import Shoot
from transfers import dates, services
from transfers.models import ImportRow


def reasons(batch):
    return {r.line: (r.outcome, r.reason) for r in ImportRow.objects.filter(batch=batch)}


def test_sales_outcomes(studio, make_contact, do_import):
    ada = make_contact("Ada", "Lovelace", emails=["ada@example.com"])
    make_contact("John", "Smith")
    make_contact("John", "Smith")
    data = (
        b"Date,Client Name,Client Email,Description,Amount,Currency,Invoice Number\n"
        b'2026-03-14,Ada Lovelace,ada@example.com,Album,"1,250.00",GBP,INV-1\n'
        b"2026-03-15,John Smith,,Prints,10,GBP,INV-2\n"  # two John Smiths: not certain
        b"2026-03-16,Ada Lovelace,ada@example.com,Prints,10.005,GBP,INV-3\n"
        b"2026-03-17,Ada Lovelace,ada@example.com,Prints,10,XYZ,INV-4\n"
        b"2026-02-30,Ada Lovelace,ada@example.com,Prints,10,GBP,INV-5\n"
        b"2026-03-18,Bea Neu,bea@example.com,Prints,1000,JPY,INV-6\n"
    )
    batch = do_import(data, kind="sales")
    found = reasons(batch)
    assert found[2][0] == "new" and "Ada Lovelace" in found[2][1]
    assert found[3][0] == "problem" and "Not certain who the client is" in found[3][1]
    assert found[4][0] == "problem" and "more decimal places than GBP" in found[4][1]
    assert found[5][0] == "problem" and "Unknown currency" in found[5][1]
    assert found[6][0] == "problem" and "not a date" in found[6][1]
    assert found[7][0] == "new" and "new client Bea Neu" in found[7][1]
    sale = Sale.objects.get(studio=studio, external_ref="INV-1")
    assert (sale.contact, sale.total_minor, sale.currency) == (ada, 125_000, "GBP")
    assert Sale.objects.get(studio=studio, external_ref="INV-6").total_minor == 1000


def test_shoots_link_their_client(studio, make_contact, do_import):
    ada = make_contact("Ada", "Lovelace", emails=["ada@example.com"])
    data = (
        b"Shoot Name,Type,Shoot Date,Status,Client Email,Client Name\n"
        b"Spring portraits,Portrait,14/03/2026,Booked,ada@example.com,Ada Lovelace\n"
    )
    batch = do_import(data, kind="shoots")
    assert batch.counts == {"new": 1}
    shoot = Shoot.objects.get(studio=studio)
    assert shoot.title == "Spring portraits" and shoot.status == "confirmed"
    assert shoot.starts_at.date() == dt.date(2026, 3, 14)
    assert list(shoot.contacts.all()) == [ada]


@pytest.mark.parametrize(
    ("values", "order"),
    [
        (["14/03/2026", "01/02/2026"], dates.DMY),
        (["03/14/2026", "01/02/2026"], dates.MDY),
        (["01/02/2026", "03/04/2026"], dates.AMBIGUOUS),
        (["14/03/2026", "03/14/2026"], dates.MIXED),
        (["2026-03-14"], ""),
    ],
)
def test_date_order_from_the_column(values, order):
    assert dates.column_order(values) == order


def test_an_ambiguous_file_asks_then_uses_the_answer(studio, do_import):
    data = b"Date,Client Email,Amount\n01/02/2026,a@example.com,10\n03/04/2026,b@example.com,10\n"
    batch = do_import(data, kind="sales", run=False)
    assert services.date_order_question(batch) == dates.AMBIGUOUS
    assert batch.counts == {"problem": 2}
    assert "Choose the date order" in ImportRow.objects.get(batch=batch, line=2).reason
    services.set_mapping(batch=batch, date_order="dmy")
    services.start_preview(batch=batch)
    services.start_run(batch=batch)
    assert sorted(Sale.objects.filter(studio=studio).values_list("sale_date", flat=True)) == [
        dt.date(2026, 2, 1),
        dt.date(2026, 4, 3),
    ]
