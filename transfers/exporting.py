"""Export a studio's contacts as CSV, XLSX or vCard, in the columns an import proposes
back to the same fields (so export → import into a fresh studio gives the same data).

CSV cells go through core.csvsafe (formula injection); XLSX is written by XlsxWriter
with strings as strings (never formulas).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from accounts.models import Studio
from contacts.models import Contact
from core.csvsafe import csv_text
from transfers.vcard import write_vcards

FORMATS = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "vcf": "text/vcard",
}
PER_KIND = 3
COLUMNS = [
    "First Name", "Last Name", "Company",
    "Email", "Email 2", "Email 3", "Phone", "Phone 2", "Phone 3",
    "Street Address", "Address Line 2", "City", "State", "Postcode", "Country",
    "Tags", "Notes", "Source",
]  # fmt: skip


def people(studio: Studio) -> Iterator[dict[str, Any]]:
    """Each contact with its details, read in pages of 1,000 (steady memory)."""
    contacts = (
        Contact.objects.for_studio(studio)
        .order_by("pk")
        .prefetch_related("emails", "phones", "addresses", "tags")
    )
    last = 0
    while True:
        page = list(contacts.filter(pk__gt=last)[:1000])
        if not page:
            return
        for contact in page:
            yield _person(contact)
        last = page[-1].pk


def _person(contact: Contact) -> dict[str, Any]:
    return {
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "company": contact.company,
        "emails": [e.email for e in contact.emails.all()],
        "phones": [p.raw for p in contact.phones.all()],
        "addresses": [
            {f: getattr(a, f) for f in ("line1", "line2", "city", "region", "postcode", "country")}
            for a in contact.addresses.all()
        ],
        "tags": [t.name for t in contact.tags.all()],
        "notes": contact.notes,
        "source": contact.source,
    }


def _row(person: dict[str, Any]) -> list[str]:
    def padded(items: list[str]) -> list[str]:
        return (items + [""] * PER_KIND)[:PER_KIND]

    address = (person["addresses"] or [{}])[0]
    return [
        person["first_name"], person["last_name"], person["company"],
        *padded(person["emails"]), *padded(person["phones"]),
        address.get("line1", ""), address.get("line2", ""), address.get("city", ""),
        address.get("region", ""), address.get("postcode", ""), address.get("country", ""),
        ", ".join(person["tags"]), person["notes"], person["source"],
    ]  # fmt: skip


def export_contacts(studio: Studio, file_format: str) -> bytes:
    """The studio's contacts as a file; ValueError for an unknown format."""
    if file_format == "csv":
        rows = [COLUMNS, *(_row(p) for p in people(studio))]
        return ("\ufeff" + csv_text(rows)).encode("utf-8")  # BOM: Excel reads UTF-8
    if file_format == "xlsx":
        return _xlsx(studio)
    if file_format == "vcf":
        return write_vcards(people(studio)).encode("utf-8")
    raise ValueError(f"“{file_format}” is not csv, xlsx or vcf.")


def _xlsx(studio: Studio) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheet = book.add_worksheet("Contacts")
    sheet.write_row(0, 0, COLUMNS)
    for number, person in enumerate(people(studio), start=1):
        for column, value in enumerate(_row(person)):
            sheet.write_string(number, column, value)
    book.close()
    return buffer.getvalue()
