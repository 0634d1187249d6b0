"""Every write to contacts, their emails, phones, addresses and tags.

Each function checks all of its input first and raises ValidationError (a dict of
field → messages; a problem with one email, phone or address carries the item's index
and field in its params, see contacts.details) before writing anything, then writes in
one transaction. The stored keys (name_key, surname_key, email_normalized, e164,
postcode_key) are computed here, so they always agree with the values beside them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from accounts.models import Studio
from contacts import bulk_insert, keys
from contacts.details import (
    AddressItem,
    EmailItem,
    PhoneItem,
    Read,
    read_address,
    read_addresses,
    read_emails,
    read_phones,
    read_tags,
    same_address,
    too_long,
)
from contacts.models import Contact, ContactAddress, ContactEmail, ContactPhone, Tag
from core.limits import NUL_MESSAGE, forbidden_characters, without_bidi_controls
from events import services as events

NEEDS_IDENTITY = "Give the contact a name, a company or an email address."
TEXT_FIELDS = ("first_name", "last_name", "company")


class ContactHasSales(ValidationError):
    """The contact has sales, which would lose their client (Sale.contact is PROTECT)."""

    def __init__(self, contact: Contact, sale_count: int) -> None:
        self.sale_count = sale_count
        noun = "sale" if sale_count == 1 else "sales"
        super().__init__(
            f"{contact.display_name} has {sale_count} {noun}, which would be left without "
            "a client. Contacts with sales cannot be deleted.",
            code="has_sales",
        )


Errors = dict[str, list[ValidationError]]


def _collect(errors: Errors, name: str, read: Read[Any]) -> None:
    if read.errors:
        errors.setdefault(name, []).extend(read.errors)


def _set_fields(contact: Contact, fields: Mapping[str, str | None], errors: Errors) -> None:
    """Sets the given fields (None = unchanged), checks them and recomputes the name keys."""
    for name in TEXT_FIELDS:
        value = fields.get(name)
        if value is not None:
            # Bidi controls could make a name spoof what a page shows (core.limits).
            value = " ".join(without_bidi_controls(value).split())
            setattr(contact, name, value)
            if message := _text_problem(name, value):
                errors.setdefault(name, []).append(ValidationError(message))
    if fields.get("notes") is not None:
        contact.notes = fields["notes"].strip()
    if fields.get("source") is not None:
        contact.source = fields["source"]
        if contact.source not in Contact.Source.values:
            message = f"“{contact.source}” is not a contact source."
            errors.setdefault("source", []).append(ValidationError(message))
    contact.name_key = keys.name_key(contact.first_name, contact.last_name)
    contact.surname_key = keys.surname_key(contact.first_name, contact.last_name)


def _text_problem(name: str, value: str) -> str | None:
    if forbidden_characters(value):
        return f"The text {NUL_MESSAGE}."
    return too_long(Contact, name, value)


def _check_identity(contact: Contact, has_email: bool, errors: Errors) -> None:
    if not (contact.first_name or contact.last_name or contact.company or has_email):
        errors.setdefault(NON_FIELD_ERRORS, []).append(ValidationError(NEEDS_IDENTITY))


def _tags_for(studio: Studio, names: Sequence[str]) -> list[Tag]:
    """The studio's tags of these names, reusing an existing tag whatever its case."""
    tags = []
    for name in names:
        tag = Tag.objects.for_studio(studio).filter(name__iexact=name).first()
        if tag is None:
            tag, _created = Tag.objects.get_or_create(studio=studio, name=name)
        tags.append(tag)
    return tags


def _save_rows(contact: Contact, rows: Sequence[Any]) -> None:
    for row in rows:
        row.studio_id, row.contact = contact.studio_id, contact
    if rows:
        type(rows[0]).objects.bulk_create(rows)


@transaction.atomic
def create_contact(
    *,
    studio: Studio,
    first_name: str = "",
    last_name: str = "",
    company: str = "",
    notes: str = "",
    source: str = Contact.Source.MANUAL,
    emails: Sequence[EmailItem] = (),
    phones: Sequence[PhoneItem] = (),
    addresses: Sequence[AddressItem] = (),
    tags: Sequence[str] = (),
) -> Contact:
    """A new contact with its details, or ValidationError with nothing saved.

    Emails and phones are strings or mappings ({"email"/"raw", "label", "is_primary"});
    the first one (or the one flagged is_primary) is primary. Phones without a country
    code are read as numbers of the studio's country.
    """
    errors: Errors = {}
    contact = Contact(studio=studio)
    fields = {"first_name": first_name, "last_name": last_name, "company": company}
    _set_fields(contact, {**fields, "notes": notes, "source": source}, errors)
    email_rows, phone_rows, address_rows, tag_names = _read_details(
        studio, errors, emails=emails, phones=phones, addresses=addresses, tags=tags
    )
    _check_identity(contact, bool(email_rows), errors)
    if errors:
        raise ValidationError(errors)
    contact.save()
    for rows in (email_rows, phone_rows, address_rows):
        _save_rows(contact, rows or [])
    contact.tags.set(_tags_for(studio, tag_names or []))
    events.record(studio=studio, type="contact.created", subject=contact)  # outbox (events/)
    return contact


