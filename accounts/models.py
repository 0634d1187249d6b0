"""The tenant (Studio), its users, and the base every tenant-owned row inherits."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from functools import cache

from babel import Locale
from babel.core import get_global
from babel.numbers import get_territory_currencies
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models

from core.currencies import MINOR_UNITS


@cache
def country_choices() -> list[tuple[str, str]]:
    territories = Locale("en").territories
    return sorted(
        ((code, name) for code, name in territories.items() if len(code) == 2 and code.isalpha()),
        key=lambda item: item[1],
    )


@cache
def currency_choices() -> list[tuple[str, str]]:
    """Every ISO 4217 currency a sale can be in (core.currencies: money, not XAU or XXX)."""
    names = Locale("en").currencies
    return sorted((code, f"{code} — {names.get(code, code)}") for code in MINOR_UNITS)


def current_currency_choices(*also: str) -> list[tuple[str, str]]:
    """The currencies some country pays in today (not the Deutsche Mark, not BGN after
    Bulgaria's euro), plus `also`: a code already in use (a sale's, the studio's) stays
    choosable so editing never forces a change."""
    keep = _current_currencies(dt.date.today()) | {code for code in also if code}
    return [choice for choice in currency_choices() if choice[0] in keep]


@cache
def _current_currencies(today: dt.date) -> frozenset[str]:
    territories = get_global("territory_currencies")
    return frozenset(
        code
        for territory in territories
        for code in get_territory_currencies(territory, today, tender=True)
    )


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    return [
        (name, name)
        for name in sorted(zoneinfo.available_timezones())
        if "/" in name or name == "UTC"
    ]


class Studio(models.Model):
    """A photography studio: the tenant that owns every other row."""

    name = models.CharField(max_length=200)
    default_currency = models.CharField(max_length=3, default="USD")
    country = models.CharField(max_length=2, default="US", help_text="Used to read phone numbers.")
    time_zone = models.CharField(max_length=64, default="UTC")
    create_contact_on_import = models.BooleanField(
        default=True, help_text="Default of the import window's 'Create a new contact' option."
    )
    auto_import_certain_matches = models.BooleanField(
        default=False,
        help_text="Import gallery orders with a certain contact match as they arrive.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person who logs in to Cyan; belongs to one studio as its owner or staff."""

    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        STAFF = "staff", "Staff"

    username = None
    email = models.EmailField("email address", unique=True)
    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="users", null=True)
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.STAFF)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = UserManager()

    def __str__(self) -> str:
        return self.email

    @property
    def is_studio_owner(self) -> bool:
        return self.role == self.Role.OWNER


class StudioQuerySet(models.QuerySet):
    def for_studio(self, studio: Studio | int) -> StudioQuerySet:
        return self.filter(studio=studio)


class StudioOwned(models.Model):
    """Base of every tenant-owned row: carries studio_id so every query can be scoped
    (and a later move to PostgreSQL sharded by studio is configuration, not a rewrite)."""

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="+")

    objects = StudioQuerySet.as_manager()

    class Meta:
        abstract = True
