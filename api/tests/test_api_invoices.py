"""/api/v1: Create Invoice, invoices and credit notes."""

import datetime as dt

import pytest

from invoicing import services
from sales import client_rollup
from sales.models import ClientSales
from sales.services import add_refund

pytestmark = pytest.mark.django_db


def test_create_invoice_then_again_gives_the_same_one(api, make_sale):
    sale = make_sale(total_minor=2500)
    first = api.post(f"/api/v1/sales/{sale.pk}/invoice")
    assert first.status_code == 201, first.content
    body = first.json()
    assert (body["number"], body["sale_id"], body["total_minor"]) == ("INV-1", sale.pk, 2500)
    assert body["issued_on"] and body["lines"][0]["tax_rate_percent"] == "0.00"
    again = api.post(f"/api/v1/sales/{sale.pk}/invoice")
    assert again.status_code == 200 and again.json()["id"] == body["id"]


def test_invoices_and_credit_notes_are_listed_and_read(api, make_sale):
    sale = make_sale(total_minor=2500)
    invoice = services.create_invoice(sale=sale)
    add_refund(sale=sale, amount_minor=500, refunded_on=dt.date(2026, 5, 6))
    services.follow_sale(sale=sale)
    listed = api.get("/api/v1/invoices").json()
    assert [i["number"] for i in listed["data"]] == ["INV-1"]
    one = api.get(f"/api/v1/invoices/{invoice.pk}").json()
    [note_id] = one["credit_note_ids"]
    note = api.get(f"/api/v1/credit-notes/{note_id}").json()
    assert (note["number"], note["reason"], note["total_minor"]) == ("CN-1", "refund", 500)
    assert api.get("/api/v1/credit-notes").json()["data"][0]["id"] == note_id


def test_a_patch_on_an_invoiced_sale_is_followed(api, make_sale):
    sale = make_sale(total_minor=2500)
    invoice = services.create_invoice(sale=sale)
    response = api.patch(f"/api/v1/sales/{sale.pk}", {"shipping_minor": 300})
    assert response.status_code == 200, response.content
    invoice.refresh_from_db()
    assert invoice.total_minor == 2800


def test_a_patch_moving_an_invoiced_sale_to_another_client_moves_its_totals(
    api, studio, make_sale, make_contact
):
    ada, bea = make_contact("Ada", "Lovelace"), make_contact("Bea", "Neu")
    sale = make_sale(ada, total_minor=2500)
    services.create_invoice(sale=sale)
    response = api.patch(
        f"/api/v1/sales/{sale.pk}", {"contact_id": bea.pk, "sale_date": "2026-02-01"}
    )
    assert response.status_code == 200, response.content
    rows = ClientSales.objects.filter(studio=studio).order_by("invoiced_only")
    assert [(r.contact_id, r.invoiced_only, r.gross_minor) for r in rows] == [
        (bea.pk, False, 2500),
        (bea.pk, True, 2500),
    ]
    assert {r.first_sale for r in rows} == {dt.date(2026, 2, 1)}
    assert client_rollup.check(studio.pk) == []


def test_another_studios_invoice_and_sale_are_not_found(api, other_studio, make_sale, make_contact):
    theirs = make_sale(make_contact(studio=other_studio), studio=other_studio)
    invoice = services.create_invoice(sale=theirs)
    assert api.get(f"/api/v1/invoices/{invoice.pk}").status_code == 404
    assert api.post(f"/api/v1/sales/{theirs.pk}/invoice").status_code == 404
