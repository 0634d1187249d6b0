"""Sales test fixtures. Contacts and shoots are made with the ORM directly (their services
are another app's business)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from contacts.models import Contact
from sales.services import create_sale
from sales.tests.helpers import line
from shoots.models import Shoot, ShootContact


@pytest.fixture
def contact(studio):
    return Contact.objects.create(studio=studio, first_name="Ada", last_name="Lovelace")


@pytest.fixture
def other_contact(studio):
    return Contact.objects.create(studio=studio, first_name="Grace", last_name="Hopper")


@pytest.fixture
def shoot(studio, contact):
    shoot = Shoot.objects.create(
        studio=studio,
        title="Lovelace family",
        starts_at=timezone.make_aware(dt.datetime(2026, 5, 1, 10, 0)),
        status=Shoot.Status.CONFIRMED,
    )
    ShootContact.objects.create(studio=studio, shoot=shoot, contact=contact)
    return shoot


@pytest.fixture
def foreign(other_studio_and_owner):
    """Another studio's contact and shoot."""
    studio = other_studio_and_owner[0]
    contact = Contact.objects.create(studio=studio, first_name="Not", last_name="Yours")
    shoot = Shoot.objects.create(
        studio=studio, title="Elsewhere", starts_at=timezone.make_aware(dt.datetime(2026, 1, 1))
    )
    return contact, shoot


@pytest.fixture
def make_sale(studio, contact):
    def make(**overrides):
        values = {
            "studio": studio,
            "contact": contact,
            "sale_date": dt.date(2026, 5, 2),
            "currency": "USD",
            "lines": [line()],
        }
        return create_sale(**(values | overrides))

    return make
