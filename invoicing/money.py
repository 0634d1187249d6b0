"""The money helpers invoicing uses, from one place (cyan.money moves to core.money:
this is the one import to change)."""

from cyan.money import MoneyError, currency_exponent, format_money, from_minor, to_minor

__all__ = ["MoneyError", "currency_exponent", "format_money", "from_minor", "to_minor"]
