"""Merging two contacts that are one person: nothing is lost.

The survivor keeps the chosen value of each field (its own by default, the duplicate's
where its own is blank; notes are kept from both), and receives the duplicate's emails,
phones and addresses (those it lacks), tags, shoots (one link per shoot, keeping the
more important role), sales, and every other row that points at the duplicate (found
through the model's reverse relations, so apps downstream of contacts, e.g. an inbox
item's contact, follow too without contacts importing them). Values of the duplicate
that were not chosen are written into the survivor's notes. Then the duplicate is
deleted. One transaction: it all happens or none of it does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction

from accounts.models import Studio
from contacts import keys
from contacts.details import same_address
from contacts.matching import Candidate, MatchInput, find_matches
from contacts.models import Contact, ContactAddress, ContactEmail, ContactPhone
from core.clock import studio_today

SURVIVOR, DUPLICATE, BOTH = "survivor", "duplicate", "both"
FIELDS = ("first_name", "last_name", "company", "source", "notes")
FIELD_LABELS = {
    "first_name": "first name",
    "last_name": "last name",
    "company": "company",
    "source": "source",
    "notes": "notes",
}
# When both contacts are on one shoot, the link with the more important role stays.
ROLE_RANK = ("client", "partner", "parent", "child", "guest", "other")
# Reverse relations moved by their own rules below; every other one is re-pointed.
_HANDLED = frozenset({"emails", "phones", "addresses", "shoot_links", "sales", "shoots"})


def default_choices(survivor: Contact, duplicate: Contact) -> dict[str, str]:
    """The survivor's values, except where only the duplicate has one; notes from both."""
    choices = {}
    for name in FIELDS:
        if name == "notes":
            choices[name] = BOTH
        elif name == "source":
            choices[name] = SURVIVOR
        else:
            mine, theirs = getattr(survivor, name), getattr(duplicate, name)
            choices[name] = DUPLICATE if not mine and theirs else SURVIVOR
    return choices


def _check(
    studio: Studio, survivor: Contact, duplicate: Contact, choices: Mapping[str, str]
) -> None:
    errors: dict[str, list[str]] = {}
    if survivor.studio_id != studio.pk or duplicate.studio_id != studio.pk:
        errors.setdefault(NON_FIELD_ERRORS, []).append("Both contacts must belong to this studio.")
    elif survivor.pk == duplicate.pk:
        errors.setdefault(NON_FIELD_ERRORS, []).append("A contact cannot be merged with itself.")
    for name, value in choices.items():
        allowed = (SURVIVOR, DUPLICATE, BOTH) if name == "notes" else (SURVIVOR, DUPLICATE)
        if name not in FIELDS:
            errors.setdefault(NON_FIELD_ERRORS, []).append(f"“{name}” cannot be chosen.")
        elif value not in allowed:
            errors.setdefault(name, []).append(f"Choose one of: {', '.join(allowed)}.")
    if errors:
        raise ValidationError(errors)


def merge_contacts(
    *,
    studio: Studio,
    survivor: Contact,
    duplicate: Contact,
    choices: Mapping[str, str] | None = None,
) -> Contact:
    """Merge `duplicate` into `survivor` (see module doc) and return the survivor.

    `choices` maps a field (first_name, last_name, company, source, notes) to "survivor"
    or "duplicate" (notes also "both"); fields not given take default_choices.
    ValidationError, with nothing changed, across studios, for a contact and itself, or
    for an unknown choice.
    """
    _check(studio, survivor, duplicate, choices or {})
    try:
        with transaction.atomic():
            return _merge(studio, survivor, duplicate, choices or {})
    except IntegrityError as exc:  # e.g. a downstream row unique per contact
        raise ValidationError(
            f"The contacts could not be merged: {exc}", code="merge_conflict"
        ) from exc


def _merge(
    studio: Studio, survivor: Contact, duplicate: Contact, choices: Mapping[str, str]
) -> Contact:
    # Lock both rows (in a fixed order, so two merges cannot deadlock) and re-read them.
    locked = {
        c.pk: c
        for c in Contact.objects.for_studio(studio)
        .select_for_update()
        .filter(pk__in=[survivor.pk, duplicate.pk])
        .order_by("pk")
    }
    if len(locked) != 2:
        raise ValidationError("One of the contacts no longer exists.", code="gone")
    keep, gone = locked[survivor.pk], locked[duplicate.pk]
    _apply_values(keep, gone, {**default_choices(keep, gone), **choices})
    _move_emails(keep, gone)
    _move_phones(keep, gone)
    _move_addresses(keep, gone)
    keep.tags.add(*gone.tags.all())
    _move_shoot_links(keep, gone)
    # Through the sales app's own service, which keeps its per-client report totals right
    # in this transaction; looked up by name (sales builds on contacts: no import).
    apps.get_app_config("sales").move_sales(sales=gone.sales.all(), contact=keep)
    _move_other_relations(keep, gone)
    gone.delete()
    keep.save()
    survivor.refresh_from_db()
    return survivor


