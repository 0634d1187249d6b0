"""Text at the API's edge (issue #10.6, #9.8): NUL and lone surrogates anywhere in a body
or a query are a 422 naming the field, for every operation; every text field of an input
schema fits the column it is written to."""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.db import models

from api.routers import contacts, inbox, sales, shoots
from contacts.models import Contact
from galleries.schema import GalleryOrder
from inbox.models import InboxItem
from testkit.text_fields import longest, text_fields

NUL, SURROGATE = "\u0000", "\ud800"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/contacts", "/api/v1/shoots", "/api/v1/sales"])
@pytest.mark.parametrize("bad", [NUL, f"a{NUL}b"])
def test_nul_in_a_search_is_a_422_naming_q(api, path, bad):
    response = api.get(path, {"q": bad})
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] == "validation_error" and "q" in error["fields"]


def contact_with(**fields) -> dict:
    return {"first_name": "Ada", "last_name": "Lovelace", **fields}


BODIES = [
    ("/api/v1/contacts", contact_with(first_name=f"A{NUL}"), "first_name"),
    ("/api/v1/contacts", contact_with(notes=f"n{NUL}"), "notes"),
    ("/api/v1/contacts", contact_with(emails=[{"email": f"a{NUL}@x.test"}]), "emails.0.email"),
    ("/api/v1/contacts", contact_with(tags=["ok", f"t{SURROGATE}"]), "tags.1"),
    ("/api/v1/contacts", contact_with(**{f"k{NUL}": 1}), "(key)"),
    ("/api/v1/shoots", {"title": f"T{NUL}", "starts_at": "2026-06-01T10:00:00Z"}, "title"),
    ("/api/v1/inbox/enquiries", {"email": "a@x.test", "message": f"hi{NUL}"}, "message"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "body", "field"), BODIES)
def test_forbidden_text_in_a_body_is_a_422_naming_the_field(api, path, body, field):
    response = api.post(path, body)
    assert response.status_code == 422, response.content
    assert field in response.json()["error"]["fields"]
    assert Contact.objects.count() == 0 and InboxItem.objects.count() == 0


@pytest.mark.django_db
def test_a_pushed_order_with_nul_is_refused_and_names_the_field(api):
    from galleries.providers.pictime.orders import map_order
    from testkit.payloads import order_json

    order = map_order(order_json()).model_dump(mode="json")
    order["customer"]["last_name"] = f"Love{NUL}lace"
    response = api.post("/api/v1/inbox/orders", order)
    assert response.status_code == 422
    assert "customer.last_name" in response.json()["error"]["fields"]
    assert InboxItem.objects.count() == 0


@pytest.mark.django_db
def test_a_body_that_is_not_utf8_is_a_client_error(api):
    body = json.dumps(contact_with()).encode("utf-16")
    response = api.client.post(
        "/api/v1/contacts", body, content_type="application/json",
        headers={"Authorization": f"Bearer {api.key}"},
    )  # fmt: skip
    assert 400 <= response.status_code < 500


@pytest.mark.django_db
def test_bidi_controls_are_dropped_from_a_contacts_names(api):
    response = api.post("/api/v1/contacts", contact_with(last_name="\u202eecalevoL\u202c"))
    assert response.status_code == 201, response.content
    assert response.json()["last_name"] == "ecalevoL"


# -- Every text field of an input schema fits its column ----------------------------------

# schema → {path prefix: model}; a field lands in the column of its own name there.
TARGETS = {
    contacts.ContactIn: {"": "contacts.Contact", "emails[]": "contacts.ContactEmail",
                         "phones[]": "contacts.ContactPhone",
                         "addresses[]": "contacts.ContactAddress"},
    shoots.ShootIn: {"": "shoots.Shoot", "contacts[]": "shoots.ShootContact"},
    sales.SaleIn: {"": "sales.Sale", "lines[]": "sales.SaleLine", "payments[]": "sales.Payment"},
}  # fmt: skip
TARGETS[contacts.ContactPatch] = TARGETS[contacts.ContactIn]
TARGETS[shoots.ShootPatch] = TARGETS[shoots.ShootIn]
TARGETS[sales.SalePatch] = TARGETS[sales.SaleIn]
RENAMED = {"phones[].number": "contacts.ContactPhone.raw", "tags[]": "contacts.Tag.name"}
NOT_A_COLUMN = {"lines[].options{key}", "lines[].options{value}"}


def column_of(schema: type, path: str) -> models.Field | None:
    if path in RENAMED:
        app_label, model, field = RENAMED[path].split(".")
        return apps.get_model(app_label, model)._meta.get_field(field)
    prefix, _, name = path.rpartition(".")
    app_label, model = TARGETS[schema][prefix].split(".")
    return apps.get_model(app_label, model)._meta.get_field(name)


@pytest.mark.parametrize("schema", list(TARGETS), ids=lambda schema: schema.__name__)
def test_every_text_field_of_an_input_schema_fits_its_column(schema):
    problems = []
    for path, field in text_fields(schema.model_json_schema()).items():
        if path in NOT_A_COLUMN:
            continue
        target = column_of(schema, path)
        if isinstance(target, models.CharField):
            accepted = longest(field)
            if accepted is None or accepted > target.max_length:
                problems.append(f"{path} accepts {accepted}, the column holds {target.max_length}")
    assert problems == []


def test_the_pushed_order_is_the_schema_the_inbox_checks():
    """The push endpoint takes GalleryOrder itself, so inbox/tests/test_text_limits.py
    covers its fields; this says so, should the endpoint get a schema of its own."""
    from inbox.schema import Enquiry

    operations = {op.view_func.__name__: op for op in _operations()}
    assert operations["push_order"].signature.models[0].__annotations__["payload"] is GalleryOrder
    assert operations["push_enquiry"].signature.models[0].__annotations__["payload"] is Enquiry


def _operations():
    for path_view in inbox.router.path_operations.values():
        yield from path_view.operations


@pytest.mark.django_db
def test_an_order_at_every_person_limit_imports_as_a_new_contact(api):
    """#9.8: what the Inbox accepts, "create a new contact" can store."""
    from core import limits
    from galleries.providers.pictime.orders import map_order
    from testkit.payloads import order_json

    order = map_order(order_json()).model_dump(mode="json")
    customer = order["customer"]
    customer["first_name"], customer["last_name"] = "F" * limits.FIRST_NAME, "L" * limits.LAST_NAME
    customer["billing_address"].update(
        line1="1" * limits.ADDRESS_LINE, line2="2" * limits.ADDRESS_LINE,
        city="C" * limits.CITY, region="R" * limits.REGION, postcode="P" * limits.POSTCODE,
    )  # fmt: skip
    pushed = api.post("/api/v1/inbox/orders", order)
    assert pushed.status_code == 201, pushed.content
    item_id = pushed.json()["item"]["id"]
    imported = api.post(f"/api/v1/inbox/{item_id}/import", {"create_contact": True})
    assert imported.status_code == 201, imported.content
    contact = Contact.objects.get()
    assert (contact.first_name, contact.last_name) == (
        customer["first_name"],
        customer["last_name"],
    )

    customer["last_name"] = "L" * (limits.LAST_NAME + 1)
    order["order_id"] = "ord_too_long"
    refused = api.post("/api/v1/inbox/orders", order)
    assert refused.status_code == 422
    assert "customer.last_name" in refused.json()["error"]["fields"]
