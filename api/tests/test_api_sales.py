import datetime as dt

import pytest

from contacts.services import create_contact
from sales.models import Sale
from shoots.services import create_shoot
from testkit.factories import line, make_sale

pytestmark = pytest.mark.django_db

ALBUM = [line("album", 30000)]
PRINT = {
    "description": "A4 print",
    "product_kind": "print",
    "quantity": 2,
    "unit_price_minor": 1250,
}


def test_create_a_sale_with_money_in_minor_units_and_decimals(api, studio, ann):
    shoot = create_shoot(
        studio=studio,
        title="Lee wedding",
        shoot_type="wedding",
        starts_at=dt.datetime(2026, 4, 1, 12, tzinfo=dt.UTC),
        contacts=[(ann, "client")],
    )
    response = api.post(
        "/api/v1/sales",
        {
            "contact_id": ann.pk,
            "shoot_id": shoot.pk,
            "sale_date": "2026-05-02",
            "lines": [{**PRINT, "tax_minor": 500}],
            "shipping_minor": 399,
            "payments": [{"amount_minor": 1000, "paid_on": "2026-05-02", "method": "card"}],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["currency"] == "GBP"  # the studio's default
    assert body["source"] == "api"
    assert (body["subtotal_minor"], body["subtotal"]) == (2500, "25.00")
    assert (body["tax_minor"], body["total_minor"], body["total"]) == (500, 3399, "33.99")
    assert (body["paid"], body["balance_minor"], body["balance"]) == ("10.00", 2399, "23.99")
    line = body["lines"][0]
    assert (line["unit_price_minor"], line["unit_price"], line["total"]) == (1250, "12.50", "30.00")
    assert body["payments"][0]["amount"] == "10.00"
    assert (body["contact_id"], body["shoot_id"]) == (ann.pk, shoot.pk)
    sale = Sale.objects.get(pk=body["id"])
    assert sale.studio == studio and sale.source == "api" and sale.total_minor == 3399
    assert api.get(f"/api/v1/sales/{sale.pk}").json() == body


def test_decimal_strings_follow_the_currency_exponent(api, ann):
    jpy = {**PRINT, "unit_price_minor": 1500}
    response = api.post(
        "/api/v1/sales",
        {"contact_id": ann.pk, "sale_date": "2026-05-02", "currency": "jpy", "lines": [jpy]},
    )
    assert response.status_code == 201, response.content
    assert (response.json()["currency"], response.json()["total"]) == ("JPY", "3000")


def test_an_explicit_source_is_kept(api, ann):
    response = api.post(
        "/api/v1/sales",
        {"contact_id": ann.pk, "sale_date": "2026-05-02", "lines": [PRINT], "source": "pictime"},
    )
    assert response.status_code == 201 and response.json()["source"] == "pictime"


def test_create_refuses_bad_input_with_field_errors(api, studio, ann, other_studio):
    theirs = create_contact(studio=other_studio, first_name="Zed")
    cases = [
        ({"contact_id": ann.pk, "sale_date": "2026-05-02", "lines": []}, "lines"),
        ({"contact_id": ann.pk, "sale_date": "2026-05-02", "lines": [{**PRINT, "quantity": 0}]},
         "lines.0.quantity"),
        ({"contact_id": ann.pk, "sale_date": "May 2nd", "lines": [PRINT]}, "sale_date"),
        ({"contact_id": ann.pk, "sale_date": "2026-05-02", "lines": [PRINT], "currency": "XYZ"},
         "currency"),
        ({"contact_id": theirs.pk, "sale_date": "2026-05-02", "lines": [PRINT]}, "contact_id"),
        ({"contact_id": ann.pk, "sale_date": "2026-05-02",
          "lines": [{**PRINT, "discount_minor": 999999}]}, "lines.0.discount_minor"),
    ]  # fmt: skip
    for payload, field in cases:
        response = api.post("/api/v1/sales", payload)
        assert response.status_code == 422, (payload, response.content)
        error = response.json()["error"]
        assert error["code"] == "validation_error" and error["message"]
        assert field in error["fields"], (field, error)
    assert not Sale.objects.for_studio(studio).exists()


def test_a_second_sale_with_the_same_external_ref_is_a_409(api, ann):
    payload = {"contact_id": ann.pk, "sale_date": "2026-05-02", "lines": [PRINT],
               "external_ref": "ORDER-1"}  # fmt: skip
    assert api.post("/api/v1/sales", payload).status_code == 201
    response = api.post("/api/v1/sales", payload)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "duplicate_sale"
    assert Sale.objects.filter(external_ref="ORDER-1").count() == 1


def test_patch_replaces_lines_and_recomputes_totals(api, studio, ann):
    sale = make_sale(studio, ann, lines=ALBUM)
    response = api.patch(
        f"/api/v1/sales/{sale.pk}", {"lines": [PRINT], "notes": "Reprinted", "shoot_id": None}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["notes"] == "Reprinted" and body["total"] == "25.00"
    assert [line["description"] for line in body["lines"]] == ["A4 print"]
    assert body["lines"][0]["product_kind"] == "print"


def test_patch_refuses_bad_values_and_changes_nothing(api, studio, ann):
    sale = make_sale(studio, ann, lines=ALBUM)
    response = api.patch(f"/api/v1/sales/{sale.pk}", {"order_discount_minor": 999_999})
    assert response.status_code == 422
    assert "order_discount_minor" in response.json()["error"]["fields"]
    sale.refresh_from_db()
    assert sale.order_discount_minor == 0 and sale.total_minor == 30000


def test_list_filters_by_contact_and_source(api, studio, ann):
    bo = create_contact(studio=studio, first_name="Bo")
    mine = make_sale(studio, ann, lines=ALBUM)
    make_sale(studio, bo, lines=ALBUM, source="pictime", external_ref="P-1")
    data = api.get("/api/v1/sales", {"contact_id": ann.pk}).json()["data"]
    assert [s["id"] for s in data] == [mine.pk]
    data = api.get("/api/v1/sales", {"source": "pictime"}).json()["data"]
    assert [s["contact_id"] for s in data] == [bo.pk]


def test_another_studios_sales_are_not_found(api, other_studio):
    theirs = make_sale(
        other_studio, create_contact(studio=other_studio, first_name="Zed"), lines=ALBUM
    )
    for response in (
        api.get(f"/api/v1/sales/{theirs.pk}"),
        api.patch(f"/api/v1/sales/{theirs.pk}", {"notes": "Hacked"}),
    ):
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    assert api.get("/api/v1/sales").json()["data"] == []
    theirs.refresh_from_db()
    assert theirs.notes == ""
