"""Amounts as exports write them ("1,234.50", "€1.234,50", "1 234,50", "-12.5")."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_NOT_NUMBER = re.compile(r"[^\d.,\-]")


class AmountProblem(ValueError):
    pass


def parse_amount(raw: str) -> Decimal:
    """The amount as a Decimal; AmountProblem when it is not one."""
    text = _NOT_NUMBER.sub("", (raw or "").replace("\u2212", "-"))
    if not text or not any(ch.isdigit() for ch in text):
        raise AmountProblem(f"“{raw}” is not an amount.")
    comma, dot = text.rfind(","), text.rfind(".")
    if comma > -1 and dot > -1:
        # The later mark is the decimal one: 1,234.50 / 1.234,50.
        thousands = "," if dot > comma else "."
        text = text.replace(thousands, "")
        text = text.replace(",", ".")
    elif comma > -1:
        # 12,50 is decimal; 1,234 (three digits after, once or more) is thousands.
        groups = text.split(",")
        if len(groups) > 2 or len(groups[-1]) == 3:
            text = text.replace(",", "")
        else:
            text = text.replace(",", ".")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise AmountProblem(f"“{raw}” is not an amount.") from None
