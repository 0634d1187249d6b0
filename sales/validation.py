"""Checks of sale input for sales.services: each returns problems, none writes anything.

Errors are collected as {field: [ValidationError, ...]} so a caller sees every problem at
once. Problems with one line (or payment, refund) of a sale go under "lines" ("payments",
"refunds") with params {"line": n (1-based), "index": i, "field": name or None,
"text": the problem without the "Line n:" prefix}, which lets a form put each at its row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

from core.dates import date_problem as range_problem
from core.money import MoneyError, format_money, normalize_currency
from core.numbers import MAX_AMOUNT_MINOR, MAX_QUANTITY
from sales.models import Sale, SaleLine
from sales.totals import compute_totals

Errors = dict[str, list[ValidationError]]

AMOUNT_LABELS = {
    "unit_price_minor": "unit price",
    "discount_minor": "discount",
    "tax_minor": "tax",
    "amount_minor": "amount",
    "order_discount_minor": "order discount",
    "shipping_minor": "shipping",
    "platform_fee_minor": "platform fee",
    "lab_cost_minor": "lab cost",
}
ITEM_PREFIX = {"lines": "Line", "payments": "Payment", "refunds": "Refund"}

# Sale fields validated here (or by the database) rather than by Model.clean_fields().
SALE_FIELDS_CHECKED_ELSEWHERE = [
    "id",
    "studio",
    "contact",
    "shoot",
    "sale_date",
    "currency",
    "order_discount_minor",
    "shipping_minor",
    "platform_fee_minor",
    "lab_cost_minor",
    "subtotal_minor",
    "tax_minor",
    "total_minor",
    "paid_minor",
    "refunded_minor",
    "cancelled_at",
    "created_at",
    "updated_at",
]
LINE_TEXT_FIELDS = ("description", "product_kind", "options", "external_ref")


def add_error(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(ValidationError(message, code="invalid"))


def add_item_error(errors: Errors, group: str, index: int, field: str | None, text: str) -> None:
    """One problem of item `index` of `group` ("lines", "payments", "refunds")."""
    errors.setdefault(group, []).append(
        ValidationError(
            f"{ITEM_PREFIX[group]} %(line)s: %(text)s",
            code="invalid",
            params={"line": index + 1, "index": index, "field": field, "text": text},
        )
    )


def is_whole_number(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def amount_problem(value: Any, field: str, *, positive: bool = False) -> str | None:
    """Why `value` is not a usable amount in minor units, or None when it is."""
    label = AMOUNT_LABELS.get(field, field)
    if not is_whole_number(value):
        return f"The {label} must be a whole number of minor units."
    if positive and value <= 0:
        return f"The {label} must be more than zero."
    if value < 0:
        return f"The {label} cannot be negative."
    if value > MAX_AMOUNT_MINOR:
        return f"The {label} is too large."
    return None


def parse_date(value: Any) -> dt.date | None:
    """A date, from a date or an ISO 'YYYY-MM-DD' string; None when it is neither."""
    if isinstance(value, dt.datetime):
        return None  # a date and time is ambiguous about the day: the caller decides the zone
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def date_problem(value: Any) -> str | None:
    if isinstance(value, dt.datetime):
        return "Give a date without a time of day (YYYY-MM-DD)."
    day = parse_date(value)
    if day is None:
        return f"{value!r} is not a date: give one as YYYY-MM-DD."
    return range_problem(day)


def sale_field_errors(sale: Sale) -> Errors:
    """Problems with the sale's own fields (not its lines, payments or refunds)."""
    errors: Errors = {}
    try:
        sale.clean_fields(exclude=SALE_FIELDS_CHECKED_ELSEWHERE)
    except ValidationError as exc:
        for field, problems in exc.error_dict.items():
            errors.setdefault(field, []).extend(problems)
    try:
        sale.currency = normalize_currency(sale.currency)
    except MoneyError as exc:
        add_error(errors, "currency", str(exc))
    if date_problem(sale.sale_date):
        add_error(errors, "sale_date", date_problem(sale.sale_date))
    else:
        sale.sale_date = parse_date(sale.sale_date)
    _check_owner(errors, sale)
    for field in ("order_discount_minor", "shipping_minor"):
        problem = amount_problem(getattr(sale, field), field)
        if problem:
            add_error(errors, field, problem)
    for field in ("platform_fee_minor", "lab_cost_minor"):
        value = getattr(sale, field)
        problem = None if value is None else amount_problem(value, field)
        if problem:
            add_error(errors, field, problem)
    return errors