def _read_details(
    studio: Studio,
    errors: Errors,
    *,
    emails: Sequence[EmailItem] | None,
    phones: Sequence[PhoneItem] | None,
    addresses: Sequence[AddressItem] | None,
    tags: Sequence[str] | None,
) -> tuple[list | None, list | None, list | None, list | None]:
    """The rows of each list given (None where the list was not given), errors collected."""
    found: list[list | None] = []
    readers = (
        ("emails", emails, read_emails),
        ("phones", phones, lambda items: read_phones(items, default_region=studio.country)),
        ("addresses", addresses, read_addresses),
        ("tags", tags, read_tags),
    )
    for name, items, reader in readers:
        if items is None:
            found.append(None)
            continue
        read = reader(items)
        _collect(errors, name, read)
        found.append(read.rows)
    return found[0], found[1], found[2], found[3]


@transaction.atomic
def update_contact(
    *,
    contact: Contact,
    first_name: str | None = None,
    last_name: str | None = None,
    company: str | None = None,
    notes: str | None = None,
    source: str | None = None,
    emails: Sequence[EmailItem] | None = None,
    phones: Sequence[PhoneItem] | None = None,
    addresses: Sequence[AddressItem] | None = None,
    tags: Sequence[str] | None = None,
) -> Contact:
    """Change what is given (None = leave unchanged; a list replaces the old one), or
    ValidationError with nothing saved (the `contact` object is reloaded then too)."""
    errors: Errors = {}
    fields = {"first_name": first_name, "last_name": last_name, "company": company}
    _set_fields(contact, {**fields, "notes": notes, "source": source}, errors)
    email_rows, phone_rows, address_rows, tag_names = _read_details(
        contact.studio, errors, emails=emails, phones=phones, addresses=addresses, tags=tags
    )
    has_email = bool(email_rows) if emails is not None else contact.emails.exists()
    _check_identity(contact, has_email, errors)
    if errors:
        contact.refresh_from_db()  # the caller's object must not show the refused values
        raise ValidationError(errors)
    contact.save()
    for rows, model in (
        (email_rows, ContactEmail),
        (phone_rows, ContactPhone),
        (address_rows, ContactAddress),
    ):
        if rows is not None:
            model.objects.filter(contact=contact).delete()
            _save_rows(contact, rows)
    if tag_names is not None:
        contact.tags.set(_tags_for(contact.studio, tag_names))
    events.record(studio=contact.studio, type="contact.updated", subject=contact)  # outbox
    return contact


@transaction.atomic
def delete_contact(*, contact: Contact) -> None:
    """Delete the contact and its details (its shoots stay, without it); ContactHasSales
    when it has sales."""
    sale_count = contact.sales.count()
    if sale_count:
        raise ContactHasSales(contact, sale_count)
    try:
        contact.delete()
    except ProtectedError as exc:  # a sale recorded since the check above
        raise ContactHasSales(contact, len(exc.protected_objects)) from exc


def _touch(contact: Contact) -> None:
    contact.save(update_fields=["updated_at"])


def _raise_item_errors(name: str, read: Read[Any]) -> None:
    if read.errors:
        raise ValidationError({name: read.errors})


@transaction.atomic
def add_email(
    *, contact: Contact, email: str, label: str = "", make_primary: bool = False
) -> ContactEmail:
    """Add an address the contact lacks; an address it has already is returned as it is.
    The first address of a contact becomes its primary one."""
    read = read_emails([{"email": email, "label": label}])
    _raise_item_errors("emails", read)
    if not read.rows:
        raise ValidationError({"emails": [ValidationError("Enter an email address.")]})
    row = read.rows[0]
    existing = contact.emails.filter(email_normalized=row.email_normalized).first()
    if existing is not None:
        return existing
    row.is_primary = make_primary or not contact.emails.exists()
    if row.is_primary:
        contact.emails.update(is_primary=False)
    _save_rows(contact, [row])
    _touch(contact)
    return row


