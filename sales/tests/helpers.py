from __future__ import annotations

from sales.services import LineInput


def line(**overrides) -> LineInput:
    """A valid line ($10.00 print unless overridden)."""
    values = {
        "description": "8x10 print",
        "product_kind": "print",
        "quantity": 1,
        "unit_price_minor": 1000,
    }
    return LineInput(**(values | overrides))
