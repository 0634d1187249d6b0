"""The match preview in the API (`GET /api/v1/inbox/{id}/match`): the import window's
preview (inbox.import_window.plan_import) as JSON, with the same candidates, details and
reasons; nothing is computed here that the window does not show."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema

from api.schemas import decimal_string
from inbox.contact_summaries import ContactSummary
from inbox.import_window import Choice, ImportPlan
from sales.models import Sale
from shoots.models import Shoot


class ShootRef(Schema):
    id: int
    title: str
    starts_at: datetime | None
    status: str


class SaleRef(Schema):
    id: int
    sale_date: date
    currency: str
    total_minor: int
    total: str


class CandidateOut(Schema):
    contact_id: int
    name: str
    email: str = Field(..., description="The contact's primary email, or empty.")
    phone: str = Field(..., description="The contact's primary phone as entered, or empty.")
    town: str
    postcode: str
    last_shoot: ShootRef | None = Field(..., description="The contact's latest shoot.")
    last_sale: SaleRef | None = Field(..., description="The contact's latest sale.")
    reasons: list[str] = Field(..., description='Why it may be this client, e.g. "same email".')
    warning: str = Field(..., description="Why it cannot be certain, when something says so.")
    certain: bool


class NewDetailOut(Schema):
    key: Literal["email", "phone", "billing_address", "shipping_address"]
    label: str
    value: str


class MatchOut(Schema):
    outcome: Literal["certain", "possible", "none"] = Field(
        ...,
        description="certain: importing links the sale to the first candidate without "
        "asking; possible: a contact must be chosen (contact_id on import); none: no "
        "contact fits.",
    )
    why: str
    candidates: list[CandidateOut] = Field(..., description="Best first.")
    possible_duplicates: list[int] = Field(
        ..., description="Contact ids that fit about equally: perhaps one person twice."
    )
    contact_id: int | None = Field(
        ...,
        description="Where the sale would go: the contact_id asked about, else the certain "
        "match, else nobody (a new contact when create_contact).",
    )
    offered_shoot: ShootRef | None = Field(
        ..., description="The shoot import links by default (shoot: most_recent_confirmed)."
    )
    new_details: list[NewDetailOut] = Field(
        ..., description="Details in the order that contact lacks (add_details on import)."
    )
    create_contact: bool = Field(
        ..., description="The studio's preference: import's default for create_contact."
    )


def shoot_ref(shoot: Shoot | None) -> dict[str, Any] | None:
    if shoot is None:
        return None
    return {
        "id": shoot.pk,
        "title": shoot.title,
        "starts_at": shoot.starts_at,
        "status": shoot.status,
    }


def sale_ref(sale: Sale | None) -> dict[str, Any] | None:
    if sale is None:
        return None
    return {
        "id": sale.pk,
        "sale_date": sale.sale_date,
        "currency": sale.currency,
        "total_minor": sale.total_minor,
        "total": decimal_string(sale.total_minor, sale.currency),
    }


def candidate_body(choice: Choice) -> dict[str, Any]:
    summary: ContactSummary = choice.summary
    return {
        "contact_id": choice.contact.pk,
        "name": choice.contact.display_name,
        "email": summary.email,
        "phone": summary.phone,
        "town": summary.town,
        "postcode": summary.postcode,
        "last_shoot": shoot_ref(summary.last_shoot),
        "last_sale": sale_ref(summary.last_sale),
        "reasons": list(choice.reasons),
        "warning": choice.warning,
        "certain": choice.certain,
    }


def match_body(plan: ImportPlan) -> dict[str, Any]:
    return {
        "outcome": plan.outcome,
        "why": plan.match.why,
        "candidates": [candidate_body(choice) for choice in plan.matched],
        "possible_duplicates": [contact.pk for contact in plan.match.duplicates],
        "contact_id": plan.contact.pk if plan.contact else None,
        "offered_shoot": shoot_ref(plan.offered_shoot),
        "new_details": [{"key": d.key, "label": d.label, "value": d.value} for d in plan.missing],
        "create_contact": plan.item.studio.create_contact_on_import,
    }
