"""/api/v1/contacts: list, get, create, update. Writes go through contacts.services."""

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from api.idempotency import OPENAPI_HEADER, run_idempotently
from api.pagination import PageParams, paginate
from api.schemas import Input, Page, as_json, error_responses, one_of, sent_fields
from contacts.models import Contact
from contacts.selectors import contact_list, get_contact
from contacts.services import create_contact, update_contact
from core import limits
from core.numbers import Id

ContactSource = one_of(Contact.Source)
router = Router(tags=["contacts"])
RELATED = ("emails", "phones", "addresses", "tags")
TagName = Annotated[str, Field(max_length=limits.TAG)]


class EmailOut(Schema):
    email: str
    label: str
    is_primary: bool


class PhoneOut(Schema):
    number: str = Field(..., description="As entered.")
    e164: str = Field(..., description="International format, empty if not understood.")
    label: str
    is_primary: bool


class AddressOut(Schema):
    label: str
    line1: str
    line2: str
    city: str
    region: str
    postcode: str
    country: str


class ContactOut(Schema):
    id: int
    first_name: str
    last_name: str
    company: str
    display_name: str
    notes: str
    source: str
    emails: list[EmailOut]
    phones: list[PhoneOut]
    addresses: list[AddressOut]
    tags: list[str]
    created_at: dt.datetime
    updated_at: dt.datetime


class EmailIn(Input):
    email: str = Field(..., max_length=limits.EMAIL)
    label: str = Field("", max_length=limits.DETAIL_LABEL)
    is_primary: bool = False


class PhoneIn(Input):
    number: str = Field(..., max_length=limits.PHONE)
    label: str = Field("", max_length=limits.DETAIL_LABEL)
    is_primary: bool = False


class AddressIn(Input):
    label: str = Field("", max_length=limits.DETAIL_LABEL)
    line1: str = Field("", max_length=limits.ADDRESS_LINE)
    line2: str = Field("", max_length=limits.ADDRESS_LINE)
    city: str = Field("", max_length=limits.CITY)
    region: str = Field("", max_length=limits.REGION)
    postcode: str = Field("", max_length=limits.POSTCODE)
    country: str = Field("", max_length=limits.COUNTRY, description="ISO 3166 alpha-2, e.g. GB.")


class ContactIn(Input):
    first_name: str = Field("", max_length=limits.FIRST_NAME)
    last_name: str = Field("", max_length=limits.LAST_NAME)
    company: str = Field("", max_length=limits.COMPANY)
    notes: str = ""
    source: ContactSource = Contact.Source.API
    emails: list[EmailIn] = Field(default_factory=list)
    phones: list[PhoneIn] = Field(default_factory=list)
    addresses: list[AddressIn] = Field(default_factory=list)
    tags: list[TagName] = Field(default_factory=list)


class ContactPatch(Input):
    """Only the fields sent change; a list (emails, phones, addresses, tags) replaces the old."""

    first_name: str = Field(None, max_length=limits.FIRST_NAME)
    last_name: str = Field(None, max_length=limits.LAST_NAME)
    company: str = Field(None, max_length=limits.COMPANY)
    notes: str = None
    source: ContactSource = None
    emails: list[EmailIn] = None
    phones: list[PhoneIn] = None
    addresses: list[AddressIn] = None
    tags: list[TagName] = None


class ContactFilters(PageParams):
    q: str = Field("", description="Search by name, company, email or phone.")


def _pick(obj: Any, *names: str) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}


def contact_body(contact: Contact) -> dict[str, Any]:
    """The JSON of a contact (emails, phones, addresses and tags prefetched)."""
    body = _pick(
        contact, "id", "first_name", "last_name", "company", "display_name", "notes", "source",
        "created_at", "updated_at",
    )  # fmt: skip
    body["emails"] = [_pick(e, "email", "label", "is_primary") for e in contact.emails.all()]
    body["phones"] = [
        {"number": p.raw, **_pick(p, "e164", "label", "is_primary")} for p in contact.phones.all()
    ]
    body["addresses"] = [_pick(a, *AddressOut.model_fields) for a in contact.addresses.all()]
    body["tags"] = [tag.name for tag in contact.tags.all()]
    return as_json(ContactOut, body)


def _with_related(queryset: Any) -> Any:
    return queryset.prefetch_related(*RELATED)


def _contact_body(request: HttpRequest, pk: int) -> dict:
    return contact_body(_with_related(contact_list(studio=request.auth.studio)).get(pk=pk))


@router.get(
    "/contacts", summary="List contacts", response={200: Page[ContactOut], **error_responses()}
)
def list_contacts(request: HttpRequest, filters: Query[ContactFilters]) -> Any:
    """The studio's contacts, newest first, one page at a time."""
    contacts = _with_related(contact_list(studio=request.auth.studio, query=filters.q))
    items, next_cursor = paginate(contacts, filters)
    return {"data": [contact_body(contact) for contact in items], "next_cursor": next_cursor}


@router.get(
    "/contacts/{contact_id}",
    summary="Get a contact",
    response={200: ContactOut, **error_responses()},
)
def get_one_contact(request: HttpRequest, contact_id: Id) -> Any:
    get_contact(studio=request.auth.studio, pk=contact_id)  # 404 unless it is the studio's
    return _contact_body(request, contact_id)


@router.post(
    "/contacts",
    summary="Create a contact",
    response={201: ContactOut, **error_responses(409, body=True)},
    openapi_extra=OPENAPI_HEADER,
)
def create_one_contact(request: HttpRequest, payload: ContactIn) -> Any:
    """Create a contact. Send an `Idempotency-Key` header to make retries safe."""

    def create() -> tuple[int, dict]:
        contact = create_contact(studio=request.auth.studio, **payload.model_dump())
        return 201, _contact_body(request, contact.pk)

    return run_idempotently(request, create)


@router.patch(
    "/contacts/{contact_id}",
    summary="Update a contact",
    response={200: ContactOut, **error_responses(body=True)},
)
def update_one_contact(request: HttpRequest, contact_id: Id, payload: ContactPatch) -> Any:
    contact = get_contact(studio=request.auth.studio, pk=contact_id)
    update_contact(contact=contact, **sent_fields(payload))
    return _contact_body(request, contact.pk)
