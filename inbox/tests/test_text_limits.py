"""Nothing the Inbox accepts is too long for where it lands (issue #9.8, #10.1).

Every text field of the normalized order and of an enquiry is listed below with the
columns it is written to (by inbox.services or "Import Order"), or as kept only inside
the JSON. A field nobody classified fails the test: the next field added to a schema
must say where it lands, and its limit must fit there.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from pydantic import ValidationError

from core import limits
from galleries.providers.pictime.orders import map_order
from galleries.schema import GalleryOrder
from inbox.schema import Enquiry
from testkit.payloads import order_json
from testkit.text_fields import longest, text_fields

ADDRESS = {
    "line1": ["contacts.ContactAddress.line1"],
    "line2": ["contacts.ContactAddress.line2"],
    "city": ["contacts.ContactAddress.city"],
    "region": ["contacts.ContactAddress.region"],
    "postcode": ["contacts.ContactAddress.postcode"],
    "country": ["contacts.ContactAddress.country"],
}
DISCOUNT = {"code": ["sales.Sale.discount_code"], "description": []}

# path → the columns the value is written to; [] = kept only in JSON (normalized, options).
ORDER_LANDS_IN: dict[str, list[str]] = {
    "provider": ["inbox.InboxItem.source", "sales.Sale.gallery_provider"],
    "account_id": ["inbox.InboxItem.account_id"],
    "order_id": [
        "inbox.InboxItem.external_id",
        "sales.Sale.external_ref",
        "sales.Payment.reference",
    ],
    "order_number": ["inbox.InboxItem.order_number", "sales.Payment.reference"],
    "gallery.id": ["sales.Sale.gallery_id"],
    "gallery.name": ["inbox.InboxItem.gallery_name", "sales.Sale.gallery_name"],
    "gallery.url": ["sales.Sale.gallery_url"],
    "customer.first_name": ["contacts.Contact.first_name"],
    "customer.last_name": ["contacts.Contact.last_name"],
    "customer.email": ["inbox.InboxItem.customer_email", "contacts.ContactEmail.email"],
    "customer.phone": ["contacts.ContactPhone.raw"],
    **{f"customer.billing_address.{k}": v for k, v in ADDRESS.items()},
    **{f"customer.shipping_address.{k}": v for k, v in ADDRESS.items()},
    "currency": ["inbox.InboxItem.currency", "sales.Sale.currency"],
    "lines[].id": ["sales.SaleLine.external_ref"],
    "lines[].sku": [],
    "lines[].kind": ["sales.SaleLine.product_kind"],
    "lines[].name": ["sales.SaleLine.description"],
    "lines[].options{key}": [],
    "lines[].options{value}": [],
    **{f"discounts[].{k}": v for k, v in DISCOUNT.items()},
    **{f"promotions[].{k}": v for k, v in DISCOUNT.items()},
    "shipping_method": ["sales.Sale.shipping_method"],
    "refunds[].id": ["sales.Refund.external_ref"],
    "refunds[].reason": ["sales.Refund.reason"],
    "payment_collected_by": [],
    "status": ["inbox.InboxItem.order_status"],
    "status_raw": [],
    "payment_status": [],
    "payment_status_raw": [],
}
ENQUIRY_LANDS_IN: dict[str, list[str]] = {
    "source": ["inbox.InboxItem.source"],
    "external_id": ["inbox.InboxItem.external_id"],
    "first_name": ["contacts.Contact.first_name"],
    "last_name": ["contacts.Contact.last_name"],
    "email": ["inbox.InboxItem.customer_email", "contacts.ContactEmail.email"],
    "phone": ["contacts.ContactPhone.raw"],
    "message": [],
    "shoot_type": [],
}
SCHEMAS = [
    pytest.param(GalleryOrder, ORDER_LANDS_IN, id="GalleryOrder"),
    pytest.param(Enquiry, ENQUIRY_LANDS_IN, id="Enquiry"),
]


def column(dotted: str) -> models.Field:
    app_label, model_name, field_name = dotted.split(".")
    return apps.get_model(app_label, model_name)._meta.get_field(field_name)


@pytest.mark.parametrize(("schema", "lands_in"), SCHEMAS)
def test_every_text_field_says_where_it_lands(schema, lands_in):
    fields = set(text_fields(schema.model_json_schema()))
    assert fields - set(lands_in) == set(), "new text fields: add them to the map above"
    assert set(lands_in) - fields == set(), "fields gone from the schema: drop them above"


@pytest.mark.parametrize(("schema", "lands_in"), SCHEMAS)
def test_every_text_field_has_a_limit_that_fits_its_columns(schema, lands_in):
    too_long = []
    for path, field in text_fields(schema.model_json_schema()).items():
        accepted = longest(field)
        assert accepted is not None, f"{path} has no maxLength"
        for dotted in lands_in.get(path, []):
            target = column(dotted)
            if isinstance(target, models.CharField) and accepted > target.max_length:
                too_long.append(f"{path} ({accepted}) > {dotted} ({target.max_length})")
    assert too_long == []


def test_a_full_name_fits_the_inbox():
    assert column("inbox.InboxItem.customer_name").max_length >= limits.FULL_NAME
    assert limits.FIRST_NAME + 1 + limits.LAST_NAME <= limits.FULL_NAME


# -- Every text field refuses what does not fit and what no column keeps ------------------


def full_order() -> dict[str, Any]:
    """A valid normalized order with every optional text field present."""
    order = map_order(order_json(discount=100, refunds=[500])).model_dump(mode="json")
    order["customer"]["shipping_address"] = copy.deepcopy(order["customer"]["billing_address"])
    order["promotions"] = [{"code": "TEN", "description": "10% off", "amount_minor": 0}]
    return order


def set_at(document: Any, path: str, value: str) -> None:
    parts = path.replace("[]", ".0").replace("{", ".{").split(".")
    for part in parts[:-1]:
        document = document[int(part)] if part.isdigit() else document[part]
    last = parts[-1]
    if last == "{key}":
        document[value] = document.pop(next(iter(document)))
    elif last == "{value}":
        document[next(iter(document))] = value
    else:
        document[last] = value


FREE_TEXT = [
    path
    for path, field in text_fields(GalleryOrder.model_json_schema()).items()
    if "enum" not in field and path != "currency"
]


@pytest.mark.parametrize("path", FREE_TEXT)
@pytest.mark.parametrize("bad", ["too long", "\x00", "\ud800"])
def test_the_order_schema_refuses_bad_text_in_every_field(path, bad):
    field = text_fields(GalleryOrder.model_json_schema())[path]
    value = "x" * (field["maxLength"] + 1) if bad == "too long" else f"a{bad}"
    order = full_order()
    set_at(order, path, value)
    with pytest.raises(ValidationError):
        GalleryOrder.model_validate(order)


@pytest.mark.parametrize("path", FREE_TEXT)
def test_bidi_controls_are_dropped_from_every_order_field(path):
    order = full_order()
    set_at(order, path, "\u202eA\u2066B\u2069")
    dumped = GalleryOrder.model_validate(order).model_dump(mode="json")
    assert "\u202e" not in repr(dumped) and "\u2066" not in repr(dumped)
