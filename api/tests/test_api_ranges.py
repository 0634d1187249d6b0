"""Dates, timestamps, amounts and ids outside what Cyan can store are refused at the API
edge with a 422 (or a 404 for an id no row can have), and nothing is stored (#10.2, #10.6).
The values are the ones schemathesis generated when it found these bugs."""

import pytest

from api.tests.test_api_inbox import normalized
from inbox.models import InboxItem
from sales.models import Sale
from shoots.models import Shoot

pytestmark = pytest.mark.django_db

BAD_TIMESTAMPS = [
    "9999-12-31T23:59:59-12:00",
    "0001-01-01T00:00:00+14:00",
    "2026-05-01T10:00:00+16:00",
    "2026-05-01T10:00:00-23:00",
    "2026-05-01T10:00:00",
]
BAD_DATES = ["9999-12-31", "0001-01-01", "1899-12-31", "0", "20260501"]


def assert_refused(response, field: str) -> None:
    assert response.status_code == 422, response.content
    body = response.json()["error"]
    assert body["code"] == "validation_error"
    assert any(name.startswith(field) for name in body["fields"]), body


@pytest.mark.parametrize("value", BAD_TIMESTAMPS)
def test_an_order_placed_outside_the_range_is_refused_and_not_stored(api, value):
    response = api.post("/api/v1/inbox/orders", normalized() | {"placed_at": value})
    assert_refused(response, "placed_at")
    assert InboxItem.objects.count() == 0
    assert api.get("/api/v1/inbox").status_code == 200


@pytest.mark.parametrize("value", BAD_TIMESTAMPS)
def test_an_enquiry_sent_outside_the_range_is_refused(api, value):
    body = {"email": "ann@example.com", "sent_at": value}
    assert_refused(api.post("/api/v1/inbox/enquiries", body), "sent_at")
    assert InboxItem.objects.count() == 0


@pytest.mark.parametrize("value", BAD_TIMESTAMPS)
def test_a_shoot_outside_the_range_is_refused(api, value):
    body = {"title": "Lee wedding", "starts_at": value}
    assert_refused(api.post("/api/v1/shoots", body), "starts_at")
    assert Shoot.objects.count() == 0
    assert api.get("/api/v1/shoots").status_code == 200


def test_a_shoot_cannot_be_moved_outside_the_range(api):
    shoot = api.post("/api/v1/shoots", {"title": "Lee", "starts_at": "2026-06-20T14:00:00Z"})
    url = f"/api/v1/shoots/{shoot.json()['id']}"
    assert_refused(api.patch(url, {"starts_at": BAD_TIMESTAMPS[0]}), "starts_at")
    assert Shoot.objects.get().starts_at.year == 2026


@pytest.fixture
def contact_id(api):
    return api.post("/api/v1/contacts", {"first_name": "Ann"}).json()["id"]


def sale(contact_id: int, **changes) -> dict:
    body = {
        "contact_id": contact_id,
        "sale_date": "2026-05-01",
        "currency": "GBP",
        "lines": [{"description": "Album", "unit_price_minor": 30000}],
    }
    return body | changes


@pytest.mark.parametrize("value", BAD_DATES)
def test_a_sale_dated_outside_the_range_is_refused(api, contact_id, value):
    assert_refused(api.post("/api/v1/sales", sale(contact_id, sale_date=value)), "sale_date")
    payment = {"amount_minor": 100, "paid_on": value}
    response = api.post("/api/v1/sales", sale(contact_id, payments=[payment]))
    assert_refused(response, "payments.0.paid_on")
    assert Sale.objects.count() == 0


@pytest.mark.parametrize(
    "change",
    [
        lambda o: o.update(total_minor=10**19),
        lambda o: o["lines"][0].update(unit_price_minor=10**19),
        lambda o: o.update(shipping_minor=10**16),
        lambda o: o["lines"][0].update(quantity="2"),
    ],
    ids=["total 10^19", "unit price 10^19", "shipping 10^16", "quantity as text"],
)
def test_an_order_with_an_amount_out_of_range_is_refused(api, change):
    body = normalized()
    change(body)
    assert api.post("/api/v1/inbox/orders", body).status_code == 422
    assert InboxItem.objects.count() == 0


