"""Every write to studios and users."""

from __future__ import annotations

from django.db import transaction

from accounts.models import Studio, User
from core.money import normalize_currency


@transaction.atomic
def create_studio(
    *,
    name: str,
    owner_email: str,
    owner_password: str,
    default_currency: str = "USD",
    country: str = "US",
    time_zone: str = "UTC",
) -> tuple[Studio, User]:
    studio = Studio.objects.create(
        name=name.strip(),
        default_currency=normalize_currency(default_currency),
        country=country.upper(),
        time_zone=time_zone,
    )
    owner = User.objects.create_user(
        owner_email, owner_password, studio=studio, role=User.Role.OWNER
    )
    return studio, owner


@transaction.atomic
def add_staff_user(*, studio: Studio, email: str, password: str) -> User:
    return User.objects.create_user(email, password, studio=studio, role=User.Role.STAFF)
