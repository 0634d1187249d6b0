"""/api/v1/sales: list, get, create, update. Writes go through sales.services.

Money is integer minor units with the sale's currency; each amount also comes as a
decimal string (`total: "12.50"`) for display, never for arithmetic.
"""

import datetime as dt
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from api.errors import ApiError
from api.idempotency import OPENAPI_HEADER, run_idempotently
from api.lookups import resolve_contact, resolve_shoot
from api.pagination import PageParams, paginate
from api.schemas import Input, Page, as_json, decimal_string, error_responses, one_of, sent_fields
from core.clock import studio_today
from core.dates import ApiDate
from core.numbers import AmountMinor, Id, PositiveAmountMinor, Quantity
from invoicing.schedules import schedule_state
from invoicing.services import follow_sale
from sales.models import Sale, SaleLine
from sales.selectors import sale_detail, sale_list
from sales.services import (
    DuplicateSale,
    LineInput,
    PaymentInput,
    SaleInput,
    create_sale,
    update_sale,
)

LineKind = one_of(SaleLine.Kind)
SaleSource = one_of(Sale.Source)
router = Router(tags=["sales"])
RELATED = ("lines", "payments", "refunds", "instalments")
SALE_AMOUNTS = ("shipping", "order_discount", "subtotal", "tax", "total", "paid", "refunded")


class LineOut(Schema):
    id: int
    description: str
    product_kind: str
    options: dict
    quantity: int
    unit_price_minor: int
    unit_price: str
    discount_minor: int
    discount: str
    tax_minor: int
    tax: str
    total_minor: int
    total: str
    external_ref: str


class PaymentOut(Schema):
    id: int
    amount_minor: int
    amount: str
    paid_on: dt.date
    method: str
    reference: str


class RefundOut(Schema):
    id: int
    amount_minor: int
    amount: str
    refunded_on: dt.date
    reason: str


class InstalmentOut(Schema):
    position: int
    kind: str
    percent: float | None
    amount_minor: int
    due_on: dt.date
    paid_minor: int
    outstanding_minor: int
    overdue: bool


class SaleOut(Schema):
    id: int
    contact_id: int
    shoot_id: int | None
    sale_date: dt.date
    status: str
    source: str
    external_ref: str
    currency: str
    notes: str
    shipping_minor: int
    shipping: str
    order_discount_minor: int
    order_discount: str
    subtotal_minor: int
    subtotal: str
    tax_minor: int
    tax: str
    total_minor: int
    total: str
    paid_minor: int
    paid: str
    refunded_minor: int
    refunded: str
    balance_minor: int
    balance: str
    lines: list[LineOut]
    payments: list[PaymentOut]
    refunds: list[RefundOut]
    payment_schedule: list[InstalmentOut]
    credit_minor: int
    created_at: dt.datetime
    updated_at: dt.datetime


class LineIn(Input):
    description: str = Field(..., max_length=300)
    product_kind: LineKind = SaleLine.Kind.PRODUCT
    quantity: Quantity = 1
    unit_price_minor: AmountMinor = Field(..., description="Per item, minor units.")
    discount_minor: AmountMinor = Field(0, description="For the whole line.")
    tax_minor: AmountMinor = Field(0, description="For the whole line.")
    options: dict[str, Any] = Field(default_factory=dict)
    external_ref: str = Field("", max_length=120)


class PaymentIn(Input):
    amount_minor: PositiveAmountMinor
    paid_on: ApiDate
    method: str = Field("", max_length=60)
    reference: str = Field("", max_length=120)


class SaleIn(Input):
    contact_id: Id
    shoot_id: Id | None = None
    sale_date: ApiDate
    currency: str = Field(
        None, max_length=3, description="ISO 4217; the studio's default currency if omitted."
    )
    lines: list[LineIn] = Field(..., min_length=1)
    source: SaleSource = Sale.Source.API
    external_ref: str = Field("", max_length=120)
    shipping_minor: AmountMinor = 0
    order_discount_minor: AmountMinor = 0
    notes: str = ""
    payments: list[PaymentIn] = Field(
        default_factory=list, description="Payments already received."
    )


class SalePatch(Input):
    """Only the fields sent change; `lines` replaces every line; `shoot_id: null` unlinks."""

    contact_id: Id = None
    shoot_id: Id | None = None
    sale_date: ApiDate = None
    external_ref: str = Field(None, max_length=120)
    shipping_minor: AmountMinor = None
    order_discount_minor: AmountMinor = None
    notes: str = None
    lines: list[LineIn] = Field(None, min_length=1)


class SaleFilters(PageParams):
    date_from: ApiDate | None = Field(None, description="Sale date on or after.")
    date_to: ApiDate | None = Field(None, description="Sale date on or before.")
    source: SaleSource | None = None
    contact_id: Id | None = Field(None, description="Only this contact's sales.")


def _money(minor: int, currency: str) -> str:
    return decimal_string(minor, currency)


def _line_body(line: SaleLine, currency: str) -> dict:
    body = {
        name: getattr(line, name)
        for name in ("id", "description", "product_kind", "options", "quantity", "external_ref")
    }
    for name in ("unit_price", "discount", "tax", "total"):
        body[f"{name}_minor"] = getattr(line, f"{name}_minor")
        body[name] = _money(body[f"{name}_minor"], currency)
    return body


