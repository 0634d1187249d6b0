"""Rows for tests, made through the services exactly as the app makes them: sensible
defaults, keyword overrides. A test that needs a raw row (a state the services refuse to
create) writes it itself, with a comment saying why."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from contacts.models import Contact
from contacts.services import create_contact
from sales.models import Sale
from sales.services import LineInput, RefundInput, create_sale
from shoots.models import Shoot
from shoots.services import create_shoot

SALE_DATE = dt.date(2026, 5, 2)


def at(year: int, month: int, day: int, hour: int = 12, minute: int = 0, tz: str = "UTC"):
    """An aware datetime, on the clocks of `tz`."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(tz))


def line(kind: str = "print", price: int = 1000, quantity: int = 1, **overrides) -> LineInput:
    """A valid sale line: `line()` is one 10.00 print; `line("album", 25000)` an album;
    keyword overrides are LineInput's own fields."""
    values = {
        "description": kind.replace("_", " ").title(),
        "product_kind": kind,
        "quantity": quantity,
        "unit_price_minor": price,
    }
    return LineInput(**(values | overrides))


def make_contact(
    studio, first_name: str = "Ada", last_name: str = "Lovelace", **details
) -> Contact:
    """A contact made by contacts.services.create_contact (emails, phones, … as keywords)."""
    return create_contact(studio=studio, first_name=first_name, last_name=last_name, **details)


def make_shoot(
    studio,
    contact: Contact | None = None,
    title: str = "Portrait session",
    starts_at: dt.datetime | None = None,
    status: str = Shoot.Status.CONFIRMED,
    *,
    shoot_type: str = Shoot.Type.PORTRAIT,
    role: str = "client",
    contacts: Sequence[tuple[Contact, str]] | None = None,
    **fields: Any,
) -> Shoot:
    """A shoot made by shoots.services.create_shoot, with `contact` as its `role` (or the
    explicit `contacts` links)."""
    links = contacts if contacts is not None else ([(contact, role)] if contact else [])
    return create_shoot(
        studio=studio,
        title=title,
        shoot_type=shoot_type,
        starts_at=starts_at or at(2026, 6, 1),
        status=status,
        contacts=links,
        **fields,
    )


def make_sale(
    studio,
    contact: Contact,
    sale_date: dt.date = SALE_DATE,
    currency: str = "GBP",
    lines: Sequence[LineInput] | None = None,
    *,
    total_minor: int | None = None,
    refund: int | None = None,
    **fields: Any,
) -> Sale:
    """A sale made by sales.services.create_sale. `total_minor` makes it one line of that
    price; `refund` adds one refund of that amount on the sale date."""
    if lines is None:
        lines = [line(price=total_minor)] if total_minor is not None else [line()]
    if refund:
        fields["refunds"] = [RefundInput(amount_minor=refund, refunded_on=sale_date)]
    return create_sale(
        studio=studio,
        contact=contact,
        sale_date=sale_date,
        currency=currency,
        lines=lines,
        **fields,
    )


def receive(studio, n: int = 1, change: Callable[[dict], None] | None = None, **order_fields: Any):
    """The Inbox item of Pic-Time order `ord_000n` (order_json's fields as keywords, the
    JSON then altered by `change`), received through the Inbox's one way in
    (inbox.intake.take_in_normalized) as a webhook delivery."""
    from galleries.providers.pictime.orders import map_order
    from inbox.intake import take_in_normalized
    from testkit.payloads import order_json

    payload = order_json(order_id=f"ord_{n:04d}", **order_fields)
    if change:
        change(payload)
    return take_in_normalized(
        studio=studio,
        order=map_order(payload),
        raw_payload=json.dumps(payload),
        channel="webhook",
        delivery_key=f"msg_{n}_{order_fields.get('updated_at', '')}",
    ).item