@transaction.atomic
def add_phone(
    *, contact: Contact, number: str, label: str = "", make_primary: bool = False
) -> ContactPhone:
    """Add a number the contact lacks (compared in E.164); one it has already is returned.
    The first number of a contact becomes its primary one."""
    read = read_phones([{"raw": number, "label": label}], default_region=contact.studio.country)
    _raise_item_errors("phones", read)
    if not read.rows:
        raise ValidationError({"phones": [ValidationError("Enter a phone number.")]})
    row = read.rows[0]
    existing = contact.phones.filter(e164=row.e164).first()
    if existing is not None:
        return existing
    row.is_primary = make_primary or not contact.phones.exists()
    if row.is_primary:
        contact.phones.update(is_primary=False)
    _save_rows(contact, [row])
    _touch(contact)
    return row


def add_phones(*, contact: Contact, numbers: Sequence[str], has_phone: bool) -> list[ContactPhone]:
    """Numbers the caller has checked the contact lacks (in E.164, reading its numbers in
    this transaction), added at once: all checked first (ValidationError, nothing
    written), then one insert and one touch. The first becomes the primary one when the
    contact had no number (`has_phone`), as add_phone would make it."""
    read = read_phones([{"raw": n} for n in numbers], default_region=contact.studio.country)
    _raise_item_errors("phones", read)
    for position, row in enumerate(read.rows):
        row.is_primary = position == 0 and not has_phone
    _save_rows(contact, read.rows)
    if read.rows:
        _touch(contact)
    return read.rows


@transaction.atomic
def add_address(*, contact: Contact, address: AddressItem) -> ContactAddress:
    """Add an address the contact lacks; one it has already (ignoring the label, case and
    spacing) is returned as it is."""
    read = read_address(address, index=0)
    _raise_item_errors("addresses", read)
    if not read.rows:
        raise ValidationError({"addresses": [ValidationError("The address is empty.")]})
    row = read.rows[0]
    for existing in contact.addresses.all():
        if same_address(existing, row, home=contact.studio.country):
            return existing
    _save_rows(contact, [row])
    _touch(contact)
    return row


@transaction.atomic
def create_contacts(*, studio: Studio, people: Sequence[Mapping[str, Any]]) -> list[Contact]:
    """Many new contacts at once (imports): each is checked exactly as create_contact
    checks it (same keywords), then all are inserted in a few bulk statements.

    ValidationError with nothing saved when any is refused: its error_dict maps the
    index (as text) of each refused person to that person's errors.
    """
    return insert_built(studio=studio, built=build_contacts(studio=studio, people=people))


# A contact checked and built, not saved: (contact, (emails, phones, addresses, tags)).
Built = tuple[Contact, tuple]


def build_contacts(*, studio: Studio, people: Sequence[Mapping[str, Any]]) -> list[Built]:
    """The first half of create_contacts: each person checked and built as it will be
    stored (fields cleaned, keys computed, detail rows read), nothing written. An import
    matches later rows against these before they are inserted (transfers.engine)."""
    built, errors = [], {}
    for index, person in enumerate(people):
        found: Errors = {}
        contact = Contact(studio=studio)
        fields = {name: person.get(name, "") for name in (*TEXT_FIELDS, "notes")}
        _set_fields(
            contact, {**fields, "source": person.get("source", Contact.Source.MANUAL)}, found
        )
        rows = _read_details(
            studio, found, emails=person.get("emails", ()), phones=person.get("phones", ()),
            addresses=person.get("addresses", ()), tags=person.get("tags", ()),
        )  # fmt: skip
        _check_identity(contact, bool(rows[0]), found)
        if found:
            errors[str(index)] = [e for messages in found.values() for e in messages]
        built.append((contact, rows))
    if errors:
        raise ValidationError(errors)
    return built


def insert_built(*, studio: Studio, built: Sequence[Built]) -> list[Contact]:
    """The second half of create_contacts: insert what build_contacts built, in bulk."""
    contacts = [contact for contact, _rows in built]
    bulk_insert.insert(Contact, contacts)
    _bulk_details(studio, contacts, [rows for _contact, rows in built])
    return contacts


def _bulk_details(studio: Studio, contacts: list[Contact], details: list[tuple]) -> None:
    per_model: dict[type, list[Any]] = {}
    tag_links, tags_by_name = [], {}
    for contact, (emails, phones, addresses, tag_names) in zip(contacts, details, strict=True):
        for row in [*(emails or []), *(phones or []), *(addresses or [])]:
            row.studio_id, row.contact = studio.pk, contact
            per_model.setdefault(type(row), []).append(row)
        for name in tag_names or []:
            key = name.casefold()
            if key not in tags_by_name:
                tags_by_name[key] = _tags_for(studio, [name])[0]
            tag_links.append(
                Contact.tags.through(contact_id=contact.pk, tag_id=tags_by_name[key].pk)
            )
    for model, rows in per_model.items():
        bulk_insert.insert(model, rows)
    Contact.tags.through.objects.bulk_create(tag_links, ignore_conflicts=True)
