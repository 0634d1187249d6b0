import datetime as dt
import json

import pytest
import time_machine

from api.models import IdempotencyRecord
from api.services import purge_expired_idempotency_records
from contacts.models import Contact
from contacts.services import create_contact
from inbox.models import InboxDelivery, InboxItem
from sales.models import Sale

pytestmark = pytest.mark.django_db
KEY = {"Idempotency-Key": "order-42-attempt"}


def test_same_key_and_body_replays_the_first_response(api, studio):
    first = api.post("/api/v1/contacts", {"first_name": "Ann"}, headers=KEY)
    assert first.status_code == 201 and "Idempotent-Replayed" not in first
    again = api.post("/api/v1/contacts", {"first_name": "Ann"}, headers=KEY)
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Contact.objects.for_studio(studio).count() == 1
    assert IdempotencyRecord.objects.for_studio(studio).count() == 1


def test_formatting_and_key_order_do_not_make_a_different_request(api, studio):
    body = {"first_name": "Ann", "last_name": "Lee"}
    api.post("/api/v1/contacts", body, headers=KEY)
    reordered = json.dumps({"last_name": "Lee", "first_name": "Ann"}, indent=4)
    again = api.post("/api/v1/contacts", reordered, headers=KEY)
    assert again["Idempotent-Replayed"] == "true"
    assert Contact.objects.for_studio(studio).count() == 1


def test_same_key_with_a_different_body_is_a_conflict(api, studio):
    api.post("/api/v1/contacts", {"first_name": "Ann"}, headers=KEY)
    response = api.post("/api/v1/contacts", {"first_name": "Bob"}, headers=KEY)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "idempotency_conflict"
    assert list(Contact.objects.for_studio(studio).values_list("first_name", flat=True)) == ["Ann"]


def test_same_key_on_another_endpoint_is_a_conflict(api, studio):
    contact = create_contact(studio=studio, first_name="Ann")
    api.post("/api/v1/contacts", {"first_name": "Bob"}, headers=KEY)
    links = [{"contact_id": contact.pk}]
    shoot = {"title": "x", "starts_at": "2026-01-01T10:00:00Z", "contacts": links}
    response = api.post("/api/v1/shoots", shoot, headers=KEY)
    assert response.status_code == 409


def test_a_refused_request_is_not_stored_so_the_key_can_be_reused(api, studio):
    bad = api.post("/api/v1/contacts", {"emails": [{"email": "nope"}]}, headers=KEY)
    assert bad.status_code == 422
    assert not IdempotencyRecord.objects.exists()
    good = api.post("/api/v1/contacts", {"first_name": "Ann"}, headers=KEY)
    assert good.status_code == 201 and "Idempotent-Replayed" not in good


def test_keys_are_per_studio(api, other_api, studio, other_studio):
    api.post("/api/v1/contacts", {"first_name": "Ann"}, headers=KEY)
    theirs = other_api.post("/api/v1/contacts", {"first_name": "Ann"}, headers=KEY)
    assert theirs.status_code == 201 and "Idempotent-Replayed" not in theirs
    assert Contact.objects.for_studio(other_studio).count() == 1


def test_sales_replay_without_a_second_sale(api, studio):
    contact = create_contact(studio=studio, first_name="Ann")
    payload = {
        "contact_id": contact.pk,
        "sale_date": "2026-05-02",
        "lines": [{"description": "Print", "product_kind": "print", "unit_price_minor": 900}],
    }
    first = api.post("/api/v1/sales", payload, headers=KEY)
    again = api.post("/api/v1/sales", payload, headers=KEY)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Sale.objects.for_studio(studio).count() == 1


def test_without_the_header_each_post_creates(api, studio):
    api.post("/api/v1/contacts", {"first_name": "Ann"})
    api.post("/api/v1/contacts", {"first_name": "Ann"})
    assert Contact.objects.for_studio(studio).count() == 2


