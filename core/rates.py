"""Rates written as `N/period` ("600/min"): how settings such as CYAN_API_RATE_LIMIT
say "at most N per fixed window". Pure Python, so settings.py can check a rate while it
loads and refuse a bad one before any process starts serving."""

from __future__ import annotations

PERIODS = {
    "s": 1, "sec": 1, "second": 1,
    "m": 60, "min": 60, "minute": 60,
    "h": 3600, "hour": 3600,
    "d": 86400, "day": 86400,
}  # fmt: skip


class InvalidRate(ValueError):
    pass


def parse_rate(rate: str, *, name: str = "rate") -> tuple[int, int]:
    """`"600/min"` → (600, 60): at most 600 per 60-second window."""
    count, slash, period = str(rate).strip().partition("/")
    count, period = count.strip(), period.strip().lower()
    if not slash or not count.isdigit() or int(count) < 1 or period not in PERIODS:
        raise InvalidRate(
            f"{name}={rate!r} is not a rate: write N/sec, N/min, N/hour or N/day with N a "
            "whole number of at least 1, e.g. 600/min."
        )
    return int(count), PERIODS[period]
