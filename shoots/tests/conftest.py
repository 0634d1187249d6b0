"""Helpers for the shoots tests: contacts and shoots made directly, in any studio."""

from __future__ import annotations

import datetime as dt

import pytest

from contacts.models import Contact
from shoots import services
from shoots.models import Shoot
from shoots.tests.helpers import at


@pytest.fixture
def make_contact(studio):
    def make(first_name: str = "Jane", last_name: str = "Smith", *, studio=studio) -> Contact:
        return Contact.objects.create(studio=studio, first_name=first_name, last_name=last_name)

    return make


@pytest.fixture
def make_shoot(studio):
    def make(
        *,
        studio=studio,
        title: str = "Portrait session",
        starts_at: dt.datetime | None = None,
        status: str = Shoot.Status.CONFIRMED,
        contacts=(),
        shoot_type: str = Shoot.Type.PORTRAIT,
        **extra,
    ) -> Shoot:
        return services.create_shoot(
            studio=studio,
            title=title,
            shoot_type=shoot_type,
            starts_at=starts_at or at(2026, 6, 1),
            status=status,
            contacts=contacts,
            **extra,
        )

    return make


@pytest.fixture
def other_studio(other_studio_and_owner):
    return other_studio_and_owner[0]
