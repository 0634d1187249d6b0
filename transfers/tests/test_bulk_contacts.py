"""contacts.services.create_contacts (the import's bulk insert): the same checks and keys
as create_contact, nothing saved when one person is refused, tags reused."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from contacts import keys
from contacts.models import Contact, Tag
from contacts.services import create_contacts


def test_keys_details_and_tags_as_create_contact_stores_them(studio, make_contact):
    make_contact("Old", "Client", tags=["VIP"])
    made = create_contacts(
        studio=studio,
        people=[
            {"first_name": "José", "last_name": "Müller", "emails": ["JOSE@Example.com"],
             "phones": ["07700 900123"], "tags": ["vip", "wedding"],
             "addresses": [{"line1": "10 High St", "postcode": "ba1 1aa"}]},
            {"company": "Acme", "tags": ["wedding"]},
        ],
    )  # fmt: skip
    jose = Contact.objects.get(pk=made[0].pk)
    assert jose.name_key == keys.name_key("José", "Müller")
    assert jose.surname_key == keys.surname_key("José", "Müller")
    assert list(jose.emails.values_list("email_normalized", "is_primary")) == [
        ("jose@example.com", True)
    ]
    assert list(jose.phones.values_list("e164", flat=True)) == ["+447700900123"]
    address = jose.addresses.get()
    assert (address.postcode_key, address.street_key) == ("BA11AA", "10 hig")
    assert sorted(jose.tags.values_list("name", flat=True)) == ["VIP", "wedding"]
    assert Tag.objects.filter(studio=studio).count() == 2  # "vip" reused "VIP"
    assert list(made[1].tags.values_list("name", flat=True)) == ["wedding"]


def test_one_refused_person_saves_nothing_and_names_its_index(studio):
    with pytest.raises(ValidationError) as caught:
        create_contacts(
            studio=studio,
            people=[{"first_name": "Ann"}, {"first_name": "Bad", "emails": ["nope@"]}, {}],
        )
    assert set(caught.value.error_dict) == {"1", "2"}
    assert not Contact.objects.filter(studio=studio).exists()
