"""/api/v1: a sale's payment schedule and its payments (invoicing.schedules, sales.payments)."""

from __future__ import annotations

from typing import Any, Literal

from django.db import transaction
from django.http import HttpRequest
from ninja import Field, Router, Status

from api.errors import ApiError
from api.idempotency import OPENAPI_HEADER, run_idempotently
from api.routers.sales import PaymentOut, SaleOut, sale_body
from api.schemas import Input, as_json, decimal_string, error_responses
from core.dates import ApiDate
from core.numbers import Id, PositiveAmountMinor
from invoicing import schedules
from invoicing.models import ScheduleTemplate
from invoicing.services import follow_sale
from sales import payments
from sales.models import Payment
from sales.selectors import sale_detail

router = Router(tags=["payments"])


class DueIn(Input):
    offset: int = Field(..., ge=-3650, le=3650, description="Negative: before the date.")
    unit: Literal["days", "weeks", "months"]
    relative_to: Literal["invoice_date", "shoot_date"]


class InstalmentIn(Input):
    kind: Literal["percent", "fixed", "remaining"]
    percent: float | None = Field(None, gt=0, le=100)
    amount_minor: PositiveAmountMinor | None = None
    due: DueIn


class ScheduleIn(Input):
    instalments: list[InstalmentIn] | None = Field(None, max_length=24)
    template_id: Id | None = None


class PaymentCreate(Input):
    amount_minor: PositiveAmountMinor | None = None
    instalment: Literal["next", "outstanding"] | None = None
    paid_on: ApiDate | None = None
    method: str = Field("", max_length=60)
    reference: str = Field("", max_length=120)


class PaymentPatch(Input):
    amount_minor: PositiveAmountMinor | None = None
    paid_on: ApiDate | None = None
    method: str | None = Field(None, max_length=60)
    reference: str | None = Field(None, max_length=120)


def _sale(request: HttpRequest, sale_id: int) -> Any:
    return sale_detail(studio=request.auth.studio, pk=sale_id)


def _by(request: HttpRequest) -> str:
    return f"API key {request.auth}"


@router.put(
    "/sales/{sale_id}/payment-schedule",
    summary="Set a sale's payment schedule",
    response={200: SaleOut, **error_responses(body=True)},
)
def put_schedule(request: HttpRequest, sale_id: Id, payload: ScheduleIn) -> Any:
    """Replace the schedule with these instalments (`[]` removes it) or a template's."""
    sale = _sale(request, sale_id)
    if (payload.instalments is None) == (payload.template_id is None):
        raise ApiError(422, "validation_error", "Send either instalments or template_id.")
    if payload.template_id is not None:
        template = ScheduleTemplate.objects.filter(
            studio=request.auth.studio, pk=payload.template_id
        ).first()
        if template is None:
            raise ApiError(404, "not_found", "No such schedule template in this studio.")
        schedules.apply_template(sale=sale, template=template)
    else:
        steps = [i.model_dump(exclude_none=True) for i in payload.instalments or []]
        schedules.set_schedule(sale=sale, instalments=steps)
    return sale_body(_sale(request, sale_id))


@router.post(
    "/sales/{sale_id}/payments",
    summary="Add a payment",
    response={201: PaymentOut, **error_responses(409, body=True)},
    openapi_extra=OPENAPI_HEADER,
)
def add_payment(request: HttpRequest, sale_id: Id, payload: PaymentCreate) -> Any:
    """Record a payment: `amount_minor`, or `instalment`: `next` (the next instalment's
    outstanding amount) or `outstanding` (all the sale still owes)."""
    sale = _sale(request, sale_id)

    def create() -> tuple[int, dict]:
        with transaction.atomic():
            payment = schedules.record_payment(sale=sale, **payload.model_dump())
            follow_sale(sale=sale)
        return 201, as_json(PaymentOut, _payment_body(payment, sale.currency))

    return run_idempotently(request, create)


def _payment_body(payment: Payment, currency: str) -> dict[str, Any]:
    fields = ("id", "amount_minor", "paid_on", "method", "reference")
    body = {name: getattr(payment, name) for name in fields}
    return body | {"amount": decimal_string(payment.amount_minor, currency)}


def _payment(request: HttpRequest, sale_id: int, payment_id: int) -> Payment:
    sale = _sale(request, sale_id)
    found = Payment.objects.filter(sale=sale, pk=payment_id).first()
    if found is None:
        raise ApiError(404, "not_found", "No such payment on this sale.")
    return found


@router.patch(
    "/sales/{sale_id}/payments/{payment_id}",
    summary="Change a payment",
    response={200: PaymentOut, **error_responses(body=True)},
)
def patch_payment(request: HttpRequest, sale_id: Id, payment_id: Id, payload: PaymentPatch) -> Any:
    """Change a payment; the sale keeps an audit line of what it was."""
    payment = _payment(request, sale_id, payment_id)
    fields = {k: v for k, v in payload.model_dump(include=payload.model_fields_set).items()}
    if any(fields.get(k) is None for k in ("amount_minor", "paid_on") if k in fields):
        raise ApiError(422, "validation_error", "amount_minor and paid_on cannot be null.")
    with transaction.atomic():
        row = payments.update_payment(payment=payment, by=_by(request), **fields)
        follow_sale(sale=payment.sale)
    return _payment_body(row, payment.sale.currency)


@router.delete(
    "/sales/{sale_id}/payments/{payment_id}",
    summary="Delete a payment",
    response={204: None, **error_responses()},
)
def delete_payment(request: HttpRequest, sale_id: Id, payment_id: Id) -> Any:
    payment = _payment(request, sale_id, payment_id)
    with transaction.atomic():
        payments.delete_payment(payment=payment, by=_by(request))
        follow_sale(sale=payment.sale)
    return Status(204, None)
