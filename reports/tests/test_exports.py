"""CSV and XLSX downloads: the page's rows, amounts as numbers beside their currency."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest

from reports.exports import csv_bytes, filename, xlsx_bytes
from reports.selectors import ReportFilters
from reports.tables import TABLES, client_value_table

pytestmark = pytest.mark.django_db


def parse_csv(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))


def test_client_value_csv_amounts_in_each_currencys_decimals(studio, sales_book):
    table = client_value_table(studio, ReportFilters())
    rows = parse_csv(csv_bytes(table))
    picked = {(r["Currency"], r["Client"]): r for r in rows}
    assert [(r["Currency"], r["Client"]) for r in rows][:3] == [
        ("BHD", "Omar Tester"), ("GBP", "Ada Tester"), ("GBP", "Grace Tester"),
    ]  # fmt: skip
    omar = picked[("BHD", "Omar Tester")]
    assert (omar["Gross"], omar["Refunds"], omar["Net"]) == ("24.690", "1.005", "23.685")
    ada = picked[("GBP", "Ada Tester")]
    assert (ada["Sales"], ada["Gross"], ada["Net"], ada["Average order"]) == (
        "2", "360.00", "310.00", "180.00",
    )  # fmt: skip
    assert (ada["First purchase"], ada["Gallery share (%)"]) == ("2026-01-10", "72.2")
    yen = picked[("JPY", "Ada Tester")]
    assert (yen["Gross"], yen["Gallery share (%)"]) == ("12345", "100.0")
    assert ada["Contact ID"] == str(sales_book["Ada"].pk)


def test_xlsx_has_the_same_rows_with_numbers(studio, sales_book):
    table = client_value_table(studio, ReportFilters(currency="GBP"))
    content = xlsx_bytes(table)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
        shared = archive.read("xl/sharedStrings.xml").decode()
    assert "Ada Tester" in shared and "Net" in shared
    # Amounts are numeric cells (no t="s"): 310.00 net is stored as the number 310.
    assert "<v>310</v>" in sheet and "<v>360</v>" in sheet
    assert sheet.count("<row ") == 1 + len(table.rows) == 6


def test_every_report_exports(studio, sales_book):
    for key, build in TABLES.items():
        table = build(studio, ReportFilters())
        assert table.key == key
        header = csv_bytes(table).decode().splitlines()[0].split(",")
        assert header == [column.header for column in table.columns]
        assert all(len(row) == len(table.columns) for row in table.rows)
        assert xlsx_bytes(table)[:2] == b"PK"


def test_sales_by_month_rows_per_source_and_total(studio, sales_book):
    filters = ReportFilters(dt.date(2026, 3, 1), dt.date(2026, 3, 31), "GBP")
    rows = TABLES["sales-by-month"](studio, filters).rows
    assert rows == [
        ["GBP", "2026-03", "Pic-Time", 1, Decimal("260.00"), Decimal("50.00"), Decimal("210.00")],
        [
            "GBP",
            "2026-03",
            "All sources",
            1,
            Decimal("260.00"),
            Decimal("50.00"),
            Decimal("210.00"),
        ],
    ]


def test_filename_names_report_range_and_currency(studio):
    table = client_value_table(studio, ReportFilters())
    name = filename(
        table, ReportFilters(dt.date(2026, 1, 1), None, "EUR"), dt.date(2026, 6, 15), "csv"
    )
    assert name == "cyan-client-value-2026-01-01-to-2026-06-15-EUR.csv"
    assert filename(table, ReportFilters(), dt.date(2026, 6, 15), "xlsx").endswith(
        "-start-to-2026-06-15-all.xlsx"
    )


def test_csv_download_neutralises_formulas_and_keeps_numbers():
    from core.csvsafe import FORMULA_PREFIXES
    from reports.tables import Column, Table

    names = ["=1+1", "+1+1", "-2+3", "@SUM(1,1)", '=HYPERLINK("http://evil.example/","x")']
    table = Table(
        key="t",
        title="T",
        columns=[Column("Client"), Column("Net", "money")],
        rows=[[name, Decimal("-12.50")] for name in names],
    )
    rows = parse_csv(csv_bytes(table))
    assert [row["Client"] for row in rows] == ["'" + name for name in names]
    assert not any(row["Client"].startswith(FORMULA_PREFIXES) for row in rows)
    assert {row["Net"] for row in rows} == {"-12.50"}
