"""The money helpers transfers uses, through one module.

cyan/money.py is moving to core/money.py; this is the one import to change when it does.
"""

from __future__ import annotations

from cyan.money import MoneyError, from_minor, normalize_currency, to_minor

__all__ = ["MoneyError", "from_minor", "normalize_currency", "to_minor"]