def _apply_values(keep: Contact, gone: Contact, choices: Mapping[str, str]) -> None:
    discarded = []
    for name in FIELDS:
        mine, theirs = getattr(keep, name), getattr(gone, name)
        if name == "notes":
            keep.notes = _merged_notes(mine, theirs, choices[name])
            continue
        if choices[name] == DUPLICATE:
            setattr(keep, name, theirs)
            mine, theirs = theirs, mine
        if theirs and theirs != mine and name != "source":
            discarded.append(f"{FIELD_LABELS[name]} “{theirs}”")
    keep.name_key = keys.name_key(keep.first_name, keep.last_name)
    keep.surname_key = keys.surname_key(keep.first_name, keep.last_name)
    if discarded:
        when = studio_today(keep.studio).isoformat()
        trace = f"Merged with {gone.display_name} on {when}; also known as: {', '.join(discarded)}."
        keep.notes = f"{keep.notes}\n\n{trace}".strip()


def _merged_notes(mine: str, theirs: str, choice: str) -> str:
    if choice == SURVIVOR:
        return mine
    if choice == DUPLICATE:
        return theirs
    if not theirs or theirs == mine:
        return mine
    return f"{mine}\n\n{theirs}".strip()


def _move_rows(rows: models.QuerySet[Any], keep: Contact, kept: set[Any], key: Any) -> None:
    """Re-point the rows whose key the survivor lacks (no longer primary if the survivor
    has a primary row already); those it has are left to be deleted with the duplicate."""
    has_primary = rows.model.objects.filter(contact=keep, is_primary=True).exists()
    for row in rows:
        if key(row) in kept:
            continue
        kept.add(key(row))
        row.contact = keep
        row.is_primary = row.is_primary and not has_primary
        has_primary = has_primary or row.is_primary
        row.save(update_fields=["contact", "is_primary"])


def _move_emails(keep: Contact, gone: Contact) -> None:
    kept = set(keep.emails.values_list("email_normalized", flat=True))
    _move_rows(ContactEmail.objects.filter(contact=gone), keep, kept, lambda r: r.email_normalized)


def _move_phones(keep: Contact, gone: Contact) -> None:
    def number(row: ContactPhone) -> str:
        return row.e164 or " ".join(row.raw.split())

    kept = {number(row) for row in keep.phones.all()}
    _move_rows(ContactPhone.objects.filter(contact=gone), keep, kept, number)


def _move_addresses(keep: Contact, gone: Contact) -> None:
    mine = list(keep.addresses.all())
    for row in ContactAddress.objects.filter(contact=gone):
        if any(same_address(row, existing, home=keep.studio.country) for existing in mine):
            continue
        row.contact = keep
        row.save(update_fields=["contact"])
        mine.append(row)


def _rank(role: str) -> int:
    return ROLE_RANK.index(role) if role in ROLE_RANK else len(ROLE_RANK)


def _move_shoot_links(keep: Contact, gone: Contact) -> None:
    """Each shoot keeps one link: the survivor's, with the more important of the roles."""
    mine = {link.shoot_id: link for link in keep.shoot_links.all()}
    for link in gone.shoot_links.all():
        existing = mine.get(link.shoot_id)
        if existing is None:
            link.contact = keep
            link.save(update_fields=["contact"])
            continue
        if _rank(link.role) < _rank(existing.role):
            existing.role = link.role
            existing.save(update_fields=["role"])
        link.delete()


def _move_other_relations(keep: Contact, gone: Contact) -> None:
    """Rows of other apps that point at the duplicate now point at the survivor."""
    for relation in Contact._meta.related_objects:
        if relation.get_accessor_name() in _HANDLED:
            continue
        model, name = relation.related_model, relation.field.name
        if relation.many_to_many:
            through = relation.through
            own, other = _through_fields(through, relation)
            taken = through.objects.filter(**{own: keep}).values_list(other, flat=True)
            rows = through.objects.filter(**{own: gone})
            rows.exclude(**{f"{other}__in": list(taken)}).update(**{own: keep})
        elif relation.one_to_one:
            if model._base_manager.filter(**{name: keep}).exists():
                model._base_manager.filter(**{name: gone}).delete()
            else:
                model._base_manager.filter(**{name: gone}).update(**{name: keep})
        else:
            model._base_manager.filter(**{name: gone}).update(**{name: keep})


def _through_fields(through: type[models.Model], relation: Any) -> tuple[str, str]:
    """(the through model's FK to Contact, its FK to the other model)."""
    own = next(f.name for f in through._meta.fields if getattr(f, "related_model", None) is Contact)
    other = next(
        f.name
        for f in through._meta.fields
        if getattr(f, "related_model", None) is relation.related_model and f.name != own
    )
    return own, other


def likely_duplicates(*, studio: Studio, contact: Contact, limit: int = 5) -> list[Candidate]:
    """Other contacts that matching says could be this one (for the merge page)."""
    email = contact.emails.order_by("-is_primary", "id").first()
    phone = contact.phones.order_by("-is_primary", "id").first()
    address = contact.addresses.order_by("id").first()
    probe = MatchInput(
        first_name=contact.first_name,
        last_name=contact.last_name,
        email=email.email if email else "",
        phone=phone.raw if phone else "",
        postcode=address.postcode if address else "",
        address_line1=address.line1 if address else "",
        town=address.city if address else "",
    )
    found = find_matches(studio=studio, candidate=probe, limit=limit + 1).candidates
    return [c for c in found if c.contact.pk != contact.pk][:limit]
