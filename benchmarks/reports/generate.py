"""Deterministic rows for the reports benchmark, written once as CSV files that every
engine (PostgreSQL COPY, SQLite executemany, DuckDB read_csv) loads, so all three
aggregate exactly the same rows.

Every concrete column of the Django models is written (the models have Python-side
defaults only, so the database has none to fill in). NULL is an unquoted empty field,
text is always quoted (csv.QUOTE_NOTNULL), booleans are 0/1, datetimes naive UTC.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path

from django.db import models

from contacts.models import Contact
from sales.models import Sale
from shoots.models import Shoot, ShootContact

START = dt.date(2021, 1, 1)
DAYS = 5 * 365 + 180  # mid-2026
NOW = "2026-06-30 12:00:00"
CURRENCIES = [("USD", 90), ("EUR", 8), ("JPY", 2)]
SOURCES = [("manual", 40), ("pictime", 35), ("shootproof", 15), ("api", 10)]
SHOOT_TYPES = ["wedding", "portrait", "family", "newborn", "event", "commercial", "other"]
SHOOT_STATUSES = [("completed", 70), ("confirmed", 15), ("enquiry", 10), ("cancelled", 5)]
FIRST = ["Ada", "Grace", "Alan", "Mia", "Noah", "Olivia", "Liam", "Ava", "Kenji", "Priya"]
LAST = ["Smith", "Jones", "Taylor", "Brown", "Patel", "García", "Dubois", "Kowalski", "Sato"]


def _weighted(rng: random.Random, choices: list[tuple[str, int]]) -> str:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def column_values(model: type[models.Model], values: dict) -> list:
    """A CSV row for `model`: the generated values, else each field's default."""
    row = []
    for field in model._meta.concrete_fields:
        name = field.attname
        if name in values:
            value = values[name]
        elif name in ("created_at", "updated_at"):
            value = NOW
        elif field.has_default():
            value = field.get_default()
        elif field.null:
            value = None
        else:
            value = ""
        if isinstance(value, bool):
            value = int(value)
        elif isinstance(value, dict):
            value = "{}"
        row.append(value)
    return row


def columns(model: type[models.Model]) -> list[str]:
    return [field.column for field in model._meta.concrete_fields]


def write_csv(path: Path, rows: Iterator[list]) -> int:
    count = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_NOTNULL)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def contact_rows(studio_id: int, count: int, rng: random.Random) -> Iterator[list]:
    for pk in range(1, count + 1):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        yield column_values(
            Contact,
            {
                "id": pk,
                "studio_id": studio_id,
                "first_name": first,
                "last_name": f"{last}-{pk}",
                "name_key": f"{first} {last}".lower(),
                "surname_key": last.lower(),
            },
        )


def shoot_rows(studio_id: int, count: int, rng: random.Random) -> Iterator[list]:
    for pk in range(1, count + 1):
        day = START + dt.timedelta(days=rng.randrange(DAYS + 120))
        has_gallery = rng.random() < 0.6
        yield column_values(
            Shoot,
            {
                "id": pk,
                "studio_id": studio_id,
                "title": f"Shoot {pk}",
                "shoot_type": rng.choice(SHOOT_TYPES),
                "starts_at": f"{day} 10:00:00",
                "status": _weighted(rng, SHOOT_STATUSES),
                "gallery_provider": "pictime" if has_gallery else "",
                "gallery_id": f"G{pk}" if has_gallery else "",
            },
        )


def shoot_contact_rows(
    studio_id: int, shoots: int, contacts: int, rng: random.Random
) -> Iterator[list]:
    for pk in range(1, shoots + 1):
        yield column_values(
            ShootContact,
            {
                "id": pk,
                "studio_id": studio_id,
                "shoot_id": pk,
                "contact_id": rng.randrange(1, contacts + 1),
            },
        )


def sale_rows(
    studio_id: int, count: int, contacts: int, shoots: int, rng: random.Random
) -> Iterator[list]:
    """Sales skewed towards regulars (30 % of sales go to 5 % of clients), 3 % cancelled,
    5 % partly refunded, gallery orders carrying their gallery and a unique reference."""
    for pk in range(1, count + 1):
        regulars = max(contacts // 20, 1)
        contact = rng.randrange(1, (regulars if rng.random() < 0.3 else contacts) + 1)
        currency = _weighted(rng, CURRENCIES)
        source = _weighted(rng, SOURCES)
        scale = 1 if currency == "JPY" else 100
        total = rng.randrange(20, 2000) * scale
        shoot = rng.randrange(1, shoots + 1) if rng.random() < 0.5 else None
        gallery = source in ("pictime", "shootproof")
        yield column_values(
            Sale,
            {
                "id": pk,
                "studio_id": studio_id,
                "contact_id": contact,
                "shoot_id": shoot,
                "sale_date": START + dt.timedelta(days=rng.randrange(DAYS)),
                "status": "cancelled" if rng.random() < 0.03 else "active",
                "source": source,
                "external_ref": f"{source}-{pk}" if gallery else "",
                "currency": currency,
                "gallery_provider": source if gallery else "",
                "gallery_id": f"G{shoot}" if gallery and shoot else "",
                "subtotal_minor": total,
                "total_minor": total,
                "paid_minor": total,
                "refunded_minor": (total // 4) if rng.random() < 0.05 else 0,
            },
        )


def write_all(
    folder: Path, *, studio_id: int, contacts: int, shoots: int, sales: int, seed: int
) -> dict[str, tuple[type[models.Model], Path, int]]:
    """Write the four CSV files; returns table → (model, path, row count)."""
    rng = random.Random(seed)
    plan = {
        "contacts": (Contact, contact_rows(studio_id, contacts, rng)),
        "shoots": (Shoot, shoot_rows(studio_id, shoots, rng)),
        "shoot_contacts": (ShootContact, shoot_contact_rows(studio_id, shoots, contacts, rng)),
        "sales": (Sale, sale_rows(studio_id, sales, contacts, shoots, rng)),
    }
    written = {}
    for name, (model, rows) in plan.items():
        path = folder / f"{name}.csv"
        written[name] = (model, path, write_csv(path, rows))
    return written
