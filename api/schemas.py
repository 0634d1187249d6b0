"""Schemas shared by every resource of the REST API."""

import json
from typing import Any, Literal

from django.db import models
from ninja import Schema
from ninja.schema import DjangoGetter
from pydantic import ConfigDict, model_validator

from api.errors import ErrorOut
from api.rendering import MillisecondEncoder
from core.money import from_minor
from core.params import COMMON_ERROR_STATUSES


class Page[T](Schema):
    data: list[T]
    next_cursor: str | None = None


def decimal_string(minor: int, currency: str) -> str:
    """`1250, "GBP"` → `"12.50"`: a convenience beside the integer minor units."""
    return str(from_minor(minor, currency))


# What any operation with a body can answer besides: too large (413), not JSON (415).
BODY_ERRORS = (413, 415)


def error_responses(*statuses: int, body: bool = False) -> dict[int, type]:
    """The documented error responses of an operation (all share ErrorOut's shape)."""
    extra = BODY_ERRORS if body else ()
    return dict.fromkeys(sorted({*COMMON_ERROR_STATUSES, *extra, *statuses}), ErrorOut)


class Input(Schema):
    """A request body (or an object in it): a JSON object with only the documented fields.

    ninja would read a list or a scalar body attribute by attribute (`[null, null]` became
    an empty PATCH), would silently drop a misspelt field, and would coerce `"1"` to 1 and
    `0` to false: strict, a value must have the documented JSON type."""

    model_config = ConfigDict(extra="forbid", strict=True)

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data: Any) -> Any:
        # ninja validates the object once as sent, then once wrapped in a DjangoGetter.
        if not isinstance(data, dict | DjangoGetter):
            raise ValueError("Send a JSON object.")
        return data


def one_of(choices: type[models.TextChoices]) -> Any:
    """A Literal of the choices' values: an inline enum in the OpenAPI document (enum
    classes would be components named after the class, and Shoot.Status and Sale.Status
    would collide as "Status")."""
    return Literal[tuple(choices.values)]


def sent_fields(payload: Schema) -> dict[str, Any]:
    """The top-level fields the client sent (PATCH). Not exclude_unset, which would also
    drop the defaults of nested items (a line's product_kind, a contact link's role)."""
    return payload.model_dump(include=payload.model_fields_set)


def as_json(schema: type[Schema], data: dict[str, Any]) -> dict[str, Any]:
    """`data` checked against `schema`, as the JSON the API sends: encoded the way ninja's
    renderer encodes (datetimes to the millisecond), so a response stored for an
    Idempotency-Key replay is identical to the one first sent and to a later GET."""
    return json.loads(json.dumps(schema.model_validate(data).model_dump(), cls=MillisecondEncoder))
