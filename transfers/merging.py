"""An import's merge of a row into a contact (transfers.engine decides which): what the
row adds that the contact lacks, written through the contact services, and the undo
record; a row that adds nothing writes nothing."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from contacts import keys, matching_lookup
from contacts import services as contact_services
from contacts.details import read_address, same_address
from contacts.matching_lookup import Hits
from contacts.models import Contact, ContactAddress

NEW, MERGE, PROBLEM, SKIPPED = "new", "merge", "problem", "skipped"


@dataclass
class Applied:
    outcome: str
    reason: str = ""
    created: dict[str, list[int]] = field(default_factory=dict)
    merged_contact_id: int | None = None
    before: dict[str, Any] = field(default_factory=dict)


def wrote(applied: Applied) -> bool:
    """Whether merge_into wrote anything: a detail or tag added, or a field changed. (A
    later row's look-up must then read the contact again: its keys for the matcher, its
    fields for adds_nothing and the undo record.)"""
    if any(applied.created.values()):
        return True
    after = applied.before.get("after", {})
    return any(applied.before.get(name) != value for name, value in after.items())


def only_added(applied: Applied, name: str) -> bool:
    """Whether merge_into added rows of this kind and changed nothing else."""
    others = any(ids for kind, ids in applied.created.items() if kind != name)
    after = applied.before.get("after", {})
    changed = any(applied.before.get(field) != value for field, value in after.items())
    return not others and not changed


def e164_or_blank(phone: str, region: str) -> str:
    try:
        return keys.phone_to_e164(phone, region)
    except ValueError:
        return ""


def addresses_of(contact: Contact) -> Callable[[], list[ContactAddress]]:
    return lambda: list(ContactAddress.objects.filter(contact_id=contact.pk))


def adds_nothing(
    incoming: dict[str, Any],
    probe: matching_lookup.Probe,
    hits: Hits,
    contact: Contact,
    region: str,
    stored_addresses: Callable[[], list[ContactAddress]] = list,
) -> bool:
    """Whether merge_into would write nothing, told from what the matcher read already:
    the row's only email / phone is the one the contact was found by, it has no tag, no
    name, company or note the contact lacks, and no address the contact lacks (the
    contact's addresses are read, with `stored_addresses`, only for a row that has one
    and passes the rest). (Then the four reads of merge_into are not needed; any doubt,
    and merge_into decides.)"""
    if incoming.get("tags"):
        return False
    notes = incoming.get("notes", "")
    if notes and notes not in (contact.notes or ""):
        return False
    for name in ("first_name", "last_name", "company"):
        if incoming.get(name) and not getattr(contact, name):
            return False
    with contextlib.suppress(ValueError):
        emails = {keys.normalize_email(e) for e in incoming.get("emails", ())}
        phones = {keys.phone_to_e164(p, region) for p in incoming.get("phones", ())}
        found_by = ({probe.email} if contact.pk in hits.email else set()) | (
            {probe.e164} if contact.pk in hits.phone else set()
        )
        if not emails | phones <= found_by:
            return False
        return _has_addresses(incoming.get("addresses", ()), stored_addresses, region)
    return False


def _has_addresses(incoming: Any, stored: Callable[[], list[ContactAddress]], home: str) -> bool:
    """Whether the contact has every address of the row already (as merge_into compares
    them: details.same_address, a blank country the studio's); False for one that does
    not read (merge_into refuses it)."""
    if not incoming:
        return True
    mine = stored()
    for address in incoming:
        read = read_address(address, index=0)
        if read.errors or not read.rows:
            return False
        if not any(same_address(read.rows[0], row, home=home) for row in mine):
            return False
    return True


def merged_unchanged(best: Any, tag_ids: list[int] | None = None) -> Applied:
    """merge_into's answer for a row that adds nothing (the tags for undo's record: as
    the group's look-ups read them, or read now)."""
    contact = best.contact
    fields = ("first_name", "last_name", "company", "notes")
    before: dict[str, Any] = {k: getattr(contact, k) for k in fields}
    if tag_ids is None:
        tag_ids = list(contact.tags.values_list("pk", flat=True))
    before["tag_ids"] = sorted(tag_ids)
    before["after"] = {k: getattr(contact, k) for k in fields}
    reasons = ", ".join(best.reasons)
    return Applied(
        MERGE,
        reason=f"Merged into {contact.display_name} (#{contact.pk}): {reasons}",
        merged_contact_id=contact.pk,
        before=before,
    )


def _missing(contact: Contact, incoming: dict[str, Any]) -> tuple[dict[str, list[Any]], bool]:
    """The row's emails, phones and addresses the contact lacks (compared by key), and
    whether the contact has a phone."""
    # Only what the row could add is read (a row adds phones more often than anything).
    emails, phones, addresses = set(), set(), []
    if incoming.get("emails"):
        emails = set(contact.emails.values_list("email_normalized", flat=True))
    if incoming.get("phones"):
        phones = set(contact.phones.values_list("e164", flat=True))
    if incoming.get("addresses"):
        addresses = list(contact.addresses.all())
    missing: dict[str, list[Any]] = {"email": [], "phone": [], "address": []}
    for email in incoming.get("emails", ()):
        if keys.normalize_email(email) not in emails:
            missing["email"].append(email)
    for phone in incoming.get("phones", ()):
        if keys.phone_to_e164(phone, contact.studio.country) not in phones:
            missing["phone"].append(phone)
    for address in incoming.get("addresses", ()):
        row = read_address(address, index=0).rows
        home = contact.studio.country
        if row and not any(same_address(row[0], mine, home=home) for mine in addresses):
            missing["address"].append(address)
    return missing, bool(phones)


def merge_into(contact: Contact, incoming: dict[str, Any]) -> Applied:
    """Add what the row knows and the contact lacks: blank fields filled, emails, phones
    and addresses it lacks added, tags added, notes appended. Nothing it has is lost;
    a row that adds nothing writes nothing (and costs four reads)."""
    missing, has_phone = _missing(contact, incoming)
    tags = dict(contact.tags.values_list("pk", "name"))
    changes: dict[str, Any] = {}
    for name in ("first_name", "last_name", "company"):
        if not getattr(contact, name) and incoming.get(name):
            changes[name] = incoming[name]
    notes = incoming.get("notes", "")
    if notes and notes not in contact.notes:
        changes["notes"] = f"{contact.notes}\n\n{notes}".strip()
    have = {t.casefold() for t in tags.values()}
    if any(t.casefold() not in have for t in incoming.get("tags", ())):
        changes["tags"] = [*tags.values(), *incoming["tags"]]
    fields = ("first_name", "last_name", "company", "notes")
    before: dict[str, Any] = {k: getattr(contact, k) for k in fields}
    before["tag_ids"] = sorted(tags)
    created: dict[str, list[int]] = {}
    if changes or missing["email"] or missing["address"]:
        with transaction.atomic():  # a savepoint: a refused addition leaves nothing
            created = _add_missing(contact, missing, has_phone)
            if changes:
                contact_services.update_contact(contact=contact, **changes)
            if "tags" in changes:  # undo removes these, and only these
                added = set(contact.tags.values_list("pk", flat=True)) - set(tags)
                created["tag"] = sorted(added)
    elif missing["phone"]:  # no savepoint: add_phones checks them all before it writes
        created = _add_missing(contact, missing, has_phone)
    before["after"] = {k: getattr(contact, k) for k in fields}
    return Applied(MERGE, created=created, merged_contact_id=contact.pk, before=before)


def _add_missing(
    contact: Contact, missing: dict[str, list[Any]], has_phone: bool
) -> dict[str, list[int]]:
    adders = {
        "email": lambda v: contact_services.add_email(contact=contact, email=v),
        "address": lambda v: contact_services.add_address(contact=contact, address=v),
    }
    created: dict[str, list[int]] = {}
    for name, values in missing.items():
        for value in values if name in adders else ():
            row = adders[name](value)
            if row.pk not in created.get(name, []):
                created.setdefault(name, []).append(row.pk)
    if missing["phone"]:  # _missing read the numbers: no reading them again per number
        rows = contact_services.add_phones(
            contact=contact, numbers=missing["phone"], has_phone=has_phone
        )
        created["phone"] = [row.pk for row in rows]
    return created