def _check_owner(errors: Errors, sale: Sale) -> None:
    """The contact (required) and the shoot (optional) must be the sale's studio's."""
    contact = sale.contact if sale.contact_id else None
    if contact is None:
        add_error(errors, "contact", "Choose the contact who bought this.")
    elif contact.studio_id != sale.studio_id:
        add_error(errors, "contact", "This contact is not one of your studio's contacts.")
    shoot = sale.shoot if sale.shoot_id else None
    if shoot is not None and shoot.studio_id != sale.studio_id:
        add_error(errors, "shoot", "This shoot is not one of your studio's shoots.")


def line_errors(lines: Iterable[Any], *, prices_include_tax: bool) -> Errors:
    """Problems with the lines (LineInput), each reported under "lines" with its index."""
    errors: Errors = {}
    lines = list(lines)
    if not lines:
        add_error(errors, "lines", "A sale needs at least one line.")
    for index, line in enumerate(lines):
        for field, text in _one_line_problems(line, prices_include_tax):
            add_item_error(errors, "lines", index, field, text)
    return errors


def _one_line_problems(line: Any, prices_include_tax: bool) -> list[tuple[str | None, str]]:
    problems = _line_text_problems(line)
    quantity = line.quantity
    if not is_whole_number(quantity):
        problems.append(("quantity", "The quantity must be a whole number."))
    elif quantity < 1:
        problems.append(("quantity", "The quantity must be at least 1."))
    elif quantity > MAX_QUANTITY:
        problems.append(("quantity", f"The quantity cannot be more than {MAX_QUANTITY:,}."))
    amounts_ok = True
    for field in ("unit_price_minor", "discount_minor", "tax_minor"):
        problem = amount_problem(getattr(line, field), field)
        if problem:
            amounts_ok = False
            problems.append((field, problem))
    if problems or not amounts_ok:
        return problems
    gross = quantity * line.unit_price_minor
    if gross > MAX_AMOUNT_MINOR:
        problems.append(("quantity", "Quantity × unit price is too large."))
    elif line.discount_minor > gross:
        problems.append(("discount_minor", "The discount is larger than quantity × unit price."))
    elif prices_include_tax and line.tax_minor > gross - line.discount_minor:
        problems.append(
            ("tax_minor", "The included tax is larger than the line's price after discount.")
        )
    return problems


def _line_text_problems(line: Any) -> list[tuple[str | None, str]]:
    problems: list[tuple[str | None, str]] = []
    if not isinstance(line.options, dict):
        problems.append(("options", "The options must be a mapping of name to value."))
    model = SaleLine(
        description=(line.description or "").strip(),
        product_kind=line.product_kind,
        options=line.options if isinstance(line.options, dict) else {},
        external_ref=line.external_ref or "",
    )
    exclude = [f.name for f in SaleLine._meta.fields if f.name not in LINE_TEXT_FIELDS]
    try:
        model.clean_fields(exclude=exclude)
    except ValidationError as exc:
        for field, field_errors in exc.error_dict.items():
            label = SaleLine._meta.get_field(field).verbose_name
            for message in ValidationError(field_errors).messages:
                problems.append((field, f"{label.capitalize()}: {message}"))
    return problems


