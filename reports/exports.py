"""CSV and XLSX downloads of a report table: the page's rows, amounts as numbers in
major units with their currency column (XLSX cells formatted to the currency's decimals).
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import xlsxwriter
from django.http import HttpResponse

from core.csvsafe import csv_text
from reports.selectors import ReportFilters
from reports.tables import Table

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def filename(table: Table, filters: ReportFilters, today: dt.date, extension: str) -> str:
    """e.g. cyan-client-value-2026-01-01-to-2026-06-30-EUR.csv"""
    start = filters.date_from.isoformat() if filters.date_from else "start"
    end = (filters.date_to or today).isoformat()
    return f"cyan-{table.key}-{start}-to-{end}-{filters.currency or 'all'}.{extension}"


def _attachment(response: HttpResponse, name: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def csv_bytes(table: Table) -> bytes:
    """Decimal keeps its exact digits (1234.50, 1235, 1.235); text that would start a
    spreadsheet formula is neutralised by Cyan's one CSV writer."""
    header = [column.header for column in table.columns]
    return csv_text([header, *table.rows]).encode("utf-8")


def csv_response(table: Table, name: str) -> HttpResponse:
    return _attachment(HttpResponse(csv_bytes(table), content_type=CSV_TYPE), name)


def xlsx_bytes(table: Table) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet(table.title[:31])
    header = workbook.add_format({"bold": True, "bottom": 1})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    percent_format = workbook.add_format({"num_format": "0.0"})
    money_formats: dict[int, object] = {}

    def money_format(value: Decimal):
        decimals = max(-value.as_tuple().exponent, 0)
        if decimals not in money_formats:
            pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
            money_formats[decimals] = workbook.add_format({"num_format": pattern})
        return money_formats[decimals]

    for col, column in enumerate(table.columns):
        sheet.write_string(0, col, column.header, header)
        sheet.set_column(col, col, max(len(column.header) + 2, 12))
    for row_index, row in enumerate(table.rows, start=1):
        for col, (column, value) in enumerate(zip(table.columns, row, strict=True)):
            _write_cell(sheet, row_index, col, column.kind, value, date_format,
                        percent_format, money_format)  # fmt: skip
    sheet.freeze_panes(1, 0)
    if table.rows:
        sheet.autofilter(0, 0, len(table.rows), len(table.columns) - 1)
    workbook.close()
    return buffer.getvalue()


def _write_cell(sheet, row, col, kind, value, date_format, percent_format, money_format):
    if value is None:
        sheet.write_blank(row, col, None)
    elif kind == "money":
        sheet.write_number(row, col, float(value), money_format(value))
    elif kind == "percent":
        sheet.write_number(row, col, float(value), percent_format)
    elif kind == "int":
        sheet.write_number(row, col, int(value))
    elif kind == "date":
        sheet.write_datetime(row, col, dt.datetime.combine(value, dt.time()), date_format)
    else:
        sheet.write_string(row, col, str(value))


def xlsx_response(table: Table, name: str) -> HttpResponse:
    return _attachment(HttpResponse(xlsx_bytes(table), content_type=XLSX_TYPE), name)
