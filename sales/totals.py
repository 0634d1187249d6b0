"""The arithmetic of a sale's totals: pure functions, no database (formula: sales.services)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol


class LineAmounts(Protocol):
    quantity: int
    unit_price_minor: int
    discount_minor: int
    tax_minor: int


@dataclass(frozen=True)
class Totals:
    subtotal_minor: int
    tax_minor: int
    total_minor: int


def line_gross(line: LineAmounts) -> int:
    """quantity × unit price − discount: the line's part of the subtotal."""
    return line.quantity * line.unit_price_minor - line.discount_minor


def line_total(line: LineAmounts, *, prices_include_tax: bool) -> int:
    gross = line_gross(line)
    return gross if prices_include_tax else gross + line.tax_minor


def compute_totals(
    lines: Iterable[LineAmounts],
    *,
    prices_include_tax: bool,
    shipping_minor: int,
    order_discount_minor: int,
) -> Totals:
    lines = list(lines)
    subtotal = sum(line_gross(line) for line in lines)
    tax = sum(line.tax_minor for line in lines)
    added_tax = 0 if prices_include_tax else tax
    total = subtotal + added_tax + shipping_minor - order_discount_minor
    return Totals(subtotal_minor=subtotal, tax_minor=tax, total_minor=total)
