"""Sales' tests: Ada Lovelace's sales in USD (the kit's `contact` and `make_sale`)."""

from __future__ import annotations

import datetime as dt

import pytest

from testkit.factories import at, make_contact, make_shoot


@pytest.fixture
def sale_defaults():
    return {"sale_date": dt.date(2026, 5, 2), "currency": "USD"}


@pytest.fixture
def shoot(studio, contact):
    return make_shoot(studio, contact, title="Lovelace family", starts_at=at(2026, 5, 1, 10))


@pytest.fixture
def foreign(other_studio_and_owner):
    """Another studio's contact and shoot."""
    studio = other_studio_and_owner[0]
    contact = make_contact(studio, "Not", "Yours")
    shoot = make_shoot(studio, title="Elsewhere", starts_at=at(2026, 1, 1, 0))
    return contact, shoot
