"""GET /api/v1/reports/…: the same figures and filters as the pages, behind an API key."""

from __future__ import annotations

import pytest

from api.services import generate_api_key

pytestmark = [pytest.mark.django_db, pytest.mark.urls("reports.tests.api_urls")]
BASE = "/api/v1/reports"


@pytest.fixture
def get(client, studio):
    key = generate_api_key(studio=studio, name="Reports")[1]

    def call(path: str, **params):
        return client.get(f"{BASE}{path}", params, headers={"Authorization": f"Bearer {key}"})

    return call


@pytest.mark.parametrize("path", ["/client-value", "/segments", "/opportunities", "/sales"])
def test_a_key_is_required(client, path, frozen_today):
    response = client.get(f"{BASE}{path}")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    bad = client.get(f"{BASE}{path}", headers={"Authorization": "Bearer cyan_nope"})
    assert bad.status_code == 401


def test_client_value_defaults_to_the_studios_currency(get, sales_book):
    body = get("/client-value").json()
    assert body["filters"] == {"date_from": None, "date_to": None, "currency": "GBP"}
    [block] = body["blocks"]
    assert (block["currency"], block["client_count"], block["net_minor"]) == ("GBP", 5, 64501)
    ada = block["clients"][0]
    assert ada["contact_id"] == sales_book["Ada"].pk
    assert (ada["gross_minor"], ada["refunds_minor"], ada["net_minor"], ada["net"]) == (
        36000, 5000, 31000, "310.00",
    )  # fmt: skip
    assert (ada["average_order_minor"], ada["gallery_share"]) == (18000, 72.2)
    assert ada["first_purchase"] == "2026-01-10"


def test_client_value_all_currencies_and_limit(get, sales_book):
    body = get("/client-value", currency="all", limit=1).json()
    assert body["filters"]["currency"] == "all"
    assert [(b["currency"], len(b["clients"]), b["client_count"]) for b in body["blocks"]] == [
        ("BHD", 1, 1), ("GBP", 1, 5), ("JPY", 1, 1),
    ]  # fmt: skip
    assert body["blocks"][0]["clients"][0]["net"] == "23.685"
    assert body["blocks"][2]["clients"][0]["gross"] == "12345"


def test_filters_are_validated(get, frozen_today):
    response = get("/client-value", date_from="2026-05-01", date_to="2026-01-01")
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {
        "date_to": "The end date is before the start date."
    }
    response = get("/sales", currency="XXY")
    assert response.status_code == 422
    assert "currency" in response.json()["error"]["fields"]
    assert get("/sales", currency="euro").status_code == 422
    assert get("/client-value", limit=0).status_code == 422


def test_segments(get, sales_book):
    [block] = get("/segments").json()["blocks"]
    counts = {s["key"]: [c["contact_name"] for c in s["clients"]] for s in block["segments"]}
    assert counts["champions"] == ["Ada Tester"] and counts["lapsed"] == ["Jo Tester"]
    assert block["as_of"] == "2026-06-15"


def test_opportunities(get, sales_book, unordered_gallery):
    unordered_gallery()
    lists = {each["kind"]: each["items"] for each in get("/opportunities").json()["lists"]}
    assert set(lists) == {
        "unordered_gallery", "returning_client_shoot", "digital_only", "anniversary",
        "lapsed_high_value",
    }  # fmt: skip
    [item] = lists["unordered_gallery"]
    assert item["contact_id"] == sales_book["Ada"].pk
    assert item["reason"].startswith("Shoot completed 30 days ago")
    assert item["amount"] is None


def test_sales(get, sales_book):
    body = get("/sales", date_from="2026-01-01", date_to="2026-06-15").json()
    [block] = body["blocks"]
    assert block["summary"] == {
        "count": 3, "gross_minor": 76000, "refunds_minor": 15000, "net_minor": 61000,
        "average_order_minor": 25333,
    }  # fmt: skip
    assert (block["refunded_sales"], block["cancelled_sales"]) == (2, 1)
    march = next(m for m in block["months"] if m["month"] == "2026-03")
    assert march["by_source"]["pictime"]["gross_minor"] == 26000
    assert [m["month"] for m in block["months"]] == [f"2026-0{n}" for n in range(1, 7)]
    kinds = {k["key"]: k["total_minor"] for k in block["product_kinds"]}
    assert kinds["packages"] == 40000 and kinds["albums"] == 25000


def test_each_key_sees_its_own_studio(client, sales_book, other_studio_and_owner):
    key = generate_api_key(studio=other_studio_and_owner[0])[1]
    response = client.get(
        f"{BASE}/client-value", {"currency": "GBP"}, headers={"Authorization": f"Bearer {key}"}
    )
    [block] = response.json()["blocks"]
    assert [c["contact_name"] for c in block["clients"]] == ["Not Yours"]


def test_the_edges_of_the_date_range_are_answered(get, sales_book):
    for path in ("/client-value", "/segments", "/opportunities", "/sales"):
        response = get(path, date_from="1900-01-01", date_to="2200-12-31", currency="all")
        assert response.status_code == 200, path
    months = get("/sales", date_from="1900-01-01", date_to="2200-12-31").json()["blocks"][0]
    assert months["months"][0]["month"] == "2023-01"  # empty months kept to the data


def test_dates_outside_the_range_are_refused(get, sales_book):
    for path in ("/client-value", "/segments", "/opportunities", "/sales"):
        response = get(path, date_from="0001-01-01", date_to="9999-12-31", currency="all")
        assert response.status_code == 422, path
        assert set(response.json()["error"]["fields"]) == {"date_from", "date_to"}


def test_openapi_documents_the_key_and_errors():
    from reports.tests.api_urls import api

    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    for path in ("client-value", "segments", "opportunities", "sales"):
        operation = schema["paths"][f"/api/v1/reports/{path}"]["get"]
        assert operation["security"] == [{"ApiKeyAuth": []}]
        assert {"200", "401", "422"} <= {str(code) for code in operation["responses"]}
