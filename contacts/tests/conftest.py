"""Helpers of the contacts tests. Shoots and sales are made directly as rows: the
contacts app itself never imports those (downstream) apps, only its tests do."""

from __future__ import annotations

import datetime as dt

import pytest

from contacts.models import Contact


@pytest.fixture
def make_sale():
    from sales.models import Sale

    def make(contact: Contact, *, total_minor: int = 12_345, **extra) -> Sale:
        fields = {
            "studio": contact.studio,
            "contact": contact,
            "sale_date": dt.date(2026, 3, 14),
            "currency": "GBP",
            "total_minor": total_minor,
            **extra,
        }
        return Sale.objects.create(**fields)

    return make


@pytest.fixture
def make_shoot():
    from shoots.models import Shoot, ShootContact

    def make(contact: Contact, *, title: str, starts_at: dt.datetime, **extra) -> Shoot:
        role = extra.pop("role", ShootContact.Role.CLIENT)
        shoot = Shoot.objects.create(
            studio=contact.studio, title=title, starts_at=starts_at, **extra
        )
        ShootContact.objects.create(studio=contact.studio, shoot=shoot, contact=contact, role=role)
        return shoot

    return make


def at(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, 10, 0, tzinfo=dt.UTC)