def sale_body(sale: Sale) -> dict:
    """The JSON of a sale (with its lines, payments and refunds prefetched)."""
    currency = sale.currency
    body: dict[str, Any] = {
        name: getattr(sale, name)
        for name in (
            "id", "contact_id", "shoot_id", "sale_date", "status", "source", "external_ref",
            "currency", "notes", "created_at", "updated_at", "balance_minor",
        )
    }  # fmt: skip
    for name in SALE_AMOUNTS:
        body[f"{name}_minor"] = getattr(sale, f"{name}_minor")
    for name in (*SALE_AMOUNTS, "balance"):
        body[name] = _money(body[f"{name}_minor"], currency)
    body["lines"] = [_line_body(line, currency) for line in sale.lines.all()]
    body["payments"] = [
        {**_pick(p, "id", "amount_minor", "paid_on", "method", "reference"),
         "amount": _money(p.amount_minor, currency)}
        for p in sale.payments.all()
    ]  # fmt: skip
    body["refunds"] = [
        {**_pick(r, "id", "amount_minor", "refunded_on", "reason"),
         "amount": _money(r.amount_minor, currency)}
        for r in sale.refunds.all()
    ]  # fmt: skip
    body.update(_schedule_body(sale))
    return as_json(SaleOut, body)


def _schedule_body(sale: Sale) -> dict[str, Any]:
    """The payment schedule (invoicing.schedules): each instalment with what it has
    received, oldest due first, and any credit (paid beyond the total)."""
    state = schedule_state(sale)
    today = studio_today(sale.studio) if state.instalments else None
    rows = [
        {
            "position": s.instalment.position,
            "kind": s.instalment.kind,
            "percent": s.instalment.percent_bp / 100 if s.instalment.percent_bp else None,
            "amount_minor": s.instalment.amount_minor,
            "due_on": s.instalment.due_on,
            "paid_minor": s.paid_minor,
            "outstanding_minor": s.outstanding_minor,
            "overdue": today is not None and s.overdue_on(today),
        }
        for s in state.instalments
    ]
    return {"payment_schedule": rows, "credit_minor": state.credit_minor}


def _pick(obj: Any, *names: str) -> dict:
    return {name: getattr(obj, name) for name in names}


def _line_inputs(lines: list[dict]) -> list[LineInput]:
    return [LineInput(**line) for line in lines]


def _fetch(request: HttpRequest, pk: int) -> Sale:
    return sale_detail(studio=request.auth.studio, pk=pk)


def _duplicate(exc: DuplicateSale) -> ApiError:
    return ApiError(
        409,
        "duplicate_sale",
        " ".join(exc.messages) or "A sale with this source and external_ref already exists.",
    )


@router.get("/sales", summary="List sales", response={200: Page[SaleOut], **error_responses()})
def list_sales(request: HttpRequest, filters: Query[SaleFilters]) -> Any:
    """The studio's sales, newest created first, one page at a time."""
    studio = request.auth.studio
    contact = resolve_contact(studio, filters.contact_id) if filters.contact_id else None
    sales = sale_list(
        studio=studio,
        date_from=filters.date_from,
        date_to=filters.date_to,
        source=filters.source,
        contact=contact,
    ).prefetch_related(*RELATED)
    items, next_cursor = paginate(sales, filters)
    return {"data": [sale_body(sale) for sale in items], "next_cursor": next_cursor}


@router.get("/sales/{sale_id}", summary="Get a sale", response={200: SaleOut, **error_responses()})
def get_one_sale(request: HttpRequest, sale_id: Id) -> Any:
    return sale_body(_fetch(request, sale_id))


@router.post(
    "/sales",
    summary="Create a sale",
    response={201: SaleOut, **error_responses(409, body=True)},
    openapi_extra=OPENAPI_HEADER,
)
def create_one_sale(request: HttpRequest, payload: SaleIn) -> Any:
    """Record a sale (source `api` unless given). Send an `Idempotency-Key` header to make
    retries safe; a second sale with the same source and `external_ref` is refused (409).
    Sales imported from the Inbox do not count: their identity is their order, not the
    reference (docs/gallery-order.md)."""
    studio = request.auth.studio

    def create() -> tuple[int, dict]:
        data = payload.model_dump()
        data["contact"] = resolve_contact(studio, data.pop("contact_id"))
        shoot_id = data.pop("shoot_id")
        data["shoot"] = resolve_shoot(studio, shoot_id) if shoot_id is not None else None
        data["currency"] = data["currency"] or studio.default_currency
        data["lines"] = _line_inputs(data["lines"])
        data["payments"] = [PaymentInput(**payment) for payment in data["payments"]]
        try:
            sale = create_sale(studio=studio, data=SaleInput(**data))
        except DuplicateSale as exc:
            raise _duplicate(exc) from exc
        return 201, sale_body(_fetch(request, sale.pk))

    return run_idempotently(request, create)


@router.patch(
    "/sales/{sale_id}",
    summary="Update a sale",
    response={200: SaleOut, **error_responses(409, body=True)},
)
def update_one_sale(request: HttpRequest, sale_id: Id, payload: SalePatch) -> Any:
    studio = request.auth.studio
    sale = _fetch(request, sale_id)
    fields = sent_fields(payload)
    if "contact_id" in fields:
        fields["contact"] = resolve_contact(studio, fields.pop("contact_id"))
    if "shoot_id" in fields:
        shoot_id = fields.pop("shoot_id")
        fields["shoot"] = resolve_shoot(studio, shoot_id) if shoot_id is not None else None
    if "lines" in fields:
        fields["lines"] = _line_inputs(fields["lines"])
    try:
        with transaction.atomic():
            update_sale(sale=sale, **fields)
            follow_sale(sale=sale)  # an invoiced sale's documents follow (docs/invoicing.md)
    except DuplicateSale as exc:
        raise _duplicate(exc) from exc
    return sale_body(_fetch(request, sale.pk))
