"""Which column is which field: proposed from the header names, editable, saved by name.

Header names are compared folded (case, spaces and punctuation ignored: "E-mail
Address" = "email address" = "EmailAddress"). Presets name the columns of other tools'
CSV exports; docs/transfers.md says which follow a published column list and which are
educated guesses.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from transfers.models import Kind

IGNORE = ""

CONTACT_FIELDS: dict[str, str] = {
    "full_name": "Full name",
    "first_name": "First name",
    "last_name": "Last name",
    "company": "Company",
    "email": "Email",
    "email_2": "Email 2",
    "email_3": "Email 3",
    "phone": "Phone",
    "phone_2": "Phone 2",
    "phone_3": "Phone 3",
    "address_line1": "Street address",
    "address_line2": "Address line 2",
    "city": "Town / city",
    "region": "State / region",
    "postcode": "Postcode / ZIP",
    "country": "Country",
    "tags": "Tags",
    "notes": "Notes",
    "source": "Source",
    "created_date": "Created date",
}
_CONTACT_OF_RECORD = {
    "full_name": "Client name",
    "first_name": "Client first name",
    "last_name": "Client last name",
    "email": "Client email",
    "phone": "Client phone",
}
SHOOT_FIELDS: dict[str, str] = {
    "title": "Title",
    "shoot_type": "Type",
    "date": "Date",
    "status": "Status",
    "location": "Location",
    "notes": "Notes",
    **_CONTACT_OF_RECORD,
}
SALE_FIELDS: dict[str, str] = {
    "date": "Date",
    "description": "Description",
    "amount": "Amount",
    "currency": "Currency",
    "reference": "Reference",
    "notes": "Notes",
    **_CONTACT_OF_RECORD,
}
FIELDS: dict[str, dict[str, str]] = {
    Kind.CONTACTS: CONTACT_FIELDS,
    Kind.SHOOTS: SHOOT_FIELDS,
    Kind.SALES: SALE_FIELDS,
}

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "full_name": (
        "name",
        "full name",
        "display name",
        "contact name",
        "client name",
        "contact",
        "client",
        "customer",
        "customer name",
        "fn",
    ),
    "first_name": (
        "first",
        "first name",
        "firstname",
        "given name",
        "given",
        "forename",
        "fname",
        "client first name",
        "contact first name",
        "primary first name",
    ),
    "last_name": (
        "last",
        "last name",
        "lastname",
        "surname",
        "family name",
        "lname",
        "client last name",
        "contact last name",
        "primary last name",
    ),
    "company": (
        "company",
        "company name",
        "organization",
        "organisation",
        "organization name",
        "organization 1 name",
        "business",
        "business name",
    ),
    "email": (
        "email",
        "e-mail",
        "email address",
        "e-mail address",
        "primary email",
        "email 1",
        "e-mail 1 value",
        "email 1 value",
        "client email",
        "contact email",
        "customer email",
        "mail",
    ),
    "email_2": (
        "email 2",
        "e-mail 2 address",
        "e-mail 2 value",
        "secondary email",
        "email address 2",
        "alternate email",
    ),
    "email_3": ("email 3", "e-mail 3 address", "e-mail 3 value"),
    "phone": (
        "phone",
        "phone number",
        "mobile",
        "mobile phone",
        "cell",
        "cell phone",
        "telephone",
        "tel",
        "primary phone",
        "phone 1 value",
        "client phone",
        "contact phone",
        "customer phone",
        "mobile number",
    ),
    "phone_2": ("phone 2", "home phone", "phone 2 value", "secondary phone", "other phone"),
    "phone_3": ("phone 3", "business phone", "work phone", "phone 3 value"),
    "address_line1": (
        "address",
        "street",
        "street address",
        "address 1",
        "address line 1",
        "address1",
        "home street",
        "address 1 street",
        "mailing address",
        "street 1",
    ),
    "address_line2": ("address 2", "address line 2", "address2", "home street 2", "street 2"),
    "city": ("city", "town", "home city", "address 1 city", "suburb", "locality"),
    "region": (
        "state",
        "region",
        "province",
        "county",
        "home state",
        "address 1 region",
        "state province",
    ),
    "postcode": (
        "zip",
        "zip code",
        "zipcode",
        "postcode",
        "post code",
        "postal code",
        "home postal code",
        "address 1 postal code",
    ),
    "country": (
        "country",
        "country region",
        "home country region",
        "address 1 country",
        "country code",
    ),
    "tags": ("tags", "tag", "labels", "categories", "group membership", "groups", "lead status"),
    "notes": ("notes", "note", "comments", "comment", "description"),
    "source": ("source", "lead source", "referral source", "how did you hear about us"),
    "created_date": (
        "created",
        "created date",
        "date created",
        "date added",
        "created at",
        "created on",
    ),
    "title": (
        "title",
        "shoot",
        "shoot name",
        "session",
        "session name",
        "job",
        "job name",
        "project",
        "project name",
        "event name",
    ),
    "shoot_type": ("type", "shoot type", "session type", "job type", "project type", "event type"),
    "date": (
        "date",
        "shoot date",
        "session date",
        "event date",
        "job date",
        "sale date",
        "order date",
        "invoice date",
        "payment date",
        "transaction date",
    ),
    "status": ("status", "job status", "project status", "stage"),
    "location": ("location", "venue", "place"),
    "amount": ("amount", "total", "price", "grand total", "amount paid", "invoice total", "value"),
    "currency": ("currency", "currency code"),
    "reference": (
        "reference",
        "ref",
        "invoice number",
        "invoice",
        "order number",
        "order id",
        "receipt number",
        "transaction id",
    ),
}


def fold(header: str) -> str:
    """'E-mail Address ' → 'emailaddress'."""
    return re.sub(r"[^0-9a-z]", "", (header or "").casefold())


_BY_HEADER: dict[str, str] = {}
for _field, _names in _SYNONYMS.items():
    for _name in _names:
        _BY_HEADER.setdefault(fold(_name), _field)


def _field_for(header: str, kind: str) -> str:
    allowed = FIELDS[kind]
    field = _BY_HEADER.get(fold(header), IGNORE)
    if kind != Kind.CONTACTS and field == "notes" and fold(header) == "description":
        field = "description"
    if field in allowed:
        return field
    return IGNORE


def propose(
    headers: Sequence[str], kind: str, preset: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Column index (as text) → field, each field used once (the leftmost column wins)."""
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for index, header in enumerate(headers):
        folded = fold(header)
        # A preset may name a column to leave out ("" = ignore).
        field = preset[folded] if preset and folded in preset else _field_for(header, kind)
        if field and field in FIELDS[kind] and field not in used:
            mapping[str(index)] = field
            used.add(field)
    return mapping


