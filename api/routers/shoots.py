"""/api/v1/shoots: list, get, create, update. Writes go through shoots.services."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from api.idempotency import OPENAPI_HEADER, run_idempotently
from api.lookups import resolve_contact
from api.pagination import PageParams, paginate
from api.schemas import Input, Page, as_json, error_responses, one_of, sent_fields
from core.dates import ApiDate, ApiTimestamp
from core.numbers import Id
from shoots.models import Shoot, ShootContact
from shoots.selectors import get_shoot, shoot_list
from shoots.services import create_shoot, update_shoot

ShootRole = one_of(ShootContact.Role)
ShootType = one_of(Shoot.Type)
ShootStatus = one_of(Shoot.Status)
router = Router(tags=["shoots"])


class ShootContactOut(Schema):
    contact_id: int
    name: str
    role: str


class ShootOut(Schema):
    id: int
    title: str
    shoot_type: str
    starts_at: dt.datetime
    status: str
    location: str
    notes: str
    contacts: list[ShootContactOut]
    gallery_provider: str
    gallery_id: str
    gallery_url: str
    created_at: dt.datetime
    updated_at: dt.datetime


class ShootContactIn(Input):
    contact_id: Id
    role: ShootRole = ShootContact.Role.CLIENT


class ShootIn(Input):
    title: str = Field(..., max_length=200)
    shoot_type: ShootType = Shoot.Type.PORTRAIT
    starts_at: ApiTimestamp
    status: ShootStatus = Shoot.Status.ENQUIRY
    location: str = Field("", max_length=200)
    notes: str = ""
    contacts: list[ShootContactIn] = Field(default_factory=list)
    gallery_provider: str = Field("", max_length=20)
    gallery_id: str = Field("", max_length=100)
    gallery_url: str = Field("", max_length=500)


class ShootPatch(Input):
    """Only the fields sent change; `contacts` replaces the linked contacts."""

    title: str = Field(None, max_length=200)
    shoot_type: ShootType = None
    starts_at: ApiTimestamp = None
    status: ShootStatus = Field(None, description="Follows the allowed status transitions.")
    location: str = Field(None, max_length=200)
    notes: str = None
    contacts: list[ShootContactIn] = None
    gallery_provider: str = Field(None, max_length=20)
    gallery_id: str = Field(None, max_length=100)
    gallery_url: str = Field(None, max_length=500)


class ShootFilters(PageParams):
    status: ShootStatus | None = None
    date_from: ApiDate | None = Field(None, description="Starting on or after (studio's day).")
    date_to: ApiDate | None = Field(None, description="Starting on or before (studio's day).")
    q: str = Field("", description="Words in the title or a linked contact's name.")


def _contact_links(request: HttpRequest, contacts: list[Any]) -> list[tuple[Any, str]]:
    return [
        (resolve_contact(request.auth.studio, c["contact_id"], field="contacts"), c["role"])
        for c in contacts
    ]


def shoot_body(shoot: Shoot) -> dict[str, Any]:
    """The JSON of a shoot (its contact links prefetched, as the shoots selectors do)."""
    body = {name: getattr(shoot, name) for name in ShootOut.model_fields if name != "contacts"}
    body["contacts"] = [
        {"contact_id": link.contact_id, "name": link.contact.display_name, "role": link.role}
        for link in shoot.shoot_contacts.all()
    ]
    return as_json(ShootOut, body)


def _shoot_body(request: HttpRequest, pk: int) -> dict:
    return shoot_body(get_shoot(studio=request.auth.studio, pk=pk))


@router.get("/shoots", summary="List shoots", response={200: Page[ShootOut], **error_responses()})
def list_shoots(request: HttpRequest, filters: Query[ShootFilters]) -> Any:
    """The studio's shoots, newest created first, one page at a time."""
    shoots = shoot_list(
        studio=request.auth.studio,
        status=filters.status,
        date_from=filters.date_from,
        date_to=filters.date_to,
        query=filters.q,
    )
    items, next_cursor = paginate(shoots, filters)
    return {"data": [shoot_body(shoot) for shoot in items], "next_cursor": next_cursor}


@router.get(
    "/shoots/{shoot_id}",
    summary="Get a shoot",
    response={200: ShootOut, **error_responses()},
)
def get_one_shoot(request: HttpRequest, shoot_id: Id) -> Any:
    return _shoot_body(request, shoot_id)


@router.post(
    "/shoots",
    summary="Create a shoot",
    response={201: ShootOut, **error_responses(409, body=True)},
    openapi_extra=OPENAPI_HEADER,
)
def create_one_shoot(request: HttpRequest, payload: ShootIn) -> Any:
    """Create a shoot. Send an `Idempotency-Key` header to make retries safe."""

    def create() -> tuple[int, dict]:
        data = payload.model_dump()
        shoot = create_shoot(
            studio=request.auth.studio,
            **{**data, "contacts": _contact_links(request, data["contacts"])},
        )
        return 201, _shoot_body(request, shoot.pk)

    return run_idempotently(request, create)


@router.patch(
    "/shoots/{shoot_id}",
    summary="Update a shoot",
    response={200: ShootOut, **error_responses(body=True)},
)
def update_one_shoot(request: HttpRequest, shoot_id: Id, payload: ShootPatch) -> Any:
    shoot = get_shoot(studio=request.auth.studio, pk=shoot_id)
    fields = sent_fields(payload)
    with transaction.atomic():
        if "contacts" in fields:
            fields["contacts"] = _contact_links(request, fields["contacts"])
        update_shoot(shoot=shoot, **fields)
    return _shoot_body(request, shoot.pk)
