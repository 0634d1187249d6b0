"""Reading an uploaded file into a table: headers and rows of text, each with its line.

CSV (any of the encodings and separators real exports use), XLSX (the first sheet,
openpyxl in read-only mode) and vCard 3.0/4.0 (vobject; many cards per file, each card
one row under fixed column names). A file that cannot be read raises UnreadableFile
with a message for the studio; nothing is written before a file has been read whole.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePath

import charset_normalizer

MAX_BYTES = 25 * 1024 * 1024
MAX_ROWS = 200_000
FORMATS = ("csv", "xlsx", "vcf")
# Excel's "Unicode text" is UTF-16 with a BOM and tabs; other exports are UTF-8 (with or
# without a BOM) or Windows-1252. Detection runs only when no BOM says which.
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SEPARATORS = ",;\t|"


class UnreadableFile(ValueError):
    """The file is not one Cyan can read; the message says why, for the studio."""


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (line, cells)
    file_format: str = "csv"


def file_format(file_name: str, data: bytes) -> str:
    suffix = PurePath(file_name or "").suffix.lower().lstrip(".")
    if suffix in ("vcf", "vcard"):
        return "vcf"
    if suffix == "xlsx" or data[:4] == b"PK\x03\x04":
        return "xlsx"
    if suffix in ("xls", "numbers", "ods"):
        raise UnreadableFile(
            f"“{file_name}” is a .{suffix} file: save it as CSV or XLSX (Excel 2007 or later) "
            "and upload that."
        )
    head = decode(data[:4096]) if data else ""
    return "vcf" if head.lstrip().upper().startswith("BEGIN:VCARD") else "csv"


def read_table(data: bytes, file_name: str) -> Table:
    """The file's table, or UnreadableFile."""
    if not data:
        raise UnreadableFile("The file is empty.")
    if len(data) > MAX_BYTES:
        raise UnreadableFile(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB: split it.")
    kind = file_format(file_name, data)
    reader = {"csv": _read_csv, "xlsx": _read_xlsx, "vcf": _read_vcard}[kind]
    table = reader(data)
    table.file_format = kind
    if not table.headers or not any(h.strip() for h in table.headers):
        raise UnreadableFile("The file has no header row: its first row must name the columns.")
    if not table.rows:
        raise UnreadableFile("The file has a header row but no data rows.")
    if len(table.rows) > MAX_ROWS:
        raise UnreadableFile(f"The file has more than {MAX_ROWS:,} rows: split it.")
    return table


def decode(data: bytes) -> str:
    """Text of a CSV/vCard file: by its BOM, else UTF-8, else the detected encoding."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode_as(data, encoding)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data[:200_000]).best()
    # Detection on short Western text often says Latin-1 or a Cyrillic/Greek code page;
    # exports from Windows tools are Windows-1252, a superset of Latin-1's letters.
    encoding = best.encoding if best is not None else "cp1252"
    if encoding.replace("_", "").lower() in {"latin1", "iso88591", "cp1250", "cp1251", "cp1253"}:
        encoding = "cp1252"
    return _decode_as(data, encoding)


def _decode_as(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise UnreadableFile(
            "The file's characters could not be read "
            "(it is not UTF-8, UTF-16 or Windows-1252 text)."
        ) from None


def _read_csv(data: bytes) -> Table:
    text = decode(data)
    if "\x00" in text:
        raise UnreadableFile("The file holds binary data, not text: is it really a CSV file?")
    try:
        dialect = csv.Sniffer().sniff(text[:65536], delimiters=_SEPARATORS)
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = _likeliest_separator(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, doublequote=True)
    rows: list[tuple[int, list[str]]] = []
    headers: list[str] | None = None
    start = 1
    try:
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            if headers is None:
                headers = [c.strip().lstrip("\ufeff") for c in cells]
                continue
            rows.append((line, cells))
    except csv.Error as exc:
        raise UnreadableFile(f"Line {reader.line_num}: the CSV is malformed ({exc}).") from None
    return Table(headers or [], rows)


def _likeliest_separator(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    return max(_SEPARATORS, key=first_line.count)


def _read_xlsx(data: bytes) -> Table:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # zipfile/XML errors of a damaged or foreign file
        raise UnreadableFile(f"The XLSX file could not be opened ({type(exc).__name__}).") from None
    try:
        sheet = book.worksheets[0]
        rows: list[tuple[int, list[str]]] = []
        headers: list[str] | None = None
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell_text(v) for v in values]
            if not any(c.strip() for c in cells):
                continue
            if headers is None:
                headers = [c.strip() for c in cells]
            else:
                rows.append((number, cells))
    finally:
        book.close()
    return Table(headers or [], rows)


def _cell_text(value: object) -> str:
    """A spreadsheet cell as the text a CSV of it would hold (dates as ISO 8601)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(Decimal(repr(value)))
    return str(value)


def _read_vcard(data: bytes) -> Table:
    from transfers.vcard import read_vcards  # vcard imports this module's decode()

    return read_vcards(data)
