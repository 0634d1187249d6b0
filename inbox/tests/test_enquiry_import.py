""" "Import Enquiry": a contact (matched or new) and an enquiry-status shoot."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from contacts.models import Contact
from inbox.enquiry_import import import_enquiry, shoot_type_of
from inbox.models import InboxItem
from inbox.schema import Enquiry
from inbox.services import receive_enquiry
from shoots.models import Shoot

pytestmark = pytest.mark.django_db


def _enquiry(studio, n=1, **fields):
    values = {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com",
              "message": "Our wedding", "shoot_type": "Wedding", "event_date": "2027-06-14",
              "external_id": f"e{n}"} | fields  # fmt: skip
    enquiry = Enquiry.model_validate(values, strict=False)
    return receive_enquiry(
        studio=studio, enquiry=enquiry, raw_payload="{}", channel="api", delivery_key=f"k{n}"
    ).item


def test_a_certain_match_gets_an_enquiry_shoot(studio, ada):
    item = _enquiry(studio)
    shoot = import_enquiry(item=item)
    assert shoot.status == Shoot.Status.ENQUIRY
    assert shoot.shoot_type == Shoot.Type.WEDDING
    assert list(shoot.contacts.all()) == [ada]
    assert shoot.starts_at.date().isoformat() == "2027-06-14"
    assert "Our wedding" in shoot.notes
    item.refresh_from_db()
    assert item.state == InboxItem.State.IMPORTED
    assert item.normalized["imported"] == {"contact_id": ada.pk, "shoot_id": shoot.pk}
    assert import_enquiry(item=item) == shoot  # twice: the same shoot
    assert Shoot.objects.count() == 1


def test_no_match_needs_a_choice_or_a_new_contact(studio):
    item = _enquiry(studio, email="new@example.com", phone="")
    with pytest.raises(ValidationError, match="Create a new contact"):
        import_enquiry(item=item)
    assert not Shoot.objects.exists()
    shoot = import_enquiry(item=item, create_contact=True)
    contact = shoot.contacts.get()
    assert contact.source == Contact.Source.WEBSITE
    assert contact.emails.get().email == "new@example.com"


def test_without_a_date_the_notes_say_to_agree_one(studio, ada):
    shoot = import_enquiry(item=_enquiry(studio, event_date=None))
    assert "agree one" in shoot.notes


def test_shoot_types_from_free_text():
    assert shoot_type_of("Wedding photography") == Shoot.Type.WEDDING
    assert shoot_type_of("newborn") == Shoot.Type.NEWBORN
    assert shoot_type_of("Boudoir") == Shoot.Type.OTHER


def test_the_window_imports_with_a_new_contact(auth_client, studio):
    item = _enquiry(studio, email="new@example.com")
    detail = auth_client.get(reverse("inbox:detail", args=[item.pk])).content.decode()
    assert "Import Enquiry" in detail
    url = reverse("inbox:import_enquiry", args=[item.pk])
    window = auth_client.get(url).content.decode()
    assert "No contact matches" in window
    response = auth_client.post(url, {"contact": "new"})
    shoot = Shoot.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{shoot.pk}/")
    detail = auth_client.get(reverse("inbox:detail", args=[item.pk])).content.decode()
    assert "Open the shoot" in detail


def test_the_window_shows_the_certain_match(auth_client, studio, ada):
    item = _enquiry(studio)
    window = auth_client.get(reverse("inbox:import_enquiry", args=[item.pk])).content.decode()
    assert "Matches <strong>Ada Lovelace</strong>" in window
