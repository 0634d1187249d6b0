"""The class behind "None of these keeps the previous contact's shoot": whatever contact
and shoot are chosen, a sale never sits on a shoot its contact is not on, and the window
offers only the chosen contact's shoots and details."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from contacts.services import create_contact
from inbox.importing import import_item
from shoots.selectors import shoots_for_contact
from testkit.factories import make_shoot as shoot
from testkit.factories import receive


class Undo(Exception):
    """Rolls one case back, so every case starts from the same data."""


@pytest.fixture
def people(studio):
    ada = create_contact(
        studio=studio, first_name="Ada", last_name="Lovelace", emails=["ada@example.com"]
    )
    grace = create_contact(
        studio=studio, first_name="Grace", last_name="Hopper", phones=["+44 20 7946 0958"]
    )
    shoot(studio, ada, "Family day", datetime(2026, 4, 20, tzinfo=UTC))
    shoot(studio, grace, "Navy portraits", datetime(2026, 2, 1, tzinfo=UTC))
    shoot(studio, grace, "Enquiry", datetime(2026, 4, 1, tzinfo=UTC), status="enquiry")
    return {"ada": ada, "grace": grace}


@pytest.mark.django_db
def test_no_choice_of_contact_and_shoot_puts_a_sale_on_a_stranger_s_shoot(studio, people):
    item = receive(studio)
    all_shoots = [
        s.pk for p in people.values() for s in shoots_for_contact(studio=studio, contact=p)
    ]
    contacts = [{"contact_id": p.pk, "use_match": False} for p in people.values()]
    contacts += [{"create_contact": True, "use_match": False}, {}]  # new; the certain match
    outcomes = []
    for contact, shoot_choice in itertools.product(
        contacts, [*all_shoots, "none", "most_recent_confirmed"]
    ):
        try:
            with transaction.atomic():
                sale = import_item(item=item, shoot=shoot_choice, **contact)
                outcomes.append("imported")
                assert (
                    sale.shoot is None
                    or sale.shoot.shoot_contacts.filter(contact=sale.contact).exists()
                ), (contact, shoot_choice)
                raise Undo
        except ValidationError as exc:
            outcomes.append("refused")
            assert "is not a shoot of" in " ".join(exc.messages)
        except Undo:
            pass
    # Each of the 4 choices: "none" and "most recent"; then each contact's own shoots (Ada
    # 1, Grace 2, a new contact 0, the certain match, Ada, 1).
    assert outcomes.count("imported") == 4 * 2 + 4
    assert outcomes.count("refused") == len(outcomes) - outcomes.count("imported")


@pytest.mark.django_db
def test_the_window_offers_only_the_chosen_contacts_shoots_and_details(auth_client, studio, people):
    item = receive(studio)
    url = reverse("inbox:import", args=[item.pk])
    for name, person in [*people.items(), ("none", None)]:
        choice = person.pk if person else "none"
        body = auth_client.get(url, {"contact": choice, "choices": "1", "q": "Hopper"})
        offered = {int(pk) for pk in re.findall(r'id="shoot-(\d+)"', body.content.decode())}
        own = {s.pk for s in shoots_for_contact(studio=studio, contact=person)} if person else set()
        assert offered == own, name
        details = re.findall(r'name="add_details" value="(\w+)"', body.content.decode())
        assert ("phone" in details) == (name == "ada"), name  # Grace has the order's phone
        assert ("email" in details) == (name == "grace"), name
