"""A contact's names through the one write path (contacts.services): bidi controls are
dropped, NUL is refused on the field, limits come from core.limits (issue #10.9, #9.8)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from contacts.forms import ContactForm
from contacts.models import Contact
from contacts.services import create_contact
from core import limits


@pytest.mark.django_db
def test_bidi_controls_are_dropped_from_names(studio):
    contact = create_contact(
        studio=studio, first_name="\u2067Ada\u2069", last_name="\u202eecalevoL", company="A\u202dB"
    )
    assert (contact.first_name, contact.last_name, contact.company) == ("Ada", "ecalevoL", "AB")


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["first_name", "last_name", "company"])
def test_nul_in_a_name_is_refused_on_that_field(studio, field):
    with pytest.raises(ValidationError) as raised:
        create_contact(studio=studio, **{field: "Ada\x00"})
    assert field in raised.value.error_dict
    assert Contact.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "limit"),
    [
        ("first_name", limits.FIRST_NAME),
        ("last_name", limits.LAST_NAME),
        ("company", limits.COMPANY),
    ],
)
def test_the_form_model_and_limits_agree(name, limit):
    assert ContactForm.base_fields[name].max_length == limit
    assert Contact._meta.get_field(name).max_length == limit
