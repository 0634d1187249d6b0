"""New clients imported one after another with "Create a new contact": a namesake placed
earlier in the same batch must never receive a later client's order on evidence a
namesake can share (the name, a street line, a surname one letter away); the same
client ordering again (same email) still goes to the contact the first order created.
"""

from __future__ import annotations

from typing import Any

import pytest

from contacts.models import Contact
from galleries.providers.pictime.orders import map_order
from inbox.importing import import_item
from inbox.intake import take_in_normalized
from testkit.payloads import order_json

pytestmark = pytest.mark.django_db


def client_order(
    n: int,
    *,
    first: str,
    last: str,
    email: str,
    phone: str,
    line1: str,
    city: str,
    postcode: str,
) -> dict[str, Any]:
    payload = order_json(order_id=f"ord_{n:04d}", first_name=first, last_name=last, email=email)
    payload["client"]["phone"] = phone
    payload["billing_address"].update(line1=line1, city=city, postcode=postcode)
    return payload


def import_new(studio, payload: dict[str, Any]) -> Contact:
    """Receive the order and import it with "Create a new contact" ticked."""
    item = take_in_normalized(
        studio=studio,
        order=map_order(payload),
        raw_payload="{}",
        channel="webhook",
        delivery_key=f"msg_{payload['id']}",
    ).item
    return import_item(item=item, create_contact=True).contact


ADA_IN_LONDON = {
    "first": "Ada",
    "last": "Lovelace",
    "email": "ada@example.com",
    "phone": "+44 20 7946 0958",
    "line1": "1 High St",
    "city": "London",
    "postcode": "N1 9GU",
}


def test_namesake_on_the_same_street_line_in_another_town_gets_her_own_contact(studio):
    first = import_new(studio, client_order(1, **ADA_IN_LONDON))
    namesake = {
        **ADA_IN_LONDON,
        "email": "ada.lovelace@elsewhere.test",
        "phone": "+44 161 496 0000",
        "city": "Manchester",
        "postcode": "M1 1AE",
    }
    second = import_new(studio, client_order(2, **namesake))
    assert second != first
    assert Contact.objects.filter(studio=studio, first_name="Ada").count() == 2


def test_surname_one_letter_away_in_another_town_gets_its_own_contact(studio):
    liu = {**ADA_IN_LONDON, "first": "Wei", "last": "Liu", "email": "wei.liu@example.com"}
    first = import_new(studio, client_order(1, **liu))
    li = {**liu, "last": "Li", "email": "", "phone": "", "city": "York", "postcode": "YO1 7HH"}
    second = import_new(studio, client_order(2, **li))
    assert second != first and second.last_name == "Li"


def test_namesake_at_the_same_home_with_another_email_gets_her_own_contact(studio):
    """A mother and daughter of one name at one address, each with her own email and
    phone: the full address is a basis, but the disagreeing email and phone block it."""
    mother = import_new(studio, client_order(1, **ADA_IN_LONDON))
    daughter = {**ADA_IN_LONDON, "email": "ada.junior@example.com", "phone": "+44 7700 900555"}
    assert import_new(studio, client_order(2, **daughter)) != mother


def test_the_same_client_ordering_again_goes_to_the_contact_her_first_order_created(studio):
    first = import_new(studio, client_order(1, **ADA_IN_LONDON))
    again = import_new(studio, client_order(2, **ADA_IN_LONDON))
    assert again == first
    assert Contact.objects.filter(studio=studio).count() == 1


def test_a_batch_of_namesakes_makes_one_contact_each_and_repeat_orders_find_theirs(studio):
    towns = [("London", "N1 9GU"), ("Leeds", "LS1 4AP"), ("Bath", "BA1 1AA"), ("York", "YO1 7HH")]
    people = [
        {**ADA_IN_LONDON, "email": f"ada{n}@example.com", "phone": f"+44 7700 90010{n}",
         "city": city, "postcode": postcode}
        for n, (city, postcode) in enumerate(towns)
    ]  # fmt: skip
    created = [import_new(studio, client_order(n, **p)) for n, p in enumerate(people)]
    assert len({c.pk for c in created}) == len(people)
    repeats = [import_new(studio, client_order(10 + n, **p)) for n, p in enumerate(people)]
    assert repeats == created
