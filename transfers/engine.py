"""What one row does: a new contact (shoot, sale), or a merge into a contact that the
matcher says is CERTAINLY the same person (contacts.matching: never on a name alone).

`apply_row` writes (the caller holds the transaction); the preview calls it inside a
transaction it rolls back, so preview and run decide by the same code, and rows of one
file that are the same person merge with each other: an earlier row's contact is in the
database when a later row is matched.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from accounts.models import Studio
from contacts import services as contact_services
from contacts.matching import MATCH, NONE, find_matches
from contacts.models import Contact
from sales import services as sale_services
from sales.models import Sale, SaleLine
from shoots import services as shoot_services
from shoots.localtime import local_datetime, studio_zone
from transfers.records import Record

NEW, MERGE, PROBLEM, SKIPPED = "new", "merge", "problem", "skipped"


@dataclass
class Applied:
    outcome: str
    reason: str = ""
    created: dict[str, list[int]] = field(default_factory=dict)
    merged_contact_id: int | None = None
    before: dict[str, Any] = field(default_factory=dict)


def apply_row(studio: Studio, kind: str, record: Record) -> Applied:
    if record.problems:
        return Applied(PROBLEM, "; ".join(record.problems))
    if kind == "contacts":
        return _contact_row(studio, record)
    return _shoot_or_sale_row(studio, kind, record)


def _contact_row(studio: Studio, record: Record) -> Applied:
    result = find_matches(studio=studio, candidate=record.match_input(), limit=3)
    if result.outcome == MATCH and result.best is not None:
        best = result.best
        applied = merge_into(best.contact, record.contact)
        applied.reason = (
            f"Merged into {best.contact.display_name} (#{best.contact.pk}): "
            + ", ".join(best.reasons)
        )
        return applied
    contact = contact_services.create_contact(studio=studio, **record.contact)
    reason = "New contact."
    if result.outcome != NONE and result.best is not None:
        near = result.best.contact
        reason = f"New contact; possibly the same as {near.display_name} (#{near.pk}), not certain: {result.why}"
    return Applied(NEW, reason, created={"contact": [contact.pk]})


def snapshot(contact: Contact) -> dict[str, Any]:
    """What undo needs to put a merged contact back as it was."""
    return {
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "company": contact.company,
        "notes": contact.notes,
        "tag_ids": sorted(contact.tags.values_list("pk", flat=True)),
    }


def merge_into(contact: Contact, incoming: dict[str, Any]) -> Applied:
    """Add what the row knows and the contact lacks: blank fields filled, emails, phones
    and addresses it lacks added, tags added, notes appended. Nothing it has is lost."""
    before = snapshot(contact)
    adders = (
        ("email", incoming.get("emails", ()), contact.emails,
         lambda v: contact_services.add_email(contact=contact, email=v)),
        ("phone", incoming.get("phones", ()), contact.phones,
         lambda v: contact_services.add_phone(contact=contact, number=v)),
        ("address", incoming.get("addresses", ()), contact.addresses,
         lambda v: contact_services.add_address(contact=contact, address=v)),
    )  # fmt: skip
    created: dict[str, list[int]] = {}
    for name, values, existing, add in adders:
        had = set(existing.values_list("pk", flat=True)) if values else set()
        for value in values:
            row = add(value)  # returns the contact's own row when it has it already
            if row.pk not in had:
                had.add(row.pk)
                created.setdefault(name, []).append(row.pk)
    changes: dict[str, Any] = {}
    for name in ("first_name", "last_name", "company"):
        if not getattr(contact, name) and incoming.get(name):
            changes[name] = incoming[name]
    notes = incoming.get("notes", "")
    if notes and notes not in contact.notes:
        changes["notes"] = f"{contact.notes}\n\n{notes}".strip()
    if incoming.get("tags"):
        changes["tags"] = [*contact.tags.values_list("name", flat=True), *incoming["tags"]]
    if changes:
        contact_services.update_contact(contact=contact, **changes)
    fields = ("first_name", "last_name", "company", "notes")
    before["after"] = {k: getattr(contact, k) for k in fields}
    return Applied(MERGE, created=created, merged_contact_id=contact.pk, before=before)


def _contact_for(
    studio: Studio, record: Record
) -> tuple[Contact | None, str, dict[str, list[int]]]:
    """The contact of a shoot or sale row: a certain match, or a new contact when nobody
    comes close; None (with the reason) when several could be the client."""
    if not record.contact:
        return None, "", {}
    result = find_matches(studio=studio, candidate=record.match_input(), limit=3)
    if result.outcome == MATCH and result.best is not None:
        return (
            result.best.contact,
            f"client {result.best.contact.display_name} (#{result.best.contact.pk})",
            {},
        )
    if result.outcome == NONE:
        contact = contact_services.create_contact(studio=studio, **record.contact)
        return contact, f"new client {contact.display_name}", {"contact": [contact.pk]}
    names = ", ".join(f"{c.contact.display_name} (#{c.contact.pk})" for c in result.candidates[:3])
    return None, f"Not certain who the client is: {names}. Add their email to the file.", {}


def _shoot_or_sale_row(studio: Studio, kind: str, record: Record) -> Applied:
    contact, about, created = _contact_for(studio, record)
    if contact is None and (kind == "sales" or about):
        return Applied(PROBLEM, about or "No client.")
    data = record.data
    if kind == "shoots":
        starts = local_datetime(data["date"], dt.time(12, 0), studio_zone(studio))
        shoot = shoot_services.create_shoot(
            studio=studio,
            title=data["title"][:200],
            shoot_type=data["shoot_type"],
            starts_at=starts,
            status=data["status"],
            location=data["location"][:200],
            notes=data["notes"],
            contacts=[(contact, "client")] if contact else [],
        )
        created["shoot"] = [shoot.pk]
        return Applied(NEW, f"New shoot{'; ' + about if about else ''}.", created=created)
    line = sale_services.LineInput(
        description=data["description"][:300],
        product_kind=SaleLine.Kind.PRODUCT,
        quantity=1,
        unit_price_minor=data["amount_minor"],
    )
    sale = sale_services.create_sale(
        studio=studio,
        contact=contact,
        sale_date=data["date"],
        currency=data["currency"],
        lines=[line],
        source=Sale.Source.MANUAL,
        external_ref=data["reference"][:120],
        notes=data["notes"],
    )
    created["sale"] = [sale.pk]
    return Applied(NEW, f"New sale; {about}.", created=created)
