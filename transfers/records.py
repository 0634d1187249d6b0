"""One file row → what it says, in Cyan's terms, plus its problems (nothing written).

A row with a problem (an email that is not one, an unreadable phone or date, an amount
finer than its currency, an unknown currency or country) is reported with the reason
and left out of the run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from nameparser import HumanName

from accounts.models import Studio, country_choices
from contacts import keys
from contacts.matching import MatchInput
from contacts.models import Contact
from core.csvsafe import FORMULA_PREFIXES
from core.money import MoneyError, normalize_currency, to_minor
from shoots.models import Shoot
from transfers.amounts import AmountProblem, parse_amount
from transfers.dates import DateProblem, parse_date

_SOURCES = {
    **{value.casefold(): value for value in Contact.Source.values},
    **{label.casefold(): value for value, label in Contact.Source.choices},
}
_STATUSES = {
    **{v: v for v in Shoot.Status.values},
    "booked": "confirmed",
    "lead": "enquiry",
    "inquiry": "enquiry",
    "complete": "completed",
    "done": "completed",
    "canceled": "cancelled",
}


@dataclass
class Record:
    """The row's values by field name; `problems` says why it cannot be imported."""

    line: int
    values: dict[str, str]
    problems: list[str] = field(default_factory=list)
    contact: dict[str, Any] = field(default_factory=dict)  # create_contact() keywords
    data: dict[str, Any] = field(default_factory=dict)  # the shoot's or sale's own values

    @property
    def label(self) -> str:
        c = self.contact
        name = f"{c.get('first_name', '')} {c.get('last_name', '')}".strip()
        emails = c.get("emails") or [""]
        who = name or c.get("company", "") or emails[0]
        what = self.data.get("title") or self.data.get("description") or ""
        return " · ".join(p for p in (who, what) if p)[:300]

    def match_input(self) -> MatchInput:
        c = self.contact
        address = (c.get("addresses") or [{}])[0]
        return MatchInput(
            first_name=c.get("first_name", ""),
            last_name=c.get("last_name", ""),
            email=(c.get("emails") or [""])[0],
            phone=(c.get("phones") or [""])[0],
            postcode=address.get("postcode", ""),
            address_line1=address.get("line1", ""),
            town=address.get("city", ""),
        )


def _cell(raw: str) -> str:
    text = (raw or "").replace("\r\n", "\n").strip()
    # Undo core.csvsafe: an exported "'+1 212…" or "'=SUM" was written with a leading
    # apostrophe so that spreadsheets show it as text; the value is what follows it.
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def values_of(cells: Sequence[str], mapping: Mapping[str, str]) -> dict[str, str]:
    values = {}
    for index, name in mapping.items():
        position = int(index)
        if name and position < len(cells):
            values[name] = _cell(cells[position])
    return values


def read_record(
    line: int,
    cells: Sequence[str],
    *,
    kind: str,
    mapping: Mapping[str, str],
    studio: Studio,
    date_order: str,
) -> Record:
    record = Record(line, values_of(cells, mapping))
    record.contact = _contact_part(record, studio, date_order)
    if kind == "shoots":
        _shoot_part(record, date_order)
    elif kind == "sales":
        _sale_part(record, studio, date_order)
    elif not _has_identity(record.contact):
        record.problems.append("No name, company or email.")
    return record


def _has_identity(contact: Mapping[str, Any]) -> bool:
    return any(contact.get(k) for k in ("first_name", "last_name", "company", "emails"))


def _split_list(text: str) -> list[str]:
    for separator in (";", "|", "\n"):
        text = text.replace(separator, ",")
    return [part.strip() for part in text.split(",") if part.strip()]