def by_header(headers: Sequence[str], mapping: Mapping[str, str]) -> dict[str, str]:
    """A mapping as saved: folded header → field (so column order may change)."""
    result = {}
    for index, field in mapping.items():
        position = int(index)
        if field and 0 <= position < len(headers):
            result[fold(headers[position])] = field
    return result


def check(mapping: Mapping[str, str], kind: str, column_count: int) -> list[str]:
    """What is wrong with a mapping, in words (empty when it can run)."""
    problems = []
    seen: dict[str, str] = {}
    for index, field in mapping.items():
        if not field:
            continue
        if field not in FIELDS[kind]:
            problems.append(f"“{field}” is not a field of {kind}.")
        elif not index.isdigit() or int(index) >= column_count:
            problems.append(f"Column {index} does not exist.")
        elif field in seen:
            problems.append(f"Two columns are mapped to {FIELDS[kind][field]}.")
        seen[field] = index
    fields = set(seen)
    needed = {
        Kind.CONTACTS: (
            {"full_name", "first_name", "last_name", "company", "email"},
            "a name, company or email column",
        ),
        Kind.SHOOTS: ({"date"}, "a date column"),
        Kind.SALES: ({"amount"}, "an amount column"),
    }[kind]
    if not fields & needed[0]:
        problems.append(f"Map at least {needed[1]}.")
    if kind == Kind.SALES and "date" not in fields:
        problems.append("Map the sale's date column.")
    return problems
