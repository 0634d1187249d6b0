"""An order the Inbox accepts always imports: a customer detail a contact cannot hold
(an email that isn't one, an unknown country, a phone that isn't one) is left off the
new contact and named on the sale, never a refusal (issue #9 defect 8, its class)."""

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from galleries.providers.pictime.orders import OrderMappingError, map_order
from inbox.importing import import_item
from inbox.intake import take_in_normalized
from testkit.payloads import order_json

pytestmark = pytest.mark.django_db

NUMBERS = itertools.count(1)
ODD_DETAILS = [
    ("email", "not-an-email"),
    ("email", "ada@@example.com"),
    ("phone", "call me maybe"),
    ("country", "ZZ"),
    ("postcode", "x" * 20),
]


def _received(studio, field: str, value: str):
    payload = order_json(order_id=f"odd-{field}-{len(value)}", email="ada@example.com")
    if field in ("email", "phone"):
        payload["client"][field] = value
    else:
        payload["billing_address"][field] = value
    order = map_order(payload)
    return take_in_normalized(
        studio=studio, order=order, raw_payload="{}", channel="webhook",
        delivery_key=f"odd-{field}-{value}",
    ).item  # fmt: skip


@pytest.mark.parametrize(("field", "value"), ODD_DETAILS)
def test_an_odd_customer_detail_never_blocks_the_import(studio, field, value):
    item = _received(studio, field, value)
    sale = import_item(item=item, create_contact=True, shoot="none")
    contact = sale.contact
    assert contact.first_name == "Ada"
    kept = {
        "email": list(contact.emails.values_list("email", flat=True)),
        "phone": list(contact.phones.values_list("raw", flat=True)),
        "country": list(contact.addresses.values_list("country", flat=True)),
        "postcode": list(contact.addresses.values_list("postcode", flat=True)),
    }[field]
    if value not in kept:
        assert "Not copied to the contact" in sale.notes and field in sale.notes


def test_an_odd_detail_added_to_a_chosen_contact_is_left_off_and_named(studio):
    from contacts.services import create_contact

    ada = create_contact(studio=studio, first_name="Ada", last_name="Lovelace")
    item = _received(studio, "email", "not-an-email")
    sale = import_item(item=item, contact_id=ada.pk, add_details=["email", "phone"], shoot="none")
    assert sale.contact == ada
    assert not ada.emails.exists() and ada.phones.count() == 1
    assert "Not copied to the contact: email (" in sale.notes


STORABLE = st.text(
    alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=60
)


@given(email=STORABLE, phone=STORABLE, country=STORABLE, postcode=STORABLE)
@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))  # fmt: skip
def test_any_order_the_inbox_accepts_imports_as_a_new_contact(
    studio, email, phone, country, postcode
):
    payload = order_json(order_id=f"any-{next(NUMBERS)}")
    payload["client"] |= {"email": email, "phone": phone}
    payload["billing_address"] |= {"country": country, "postcode": postcode}
    try:
        order = map_order(payload)
    except OrderMappingError:
        return  # refused at the edge: kept as needs attention, never imported
    item = take_in_normalized(
        studio=studio, order=order, raw_payload="{}", channel="webhook",
        delivery_key=order.order_id,
    ).item  # fmt: skip
    sale = import_item(item=item, create_contact=True, shoot="none")
    assert sale.contact.last_name == "Lovelace" and sale.total_minor == order.total_minor