def test_an_overlong_key_is_refused(api, studio):
    response = api.post(
        "/api/v1/contacts", {"first_name": "Ann"}, headers={"Idempotency-Key": "k" * 201}
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
    assert not Contact.objects.exists()


def test_a_key_is_forgotten_after_a_day(api, studio):
    start = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        api.post("/api/v1/contacts", {"first_name": "Ann"}, headers=KEY)
    with time_machine.travel(start + dt.timedelta(hours=23), tick=False):
        replay = api.post("/api/v1/contacts", {"first_name": "Bob"}, headers=KEY)
        assert replay.status_code == 409
        assert purge_expired_idempotency_records() == 0
    with time_machine.travel(start + dt.timedelta(hours=25), tick=False):
        fresh = api.post("/api/v1/contacts", {"first_name": "Bob"}, headers=KEY)
        assert fresh.status_code == 201 and "Idempotent-Replayed" not in fresh
        assert IdempotencyRecord.objects.for_studio(studio).count() == 1
    with time_machine.travel(start + dt.timedelta(hours=50), tick=False):
        assert purge_expired_idempotency_records() == 1
    assert Contact.objects.for_studio(studio).count() == 2


# Every POST that honours the header follows the same rule (issue #9.2): a reused key with a
# different body is a 409 that stores nothing, never a "duplicate" answer with the earlier item.


def pushed_order(**changes) -> dict:
    from testkit.payloads import normalized

    return {**normalized(), **changes}


def test_push_with_a_reused_key_and_a_later_version_is_a_conflict(api, studio):
    first = api.post("/api/v1/inbox/orders", pushed_order(), headers=KEY)
    assert first.status_code == 201
    later = pushed_order(updated_at="2026-05-09T10:00:00Z", status="cancelled")
    response = api.post("/api/v1/inbox/orders", later, headers=KEY)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "idempotency_conflict"
    item = InboxItem.objects.for_studio(studio).get()
    assert item.normalized["status"] != "cancelled"
    assert InboxDelivery.objects.for_studio(studio).count() == 1


def test_push_with_a_reused_key_and_another_order_stores_nothing(api, studio):
    api.post("/api/v1/inbox/orders", pushed_order(), headers=KEY)
    response = api.post("/api/v1/inbox/orders", pushed_order(order_id="ord_other"), headers=KEY)
    assert response.status_code == 409
    assert list(InboxItem.objects.for_studio(studio).values_list("external_id", flat=True)) == [
        "ord_1001"
    ]


def test_push_with_the_same_key_and_body_replays_the_first_answer(api, studio):
    first = api.post("/api/v1/inbox/orders", pushed_order(), headers=KEY)
    again = api.post("/api/v1/inbox/orders", pushed_order(), headers=KEY)
    assert (again.status_code, again["Idempotent-Replayed"]) == (201, "true")
    assert again.json() == first.json()
    assert InboxDelivery.objects.for_studio(studio).count() == 1


def test_a_key_forgotten_after_a_day_does_not_make_a_new_body_a_duplicate(api, studio):
    start = dt.datetime(2026, 5, 10, 12, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        api.post("/api/v1/inbox/orders", pushed_order(), headers=KEY)
    later = pushed_order(updated_at="2026-05-09T10:00:00Z", status="cancelled")
    with time_machine.travel(start + dt.timedelta(hours=25), tick=False):
        response = api.post("/api/v1/inbox/orders", later, headers=KEY)
    assert response.status_code == 200 and response.json()["duplicate"] is False
    assert InboxItem.objects.for_studio(studio).get().normalized["status"] == "cancelled"


ENQUIRY = {"first_name": "Lena", "email": "lena@example.test", "message": "June dates?"}


def test_enquiry_with_a_reused_key_and_another_message_is_a_conflict(api, studio):
    assert api.post("/api/v1/inbox/enquiries", ENQUIRY, headers=KEY).status_code == 201
    other = {**ENQUIRY, "message": "Actually, July?"}
    response = api.post("/api/v1/inbox/enquiries", other, headers=KEY)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "idempotency_conflict"
    assert InboxItem.objects.for_studio(studio).count() == 1
    again = api.post("/api/v1/inbox/enquiries", ENQUIRY, headers=KEY)
    assert again["Idempotent-Replayed"] == "true"


def test_import_with_a_reused_key_and_other_choices_is_a_conflict(api, studio):
    item_id = api.post("/api/v1/inbox/orders", pushed_order()).json()["item"]["id"]
    path = f"/api/v1/inbox/{item_id}/import"
    first = api.post(path, {"create_contact": True, "shoot": "none"}, headers=KEY)
    assert first.status_code == 201
    ann = create_contact(studio=studio, first_name="Ann")
    response = api.post(path, {"contact_id": ann.pk}, headers=KEY)
    assert response.status_code == 409
    assert api.post(path, {"create_contact": True, "shoot": "none"}, headers=KEY).json() == (
        first.json()
    )
    assert Sale.objects.for_studio(studio).get().contact_id != ann.pk


@pytest.mark.parametrize(
    ("path", "operation"),
    [
        ("/contacts", "post"),
        ("/shoots", "post"),
        ("/sales", "post"),
        ("/inbox/orders", "post"),
        ("/inbox/enquiries", "post"),
        ("/inbox/{item_id}/import", "post"),
    ],
)
def test_every_keyed_post_documents_the_conflict(api, path, operation):
    schema = api.get("/api/v1/openapi.json").json()
    responses = schema["paths"][f"/api/v1{path}"][operation]["responses"]
    assert "409" in responses
    parameters = schema["paths"][f"/api/v1{path}"][operation].get("parameters", [])
    assert "Idempotency-Key" in {p["name"] for p in parameters if p["in"] == "header"}
