"""Contacts' tests: sales default to 123.45 GBP on 2026-03-14 (the kit's `make_sale`)."""

from __future__ import annotations

import datetime as dt

import pytest


@pytest.fixture
def sale_defaults():
    return {"sale_date": dt.date(2026, 3, 14), "currency": "GBP", "total_minor": 12_345}
