import json

import pytest

from inbox.models import InboxDelivery, InboxItem
from testkit.payloads import normalized


@pytest.mark.django_db
def test_push_order_creates_one_item_and_a_retry_is_a_duplicate(api):
    body = normalized()
    first = api.post("/api/v1/inbox/orders", body, headers={"Idempotency-Key": "k1"})
    assert first.status_code == 201
    assert first.json()["created"] is True
    item = first.json()["item"]
    assert (item["source"], item["state"], item["total_minor"]) == ("theimagefile", "new", 7260)
    assert item["total"] == "72.60"
    again = api.post("/api/v1/inbox/orders", body, headers={"Idempotency-Key": "k1"})
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    without_key = api.post("/api/v1/inbox/orders", body)
    assert without_key.status_code == 200 and without_key.json()["duplicate"] is True
    another_key = api.post("/api/v1/inbox/orders", body, headers={"Idempotency-Key": "k2"})
    assert another_key.status_code == 200 and another_key.json()["duplicate"] is True
    assert InboxItem.objects.count() == 1


@pytest.mark.django_db
def test_push_of_a_later_version_updates_the_same_item(api):
    api.post("/api/v1/inbox/orders", normalized())
    later = normalized(refunds=[500], updated_at="2026-05-09T10:00:00Z")
    response = api.post("/api/v1/inbox/orders", later)
    assert response.status_code == 200
    assert InboxItem.objects.get().normalized["refunds"][0]["amount_minor"] == 500
    assert InboxDelivery.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda o: o.update(currency="XYZ"), "currency"),
        (lambda o: o["lines"][0].update(quantity=-1), "lines.0.quantity"),
        (lambda o: o["lines"][0].update(quantity="many"), "lines.0.quantity"),
        (lambda o: o.pop("order_id"), "order_id"),
        (lambda o: o.update(total_minor=o["total_minor"] + 1), "total_minor"),
        (lambda o: o.update(unexpected="x"), "unexpected"),
    ],
    ids=["currency", "negative quantity", "wrong type", "missing", "totals", "unknown field"],
)
def test_bad_pushes_get_a_clear_422_and_store_nothing(api, change, field):
    body = normalized()
    change(body)
    response = api.post("/api/v1/inbox/orders", body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert field in json.dumps(error)
    assert InboxItem.objects.count() == 0


@pytest.mark.django_db
def test_malformed_json_and_oversized_bodies_are_refused(api):
    response = api.post("/api/v1/inbox/orders", "{not json")
    assert response.status_code in (400, 422)
    assert "error" in response.json()
    huge = normalized()
    huge["lines"][0]["name"] = "x" * 1_100_000
    assert api.post("/api/v1/inbox/orders", huge).status_code == 413
    assert InboxItem.objects.count() == 0


@pytest.mark.django_db
def test_push_enquiry_and_read_it_back(api):
    response = api.post(
        "/api/v1/inbox/enquiries",
        {
            "first_name": "Lena",
            "last_name": "Berg",
            "email": "lena@example.test",
            "message": "Do you have June dates?",
            "shoot_type": "wedding",
            "external_id": "form-7",
        },
    )
    assert response.status_code == 201
    item_id = response.json()["item"]["id"]
    detail = api.get(f"/api/v1/inbox/{item_id}").json()
    assert detail["kind"] == "enquiry"
    assert detail["enquiry"]["message"] == "Do you have June dates?"
    assert detail["deliveries"][0]["channel"] == "api"
    assert api.post("/api/v1/inbox/enquiries", {"message": "no way to answer"}).status_code == 422


@pytest.mark.django_db
def test_list_filters_by_state_and_pages_with_a_cursor(api):
    for n in range(5):
        api.post("/api/v1/inbox/orders", {**normalized(), "order_id": f"o{n}"})
    InboxItem.objects.filter(external_id="o0").update(state="dismissed")
    page1 = api.get("/api/v1/inbox", {"limit": 2, "state": "new"}).json()
    page2 = api.get(
        "/api/v1/inbox", {"limit": 2, "state": "new", "cursor": page1["next_cursor"]}
    ).json()
    ids = [i["external_id"] for i in page1["data"] + page2["data"]]
    assert ids == ["o4", "o3", "o2", "o1"] and page2["next_cursor"] is None


@pytest.mark.django_db
def test_another_studios_item_is_404(api, other_api):
    item_id = other_api.post("/api/v1/inbox/orders", normalized()).json()["item"]["id"]
    response = api.get(f"/api/v1/inbox/{item_id}")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


@pytest.mark.django_db
def test_import_through_the_api_creates_the_contact_and_returns_the_sale(api, studio):
    item_id = api.post("/api/v1/inbox/orders", normalized()).json()["item"]["id"]
    refused = api.post(f"/api/v1/inbox/{item_id}/import", {"create_contact": False})
    assert refused.status_code == 422 and "contact_id" in refused.json()["error"]["fields"]
    response = api.post(
        f"/api/v1/inbox/{item_id}/import", {"create_contact": True, "shoot": "none"}
    )
    assert response.status_code == 201
    sale = response.json()
    assert sale["total_minor"] == 7260 and sale["external_ref"] == "PT-1001"
    assert len(sale["lines"]) == 2 and sale["shoot_id"] is None
    again = api.post(f"/api/v1/inbox/{item_id}/import", {"create_contact": True})
    assert again.json()["id"] == sale["id"]
    assert api.get(f"/api/v1/inbox/{item_id}").json()["state"] == "imported"


@pytest.mark.django_db
def test_import_of_another_studios_item_is_404(api, other_api):
    item_id = other_api.post("/api/v1/inbox/orders", normalized()).json()["item"]["id"]
    assert api.post(f"/api/v1/inbox/{item_id}/import", {"create_contact": True}).status_code == 404
