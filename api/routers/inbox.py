"""/api/v1/inbox: read the Inbox, and push orders and enquiries into it.

A push is what theimagefile or Zapier's "Send Sale" does with the studio's API key: the
order comes in the normalized schema (docs/gallery-order.md) and is validated, deduped
and stored exactly like a webhook from a linked gallery.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from api.idempotency import OPENAPI_HEADER, body_fingerprint, run_idempotently
from api.inbox_match import MatchOut, match_body
from api.pagination import PageParams, paginate
from api.routers.sales import RELATED, SaleOut, sale_body
from api.schemas import Input, Page, as_json, decimal_string, error_responses
from contacts.models import Contact
from contacts.selectors import get_contact
from core.numbers import Id
from galleries.schema import GalleryOrder
from inbox.import_window import plan_import
from inbox.importing import import_item
from inbox.intake import take_in_normalized
from inbox.models import InboxDelivery, InboxItem
from inbox.schema import Enquiry
from inbox.selectors import (
    Arriving,
    arriving_deliveries,
    get_item,
    inbox_items,
    item_with_history,
)
from inbox.services import Receipt, receive_enquiry
from sales.models import Sale

router = Router(tags=["inbox"])
State = Literal["new", "imported", "dismissed", "needs_attention"]


class InboxFilters(PageParams):
    state: State | None = Field(None, description="Only items in this state.")
    source: str | None = Field(None, max_length=20, description="e.g. pictime, api.")


class InboxItemOut(Schema):
    id: int
    kind: Literal["order", "enquiry"]
    state: State
    source: str
    account_id: str
    external_id: str
    order_number: str
    customer_name: str
    customer_email: str
    gallery_name: str
    currency: str
    total_minor: int | None
    total: str | None
    error: str
    sale_id: int | None
    received_at: datetime
    updated_at: datetime
    order: dict[str, Any] | None = Field(None, description="The normalized order, if read.")
    enquiry: dict[str, Any] | None = None


class DeliveryOut(Schema):
    channel: str
    event_type: str
    received_at: datetime
    changed: bool
    note: str


class InboxItemDetailOut(InboxItemOut):
    raw_payload: str
    deliveries: list[DeliveryOut]


class ArrivingOut(Schema):
    """An accepted webhook delivery not yet in the Inbox as an item (processing follows
    within a second; `error` says why it has not, when it failed)."""

    id: int = Field(..., description="The delivery's id (not an Inbox item id).")
    state: Literal["arriving", "failed"]
    source: str
    account_id: str
    external_id: str = Field(..., description="The order id in the body, when readable.")
    event_type: str
    received_at: datetime
    error: str


class InboxPageOut(Page[InboxItemOut]):
    arriving: list[ArrivingOut] = Field(
        default_factory=list,
        description="On the first page without a state filter: deliveries accepted from a "
        "gallery's webhook and still being processed, newest first.",
    )


class PushedOut(Schema):
    item: InboxItemOut
    created: bool = Field(..., description="A new Inbox item was made.")
    duplicate: bool = Field(..., description="This exact delivery was already received.")


def item_body(item: InboxItem) -> dict[str, Any]:
    is_order = item.kind == InboxItem.Kind.ORDER
    return {
        **{
            field: getattr(item, field)
            for field in InboxItemOut.model_fields
            if field not in {"order", "enquiry", "total"} and hasattr(item, field)
        },
        "total": None
        if item.total_minor is None
        else decimal_string(item.total_minor, item.currency),
        "order": item.normalized if is_order else None,
        "enquiry": None if is_order else item.normalized,
    }


@router.get("/inbox", summary="List Inbox items", response={200: InboxPageOut, **error_responses()})
def list_inbox(request: HttpRequest, filters: Query[InboxFilters]) -> Any:
    studio, source = request.auth.studio, filters.source or ""
    items = inbox_items(studio=studio, state=filters.state or "", source=source)
    page, next_cursor = paginate(items, filters)
    arriving = (
        arriving_deliveries(studio=studio, source=source)
        if filters.cursor is None and filters.state is None
        else []
    )
    return {
        "data": [item_body(item) for item in page],
        "next_cursor": next_cursor,
        "arriving": [arriving_body(delivery) for delivery in arriving],
    }


def arriving_body(delivery: Arriving) -> dict[str, Any]:
    return {field: getattr(delivery, field) for field in ArrivingOut.model_fields}


@router.get(
    "/inbox/{int:item_id}",
    summary="Get an Inbox item",
    response={200: InboxItemDetailOut, **error_responses()},
)
def get_inbox_item(request: HttpRequest, item_id: Id) -> Any:
    item = item_with_history(studio=request.auth.studio, pk=item_id)
    return {
        **item_body(item),
        "raw_payload": item.raw_payload,
        "deliveries": list(item.deliveries.all()),
    }


@router.get(
    "/inbox/{int:item_id}/match",
    summary="Preview an order's contact match",
    response={200: MatchOut, **error_responses()},
)
def match_order(request: HttpRequest, item_id: Id, contact_id: Id | None = None) -> Any:
    """What "Import Order" would do, without importing: the outcome (certain / possible /
    none), the candidates with what tells them apart and why, and the shoot that would
    be offered (for `contact_id` when given, else for the certain match). The import
    window shows the same preview."""
    item = get_item(studio=request.auth.studio, pk=item_id)
    contact = None
    if contact_id is not None:
        try:
            contact = get_contact(studio=item.studio, pk=contact_id)
        except Contact.DoesNotExist as exc:
            raise ValidationError({"contact_id": "No such contact in this studio."}) from exc
    try:
        return match_body(plan_import(item=item, contact=contact))
    except ValueError as exc:
        raise ValidationError({"item": str(exc)}) from exc


class ImportIn(Input):
    contact_id: Id | None = Field(
        None, description="Link to this contact (else the certain match)."
    )
    create_contact: bool | None = Field(
        None,
        description="Create a contact when none is chosen or certain. Default: the "
        "studio's preference (Preferences: 'Create a new contact'), as in the window.",
    )
    shoot: Literal["most_recent_confirmed", "none"] | Id = Field(
        "most_recent_confirmed",
        description="A shoot id, the contact's most recent confirmed shoot, or none.",
    )
    add_details: list[Literal["email", "phone", "billing_address", "shipping_address"]] = Field(
        default_factory=list, description="Details in the order to add to the chosen contact."
    )


@router.post(
    "/inbox/{int:item_id}/import",
    summary="Import an order as a sale",
    response={201: SaleOut, **error_responses(409, body=True)},
    openapi_extra=OPENAPI_HEADER,
)
def import_order(request: HttpRequest, item_id: Id, payload: ImportIn) -> Any:
    """ "Import Order": the sale, linked to the matched (or chosen, or new) contact and
    the chosen (or most recent confirmed) shoot. Importing again returns the same sale."""
    item = get_item(studio=request.auth.studio, pk=item_id)
    choices = payload.model_dump()
    if choices["create_contact"] is None:
        choices["create_contact"] = item.studio.create_contact_on_import

    def run() -> tuple[int, dict]:
        sale = import_item(item=item, **choices)
        return 201, sale_body(Sale.objects.prefetch_related(*RELATED).get(pk=sale.pk))

    return run_idempotently(request, run)


def _delivery_key(request: HttpRequest) -> str:
    """The content's hash: the same body pushed again is one delivery. Not the
    Idempotency-Key, which run_idempotently checks against the body: a key alone would
    make a different body (a later version, another order) look like a repeat."""
    return "sha256:" + body_fingerprint(request)


def _pushed(receipt: Receipt) -> tuple[int, dict[str, Any]]:
    item = get_item(studio=receipt.item.studio, pk=receipt.item.pk)
    body = {
        "item": item_body(item),
        "created": receipt.created,
        "duplicate": receipt.duplicate_delivery,
    }
    return 201 if receipt.created else 200, as_json(PushedOut, body)


@router.post(
    "/inbox/orders",
    summary="Push an order into the Inbox",
    response={200: PushedOut, 201: PushedOut, **error_responses(409, body=True)},
    openapi_extra=OPENAPI_HEADER,
)
def push_order(request: HttpRequest, payload: GalleryOrder) -> Any:
    """Send one order in the normalized schema (docs/gallery-order.md). It is validated
    (totals must add up), deduplicated by (provider, account_id, order_id) and by its
    content, and a later `updated_at` updates the same item. An `Idempotency-Key` already
    used for a different body is refused (409) and nothing is stored."""

    def receive() -> tuple[int, dict[str, Any]]:
        receipt = take_in_normalized(
            studio=request.auth.studio,
            order=payload,
            raw_payload=request.body.decode(),
            channel=InboxDelivery.Channel.API,
            delivery_key=_delivery_key(request),
            event_type="api.push",
        )
        return _pushed(receipt)

    return run_idempotently(request, receive)


@router.post(
    "/inbox/enquiries",
    summary="Push an enquiry into the Inbox",
    response={200: PushedOut, 201: PushedOut, **error_responses(409, body=True)},
    openapi_extra=OPENAPI_HEADER,
)
def push_enquiry(request: HttpRequest, payload: Enquiry) -> Any:
    """A contact-form message or a lead: stored once per `external_id` (when given) and
    once per identical body. An `Idempotency-Key` already used for a different body is
    refused (409) and nothing is stored."""

    def receive() -> tuple[int, dict[str, Any]]:
        receipt = receive_enquiry(
            studio=request.auth.studio,
            enquiry=payload,
            raw_payload=request.body.decode(),
            channel=InboxDelivery.Channel.API,
            delivery_key=_delivery_key(request),
        )
        return _pushed(receipt)

    return run_idempotently(request, receive)