@pytest.mark.parametrize("path", ["/api/v1/shoots", "/api/v1/sales", "/api/v1/reports/sales"])
@pytest.mark.parametrize("value", [*BAD_DATES, "2026-13-01"])
def test_a_date_filter_must_be_an_iso_date_in_range(api, path, value):
    assert_refused(api.get(path, {"date_to": value}), "date_to")


@pytest.mark.parametrize(
    "path",
    ["/api/v1/contacts/{}", "/api/v1/shoots/{}", "/api/v1/sales/{}", "/api/v1/inbox/{}"],
)
@pytest.mark.parametrize("pk", [2**31, 2**63 - 1, 2**63, 10**19])
def test_an_id_no_row_can_have_is_not_found_or_invalid(api, path, pk):
    assert api.get(path.format(pk)).status_code in (404, 422)


def test_a_sale_for_a_contact_id_beyond_bigint_is_refused(api):
    assert api.post("/api/v1/sales", sale(10**19)).status_code == 422


@pytest.mark.parametrize("body", [[None, None], [], "text", 1, None])
@pytest.mark.parametrize("path", ["/api/v1/contacts/{}", "/api/v1/sales/{}", "/api/v1/shoots/{}"])
def test_a_patch_body_must_be_an_object(api, contact_id, path, body):
    response = api.patch(path.format(contact_id), body)
    assert response.status_code in (404, 422)
    assert response.json()["error"]["code"] in ("validation_error", "not_found")


def test_patch_of_a_contact_with_a_list_body_is_refused(api, contact_id):
    assert api.patch(f"/api/v1/contacts/{contact_id}", [None, None]).status_code == 422


@pytest.mark.parametrize("method", ["POST", "PATCH", "PUT", "DELETE", "GET"])
def test_an_unknown_api_path_answers_json_404_for_any_method(client, raw_key, method):
    response = client.generic(
        method, "/api/v1/no-such-thing", "{}", content_type="application/json",
        headers={"Authorization": f"Bearer {raw_key}"},
    )  # fmt: skip
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_path_id_that_is_not_a_number_is_json_404_not_a_csrf_page(client, raw_key):
    response = client.post(
        "/api/v1/inbox/null,null/import", "{}", content_type="application/json",
        headers={"Authorization": f"Bearer {raw_key}"},
    )  # fmt: skip
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_body_that_says_it_is_not_json_is_415(client, raw_key):
    response = client.post(
        "/api/v1/contacts", "first_name=Ann", content_type="text/plain",
        headers={"Authorization": f"Bearer {raw_key}"},
    )  # fmt: skip
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"


@pytest.mark.parametrize("path", ["/api/v1/contacts", "/api/v1/sales", "/api/v1/reports/sales"])
def test_an_unknown_query_parameter_is_refused(api, path):
    response = api.get(path, {"date_form": "2026-01-01"})
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"date_form": "Unknown query parameter."}


@pytest.mark.parametrize(
    "body",
    [{"first_name": "Ann", "nickname": "A"}, {"first_name": 1}, {"emails": [{"email": 1}]}],
    ids=["unknown field", "number for text", "nested wrong type"],
)
def test_a_body_with_an_undocumented_field_or_type_is_refused(api, body):
    assert api.post("/api/v1/contacts", body).status_code == 422


def test_every_operation_documents_every_status_it_can_answer(client):
    document = client.get("/api/v1/openapi.json").json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            statuses = {int(code) for code in operation["responses"]}
            assert {400, 401, 404, 422, 429} <= statuses, (method, path)
            if "requestBody" in operation:
                assert {413, 415} <= statuses, (method, path)
