"""Resolve ids sent in request bodies to the studio's objects, via the owning apps' selectors.

An id that is not the studio's (or does not exist) is a validation error of that field,
not a 404: the URL was found, the body was wrong.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404

from accounts.models import Studio
from contacts.models import Contact
from contacts.selectors import get_contact
from shoots.models import Shoot
from shoots.selectors import get_shoot


def _resolve(getter: Callable[..., Any], studio: Studio, pk: int, field: str, label: str) -> Any:
    try:
        return getter(studio=studio, pk=pk)
    except (ObjectDoesNotExist, Http404):
        raise ValidationError({field: f"No {label} with id {pk} in this studio."}) from None


def resolve_contact(studio: Studio, pk: int, field: str = "contact_id") -> Contact:
    return _resolve(get_contact, studio, pk, field, "contact")


def resolve_shoot(studio: Studio, pk: int, field: str = "shoot_id") -> Shoot:
    return _resolve(get_shoot, studio, pk, field, "shoot")