def _contact_part(record: Record, studio: Studio, date_order: str) -> dict[str, Any]:
    v = record.values
    first, last = v.get("first_name", ""), v.get("last_name", "")
    if not (first or last) and v.get("full_name"):
        name = HumanName(v["full_name"])
        first = " ".join(p for p in (name.first, name.middle) if p)
        last = " ".join(p for p in (name.last, name.suffix) if p)
    emails = []
    for name in ("email", "email_2", "email_3"):
        for raw in _split_list(v.get(name, "")):
            try:
                keys.normalize_email(raw)
            except ValueError as exc:
                record.problems.append(str(exc))
            emails.append(raw)
    phones = []
    for name in ("phone", "phone_2", "phone_3"):
        raw = v.get(name, "")
        if raw:
            try:
                keys.phone_to_e164(raw, studio.country)
            except ValueError as exc:
                record.problems.append(str(exc))
            phones.append(raw)
    notes = [v.get("notes", "")]
    source = Contact.Source.IMPORT
    if raw_source := v.get("source", ""):
        source = _SOURCES.get(raw_source.casefold(), Contact.Source.IMPORT)
        if source == Contact.Source.IMPORT:
            notes.append(f"Source: {raw_source}")
    if created := v.get("created_date", ""):
        try:
            when = parse_date(created, date_order)
            notes.append(f"Client since {when.isoformat()} (imported)." if when else "")
        except DateProblem as exc:
            record.problems.append(f"Created date: {exc}")
    return {
        "first_name": first,
        "last_name": last,
        "company": v.get("company", ""),
        "emails": emails,
        "phones": phones,
        "addresses": _address(record),
        "tags": _split_list(v.get("tags", "")),
        "notes": "\n".join(n for n in notes if n),
        "source": source,
    }


def _country_code(text: str) -> str | None:
    if not text:
        return ""
    if len(text) == 2 and text.isalpha():
        return text.upper()
    by_name = {name.casefold(): code for code, name in country_choices()}
    by_name |= {"uk": "GB", "usa": "US", "united states of america": "US", "england": "GB"}
    return by_name.get(text.casefold())


def _address(record: Record) -> list[dict[str, str]]:
    v = record.values
    parts = {
        "line1": v.get("address_line1", ""),
        "line2": v.get("address_line2", ""),
        "city": v.get("city", ""),
        "region": v.get("region", ""),
        "postcode": v.get("postcode", ""),
    }
    country = _country_code(v.get("country", ""))
    if country is None:
        record.problems.append(f"“{v['country']}” is not a country Cyan knows (use e.g. GB).")
        country = ""
    if not any(parts.values()):
        return []
    return [{**parts, "country": country}]


def _required_date(record: Record, date_order: str) -> dt.date | None:
    try:
        when = parse_date(record.values.get("date", ""), date_order)
    except DateProblem as exc:
        record.problems.append(str(exc))
        return None
    if when is None:
        record.problems.append("No date.")
    return when


def _shoot_part(record: Record, date_order: str) -> None:
    v = record.values
    when = _required_date(record, date_order)
    kind = v.get("shoot_type", "").casefold()
    status = _STATUSES.get(v.get("status", "").casefold(), "")
    if v.get("status") and not status:
        record.problems.append(f"“{v['status']}” is not a shoot status.")
    record.data = {
        "title": v.get("title", "") or (f"{v.get('shoot_type', '') or 'Shoot'}".title()),
        "shoot_type": kind if kind in Shoot.Type.values else Shoot.Type.OTHER,
        "date": when,
        "status": status or Shoot.Status.CONFIRMED,
        "location": v.get("location", ""),
        "notes": v.get("notes", ""),
    }
    record.contact["notes"] = ""  # the notes column is the shoot's
    if not _has_identity(record.contact):
        record.contact = {}


def _sale_part(record: Record, studio: Studio, date_order: str) -> None:
    v = record.values
    when = _required_date(record, date_order)
    currency = v.get("currency", "") or studio.default_currency
    amount_minor = None
    try:
        currency = normalize_currency(currency)
        amount = parse_amount(v.get("amount", ""))
        if amount < 0:
            raise AmountProblem(f"“{v['amount']}”: a sale's amount cannot be negative.")
        amount_minor = to_minor(amount, currency)
    except (MoneyError, AmountProblem) as exc:
        record.problems.append(str(exc))
    record.data = {
        "date": when,
        "currency": currency,
        "amount_minor": amount_minor,
        "description": v.get("description", "") or "Imported sale",
        "reference": v.get("reference", ""),
        "notes": v.get("notes", ""),
    }
    record.contact["notes"] = ""  # the notes column is the sale's
    if not _has_identity(record.contact):
        record.problems.append("No client: map a client name or email column.")
