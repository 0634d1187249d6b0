"""Each format and encoding real exports have, written by the tests: UTF-8 with and
without BOM, UTF-16 (Excel "Unicode text", tabs), Windows-1252, `;` separators, quoted
newlines, XLSX, vCard 3.0 and 4.0 with many cards."""

from __future__ import annotations

import io

import pytest

from contacts.models import Contact
from transfers.reading import UnreadableFile, read_table

ROWS = [
    ["First Name", "Last Name", "Email", "Notes"],
    ["Zoë", "Müller-Łukasz", "zoe@example.com", "Line one\nLine two"],
]


def _csv(separator: str) -> str:
    lines = []
    for row in ROWS:
        lines.append(separator.join(f'"{cell}"' for cell in row))
    return "\r\n".join(lines) + "\r\n"


@pytest.mark.parametrize(
    ("encoded", "label"),
    [
        (_csv(",").encode("utf-8"), "utf-8"),
        (_csv(",").encode("utf-8-sig"), "utf-8 with BOM"),
        (_csv("\t").encode("utf-16"), "utf-16 with BOM, tabs"),
        (_csv(";").encode("utf-8"), "semicolons"),
    ],
)
def test_csv_encodings_and_separators(encoded, label):
    table = read_table(encoded, "contacts.csv")
    assert table.headers == ROWS[0], label
    assert table.rows == [(2, ROWS[1])], label


def test_windows_1252_is_detected():
    text = (
        "First Name;Last Name;Notes\r\nRenée;Dvořák;café crème – “quoted”\r\nJosé;Núñez;Señor\r\n"
    )
    text = text.replace("ř", "r")  # not in Windows-1252
    table = read_table(text.encode("cp1252"), "contacts.csv")
    assert table.rows[0][1] == ["Renée", "Dvorák", "café crème – “quoted”"]
    assert table.rows[1] == (3, ["José", "Núñez", "Señor"])


def test_a_quoted_newline_keeps_its_row_and_the_next_row_its_line_number():
    data = b'Name,Notes\nAda Lovelace,"two\nlines"\nGrace Hopper,x\n'
    table = read_table(data, "c.csv")
    assert table.rows == [(2, ["Ada Lovelace", "two\nlines"]), (4, ["Grace Hopper", "x"])]


def test_xlsx_first_sheet_with_dates_and_numbers():
    import datetime as dt

    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["Name", "Date", "Amount", "Zip"])
    sheet.write_string(1, 0, "Ada Lovelace")
    sheet.write_datetime(
        1, 1, dt.datetime(2026, 3, 14), book.add_format({"num_format": "dd/mm/yyyy"})
    )
    sheet.write_number(1, 2, 12.5)
    sheet.write_number(1, 3, 10001)
    book.close()
    table = read_table(buffer.getvalue(), "export.xlsx")
    assert table.file_format == "xlsx"
    assert table.rows == [(2, ["Ada Lovelace", "2026-03-14", "12.5", "10001"])]


VCARDS = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Smith;Jane;;;\r\nFN:Jane Smith\r\n"
    "EMAIL;TYPE=INTERNET:jane@example.com\r\nEMAIL;TYPE=WORK:jane@work.example\r\n"
    "TEL;TYPE=CELL:07700 900123\r\nADR;TYPE=HOME:;;1 High St;Bath;;BA1 1AA;GB\r\n"
    "CATEGORIES:wedding,vip\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Björn Ek\r\nN:Ek;Björn;;;\r\n"
    "TEL;VALUE=uri;TYPE=cell:tel:+46-70-123-45-67\r\nORG:Ek Foto\r\nEND:VCARD\r\n"
)


def test_vcards_many_per_file_import_as_contacts(studio, do_import):
    batch = do_import(VCARDS.encode(), name="contacts.vcf")
    assert batch.file_format == "vcf"
    assert batch.counts == {"new": 2}
    jane = Contact.objects.get(studio=studio, first_name="Jane")
    assert sorted(jane.emails.values_list("email", flat=True)) == [
        "jane@example.com",
        "jane@work.example",
    ]
    assert list(jane.phones.values_list("e164", flat=True)) == ["+447700900123"]
    assert jane.addresses.get().postcode == "BA1 1AA"
    assert sorted(jane.tags.values_list("name", flat=True)) == ["vip", "wedding"]
    bjorn = Contact.objects.get(studio=studio, last_name="Ek")
    assert bjorn.company == "Ek Foto"
    assert list(bjorn.phones.values_list("e164", flat=True)) == ["+46701234567"]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "c.csv", "empty"),
        (b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Smith;Jane\r\n", "c.vcf", "could not be read"),
        (b"\x00\x01\x02binary\x00", "c.csv", "binary"),
        (b"x", "old.xls", "save it as CSV or XLSX"),
    ],
)
def test_unreadable_files_say_why(data, name, message):
    with pytest.raises(UnreadableFile, match=message):
        read_table(data, name)
