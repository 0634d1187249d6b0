"""A bulk sales import and its undo keep the reports' rollups equal to the data (they
write through sales.services, which keep them: sales.rollup)."""

from __future__ import annotations

from invoicing import tax_rollup
from sales import client_rollup, owing
from sales import rollup as sales_rollup
from sales.models import ClientSales, Sale, SaleDay
from transfers import undo


def rollups_match(studio) -> bool:
    problems = sales_rollup.check(studio.pk) + tax_rollup.check(studio.pk)
    return problems + owing.check(studio.pk) + client_rollup.check(studio.pk) == []


def test_imported_sales_and_their_undo_are_in_the_rollups(studio, make_contact, do_import):
    make_contact("Ada", "Lovelace", emails=["ada@example.com"])
    data = (
        b"Date,Client Name,Client Email,Description,Amount,Currency,Invoice Number\n"
        b'2026-03-14,Ada Lovelace,ada@example.com,Album,"1,250.00",GBP,INV-1\n'
        b"2026-03-14,Bea Neu,bea@example.com,Prints,1000,JPY,INV-2\n"
        b"2026-04-02,Ada Lovelace,ada@example.com,Prints,10,GBP,INV-3\n"
    )
    batch = do_import(data, kind="sales")
    assert Sale.objects.filter(studio=studio).count() == 3
    assert rollups_match(studio)
    counted = SaleDay.objects.filter(studio=studio, sales_count__gt=0)
    assert sorted((r.day.isoformat(), r.currency, r.total_minor) for r in counted) == [
        ("2026-03-14", "GBP", 125000),
        ("2026-03-14", "JPY", 1000),
        ("2026-04-02", "GBP", 1000),
    ]
    clients = ClientSales.objects.filter(studio=studio, invoiced_only=False)
    assert sorted((r.contact.first_name, r.currency, r.sales_count) for r in clients) == [
        ("Ada", "GBP", 2),
        ("Bea", "JPY", 1),
    ]
    undo.undo_batch(batch=batch)
    assert not Sale.objects.filter(studio=studio).exists()
    assert rollups_match(studio)
    assert not SaleDay.objects.filter(studio=studio, sales_count__gt=0).exists()
    assert not ClientSales.objects.filter(studio=studio).exists()
