"""vCard (3.0 and 4.0, as phones and Google/Apple Contacts export them) in and out.

Reading turns each card into one row under fixed column names, so vCards go through the
same mapping, preview and run as a spreadsheet. vobject does the parsing and writing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import vobject

from transfers.reading import Table, UnreadableFile, decode

PER_KIND = 3  # emails and phones kept per card
HEADERS = [
    "Full name",
    "First name",
    "Last name",
    "Organization",
    *[f"Email {n}" if n > 1 else "Email" for n in range(1, PER_KIND + 1)],
    *[f"Phone {n}" if n > 1 else "Phone" for n in range(1, PER_KIND + 1)],
    "Street",
    "City",
    "Region",
    "Postcode",
    "Country",
    "Note",
    "Categories",
]


def read_vcards(data: bytes) -> Table:
    text = decode(data)
    rows: list[tuple[int, list[str]]] = []
    try:
        for number, card in enumerate(vobject.readComponents(text, ignoreUnreadable=True), 1):
            if card.name.upper() != "VCARD":
                continue
            rows.append((number, _card_row(card)))
    except Exception as exc:  # vobject raises ParseError and friends on broken cards
        card = len(rows) + 1
        raise UnreadableFile(f"Card {card}: the vCard could not be read ({exc}).") from None
    return Table(list(HEADERS), rows, "vcf")


def _values(card: Any, name: str) -> list[Any]:
    return [line.value for line in card.contents.get(name, [])]


def _text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return " ".join(str(v) for v in value if v)
    return str(value or "").strip()


def _card_row(card: Any) -> list[str]:
    names = _values(card, "n")
    name = names[0] if names else None
    orgs = _values(card, "org")
    emails = [_text(v) for v in _values(card, "email")][:PER_KIND]
    phones = [_text(v) for v in _values(card, "tel")][:PER_KIND]
    addresses = _values(card, "adr")
    address = addresses[0] if addresses else None
    categories = []
    for value in _values(card, "categories"):
        categories.extend(value if isinstance(value, list) else [value])
    full = _text((_values(card, "fn") or [""])[0])
    if full == _text(orgs[0] if orgs else ""):
        full = ""  # a company's card: FN repeats ORG, and is no person's name
    row = [
        full,
        _text(getattr(name, "given", "")),
        _text(getattr(name, "family", "")),
        _text(orgs[0] if orgs else ""),
        *(emails + [""] * (PER_KIND - len(emails))),
        *(phones + [""] * (PER_KIND - len(phones))),
        _text(getattr(address, "street", "")),
        _text(getattr(address, "city", "")),
        _text(getattr(address, "region", "")),
        _text(getattr(address, "code", "")),
        _text(getattr(address, "country", "")),
        _text((_values(card, "note") or [""])[0]),
        ", ".join(_text(c) for c in categories if _text(c)),
    ]
    return row


def write_vcards(people: Iterable[Mapping[str, Any]]) -> str:
    """vCard 3.0 text of contacts given as export rows (transfers.exporting)."""
    out = []
    for person in people:
        out.append(_card(person).serialize())
    return "".join(out)


def _card(person: Mapping[str, Any]) -> Any:
    card = vobject.vCard()
    first, last = person.get("first_name", ""), person.get("last_name", "")
    card.add("n").value = vobject.vcard.Name(family=last, given=first)
    full = f"{first} {last}".strip() or person.get("company", "") or person.get("email", "")
    card.add("fn").value = full or "(no name)"
    if person.get("company"):
        card.add("org").value = [person["company"]]
    _add_all(card, "email", person.get("emails", ()))
    _add_all(card, "tel", person.get("phones", ()))
    for address in person.get("addresses", ()):
        adr = card.add("adr")
        adr.value = vobject.vcard.Address(
            street=address.get("line1", ""),
            city=address.get("city", ""),
            region=address.get("region", ""),
            code=address.get("postcode", ""),
            country=address.get("country", ""),
        )
    if person.get("notes"):
        card.add("note").value = person["notes"]
    if person.get("tags"):
        card.add("categories").value = list(person["tags"])
    return card


def _add_all(card: Any, name: str, values: Sequence[str]) -> None:
    for value in values:
        card.add(name).value = value