def payment_errors(payments: Iterable[Any]) -> Errors:
    errors: Errors = {}
    for index, payment in enumerate(payments):
        problem = amount_problem(payment.amount_minor, "amount_minor", positive=True)
        if problem:
            add_item_error(errors, "payments", index, "amount_minor", problem)
        if date_problem(payment.paid_on):
            add_item_error(errors, "payments", index, "paid_on", date_problem(payment.paid_on))
    return errors


def refund_errors(refunds: Iterable[Any]) -> Errors:
    errors: Errors = {}
    for index, refund in enumerate(refunds):
        problem = amount_problem(refund.amount_minor, "amount_minor", positive=True)
        if problem:
            add_item_error(errors, "refunds", index, "amount_minor", problem)
        if date_problem(refund.refunded_on):
            add_item_error(
                errors, "refunds", index, "refunded_on", date_problem(refund.refunded_on)
            )
    return errors


def refund_cap(*, total_minor: int, paid_minor: int) -> int:
    """The most that may be refunded in all (see the rules in sales.services)."""
    return min(paid_minor, total_minor) if paid_minor > 0 else total_minor


def merge(*many: Errors) -> Errors:
    merged: Errors = {}
    for errors in many:
        for field, problems in errors.items():
            merged.setdefault(field, []).extend(problems)
    return merged


def total_errors(sale: Sale, lines: list[Any], *, paid_minor: int, refunded_minor: int) -> Errors:
    """Checks that need the totals: a total below zero, refunds above what may be refunded."""
    errors: Errors = {}
    totals = compute_totals(
        lines,
        prices_include_tax=bool(sale.prices_include_tax),
        shipping_minor=sale.shipping_minor,
        order_discount_minor=sale.order_discount_minor,
    )
    total = totals.total_minor
    if total < 0:
        add_error(
            errors,
            "order_discount_minor",
            "The order discount is larger than the lines, tax and shipping together.",
        )
    elif total > MAX_AMOUNT_MINOR:
        add_error(errors, "lines", "The sale's total is too large.")
    elif refunded_minor > refund_cap(total_minor=total, paid_minor=paid_minor):
        if sale.pk is None:
            message = "The refunds are more than was paid (or than the total, if nothing was)."
            add_error(errors, "refunds", message)
        else:
            message = (
                f"The new total, {format_money(total, sale.currency)}, is less than what was "
                f"already refunded, {format_money(refunded_minor, sale.currency)}."
            )
            add_error(errors, NON_FIELD_ERRORS, message)
    return errors


def currency_change_errors(sale: Sale, stored: Sale, *, lines_given: bool) -> Errors:
    """Amounts are minor units of the old currency: a new one needs the lines re-entered,
    and money already moved (payments, refunds) pins the currency."""
    errors: Errors = {}
    if sale.currency == stored.currency:
        return errors
    if stored.paid_minor or stored.refunded_minor:
        add_error(errors, "currency", "A sale with payments or refunds keeps its currency.")
    elif not lines_given:
        add_error(errors, "currency", "Re-enter the lines' amounts in the new currency.")
    return errors


def row_text_errors(row: models.Model, fields: set[str]) -> Errors:
    """Length limits of a payment's or refund's text fields."""
    exclude = [f.name for f in type(row)._meta.fields if f.name not in fields]
    try:
        row.clean_fields(exclude=exclude)
    except ValidationError as exc:
        return dict(exc.error_dict)
    return {}


def unprefixed(errors: Errors, group: str) -> Errors:
    """The item errors of a single payment or refund, keyed by their own field."""
    flat: Errors = {}
    for error in errors.get(group, []):
        add_error(flat, error.params["field"], error.params["text"])
    return flat


def refund_cap_message(sale: Sale, cap: int) -> str:
    left = max(cap - sale.refunded_minor, 0)
    basis = "what was paid" if sale.paid_minor > 0 else "the sale's total"
    return (
        f"At most {format_money(left, sale.currency)} more can be refunded "
        f"(refunds may not exceed {basis}, {format_money(cap, sale.currency)})."
    )
