"""Reading a contact's emails, phones, addresses and tags from service input.

Each `read_*` function turns the caller's list into unsaved rows (keys computed) plus
the problems found, without touching the database, so contacts.services can check
everything before it writes anything.

A problem with one item is a ValidationError whose params carry the item's `index` in
the caller's list and the `field` at fault: forms put it on the right row, the API
reports it as e.g. "emails.1.email".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from accounts.models import country_choices
from contacts import keys
from contacts.models import ContactAddress, ContactEmail, ContactPhone, Tag

EmailItem = str | Mapping[str, Any]
PhoneItem = str | Mapping[str, Any]
AddressItem = Mapping[str, Any]

ADDRESS_FIELDS = ("label", "line1", "line2", "city", "region", "postcode", "country")
EMAIL_FIELDS = frozenset({"email", "label", "is_primary"})
# "number" is what people (and the API) call it; "raw" is the model's column.
PHONE_FIELDS = frozenset({"raw", "number", "label", "is_primary"})


@dataclass
class Read[Row]:
    """Rows read from the input, and the problems found on the way."""

    rows: list[Row] = field(default_factory=list)
    errors: list[ValidationError] = field(default_factory=list)


def item_error(message: str, *, index: int, field: str) -> ValidationError:
    # ValidationError %-formats its message with params; user input may contain "%".
    return ValidationError(
        message.replace("%", "%%"), code="invalid", params={"index": index, "field": field}
    )


def too_long(model: type[models.Model], name: str, value: str) -> str | None:
    """The message for a value longer than the model's column, else None."""
    limit = model._meta.get_field(name).max_length
    if limit is not None and len(value) > limit:
        return f"Use at most {limit} characters (this has {len(value)})."
    return None


def _as_mapping(item: Any, main: str, allowed: frozenset[str], kind: str) -> Mapping[str, Any]:
    if isinstance(item, str):
        return {main: item}
    if not isinstance(item, Mapping):
        raise TypeError(f"A {kind} is a string or a mapping, not {type(item).__name__}.")
    unknown = set(item) - allowed
    if unknown:
        raise TypeError(f"Unknown {kind} fields: {', '.join(sorted(unknown))}.")
    return item


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _mark_primary(rows: Sequence[Any], flagged: list[bool]) -> None:
    """Exactly one primary: the first one flagged as primary, else the first."""
    chosen = flagged.index(True) if True in flagged else 0
    for position, row in enumerate(rows):
        row.is_primary = position == chosen


def read_emails(items: Sequence[EmailItem]) -> Read[ContactEmail]:
    """Blank entries are skipped; an address given twice is kept once."""
    result: Read[ContactEmail] = Read()
    flagged: list[bool] = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        data = _as_mapping(item, "email", EMAIL_FIELDS, "email")
        email, label = _text(data.get("email")), _text(data.get("label"))
        if not email:
            continue
        try:
            normalized = keys.normalize_email(email)
        except ValueError as exc:
            result.errors.append(item_error(str(exc), index=index, field="email"))
            continue
        if message := too_long(ContactEmail, "label", label):
            result.errors.append(item_error(message, index=index, field="label"))
        if normalized in seen:
            continue
        seen.add(normalized)
        row = ContactEmail(email=email, email_normalized=normalized, label=label)
        result.rows.append(row)
        flagged.append(bool(data.get("is_primary")))
    if result.rows:
        _mark_primary(result.rows, flagged)
    return result


def read_phones(items: Sequence[PhoneItem], *, default_region: str) -> Read[ContactPhone]:
    """Blank entries are skipped; a number given twice (same E.164) is kept once."""
    result: Read[ContactPhone] = Read()
    flagged: list[bool] = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        data = _as_mapping(item, "raw", PHONE_FIELDS, "phone")
        raw = _text(data.get("raw", data.get("number")))
        label = _text(data.get("label"))
        if not raw:
            continue
        problem = too_long(ContactPhone, "raw", raw)
        try:
            e164 = keys.phone_to_e164(raw, default_region)
        except ValueError as exc:
            problem = problem or str(exc)
            e164 = ""
        if problem:
            result.errors.append(item_error(problem, index=index, field="number"))
            continue
        if message := too_long(ContactPhone, "label", label):
            result.errors.append(item_error(message, index=index, field="label"))
        if e164 in seen:
            continue
        seen.add(e164)
        result.rows.append(ContactPhone(raw=raw, e164=e164, label=label))
        flagged.append(bool(data.get("is_primary")))
    if result.rows:
        _mark_primary(result.rows, flagged)
    return result


def _known_countries() -> frozenset[str]:
    return frozenset(code for code, _name in country_choices())


def read_address(data: AddressItem, *, index: int) -> Read[ContactAddress]:
    """One address (no rows when every field is blank)."""
    unknown = set(data) - set(ADDRESS_FIELDS)
    if unknown:
        raise TypeError(f"Unknown address fields: {', '.join(sorted(unknown))}.")
    values = {name: _text(data.get(name)) for name in ADDRESS_FIELDS}
    values["country"] = values["country"].upper()
    result: Read[ContactAddress] = Read()
    if not any(values[name] for name in ADDRESS_FIELDS if name != "label"):
        return result
    for name, value in values.items():
        if message := too_long(ContactAddress, name, value):
            result.errors.append(item_error(message, index=index, field=name))
    if values["country"] and values["country"] not in _known_countries():
        message = f"“{values['country']}” is not a country code (use two letters, e.g. GB)."
        result.errors.append(item_error(message, index=index, field="country"))
    row = ContactAddress(
        **values,
        postcode_key=keys.postcode_key(values["postcode"]),
        street_key=keys.street_key(values["line1"]),
    )
    result.rows.append(row)
    return result


def read_addresses(items: Sequence[AddressItem]) -> Read[ContactAddress]:
    """Entirely blank addresses are skipped."""
    result: Read[ContactAddress] = Read()
    for index, item in enumerate(items):
        if not isinstance(item, Mapping):
            raise TypeError(f"An address is a mapping, not {type(item).__name__}.")
        one = read_address(item, index=index)
        result.rows.extend(one.rows)
        result.errors.extend(one.errors)
    return result


def same_address(a: ContactAddress, b: ContactAddress, *, home: str = "") -> bool:
    """Equal apart from the label, ignoring case, spacing and the postcode's spaces. A
    blank country reads as `home` (the studio's country): an address book or a form that
    leaves the country out means the studio's own, so "same street, town and postcode, no
    country" is the address stored in that country, not a second one."""

    def folded(row: ContactAddress) -> tuple[str, ...]:
        parts = (row.line1, row.line2, row.city, row.region, row.country or home)
        return (*(" ".join(p.casefold().split()) for p in parts), row.postcode_key)

    return folded(a) == folded(b)


def read_tags(items: Sequence[str]) -> Read[str]:
    """Tag names, spaces collapsed; blanks skipped; duplicates (ignoring case) kept once."""
    result: Read[str] = Read()
    seen: set[str] = set()
    for item in items:
        name = " ".join(_text(item).split())
        if not name or name.casefold() in seen:
            continue
        if message := too_long(Tag, "name", name):
            result.errors.append(ValidationError(f"Tag “{name[:20]}…”: {message}"))
            continue
        seen.add(name.casefold())
        result.rows.append(name)
    return result
