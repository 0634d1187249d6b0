"""Demo data: a studio with ~200 contacts, ~80 shoots across statuses and ~300 sales in two
currencies, built through the same services the pages use. Deterministic (seeded)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from django.db import transaction
from unidecode import unidecode

from accounts.models import Studio, User
from accounts.services import create_studio
from contacts.models import Contact
from contacts.services import create_contact
from core.clock import studio_today
from sales.services import LineInput, PaymentInput, create_sale
from shoots.models import Shoot
from shoots.services import create_shoot

FIRST = [
    "Olivia",
    "Liam",
    "Amelia",
    "Noah",
    "Isla",
    "Oliver",
    "Ava",
    "George",
    "Mia",
    "Arthur",
    "Sofía",
    "Mateo",
    "Zoë",
    "Chloé",
    "Łukasz",
    "Ingrid",
    "Aoife",
    "Kenji",
    "Priya",
    "Omar",
    "Elena",
    "Jonas",
    "Freya",
    "Luca",
    "Nadia",
    "Tomás",
    "Hana",
    "Rosa",
    "Felix",
    "Maya",
]
LAST = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Davies",
    "Evans",
    "Thomas",
    "García",
    "Müller",
    "Dubois",
    "Kowalski",
    "Rossi",
    "Nakamura",
    "Patel",
    "Haddad",
    "O'Brien",
    "Lindqvist",
    "Novak",
    "Silva",
    "Murphy",
    "Khan",
    "Jensen",
    "Moreau",
]
CITIES = [
    ("London", "N1 9GU"),
    ("Bristol", "BS1 4DJ"),
    ("Leeds", "LS1 4AP"),
    ("Brighton", "BN1 1AE"),
    ("York", "YO1 7HH"),
    ("Bath", "BA1 1LZ"),
]
PRODUCTS = [
    ("print", "Fine Art Print 8x10", 2500),
    ("print", "Canvas 16x20", 14000),
    ("album", "Heirloom Album", 85000),
    ("wall_art", "Framed Trio", 42000),
    ("digital", "Digital Collection", 30000),
    ("package", "Family Package", 65000),
    ("session", "Session fee", 20000),
]
SHOOT_TYPES = ["wedding", "portrait", "family", "newborn", "event", "commercial"]
STATUSES = ["enquiry"] * 2 + ["confirmed"] * 3 + ["completed"] * 4 + ["cancelled"]


def demo_exists(email: str) -> bool:
    return User.objects.filter(email=email.lower()).exists()


@transaction.atomic
def load_demo(*, email: str, password: str, seed: int = 7) -> Studio:
    rng = random.Random(seed)
    studio, _owner = create_studio(
        name="Lumen & Lace Photography",
        owner_email=email,
        owner_password=password,
        default_currency="GBP",
        country="GB",
        time_zone="Europe/London",
    )
    contacts = [_contact(studio, rng, i) for i in range(200)]
    shoots = [_shoot(studio, rng, contacts) for _ in range(80)]
    for _ in range(300):
        _sale(studio, rng, contacts, shoots)
    return studio


def _contact(studio: Studio, rng: random.Random, index: int) -> Contact:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    city, postcode = rng.choice(CITIES)
    handle = unidecode(f"{first}.{last}{index}").lower().replace("'", "").replace(" ", "")
    return create_contact(
        studio=studio,
        first_name=first,
        last_name=last,
        emails=[f"{handle}@example.com"],
        phones=[f"07{rng.randint(100, 999)} {rng.randint(100000, 999999)}"],
        addresses=[
            {
                "line1": f"{rng.randint(1, 200)} High Street",
                "city": city,
                "postcode": postcode,
                "country": "GB",
            }
        ],
        tags=rng.sample(
            ["wedding", "family", "repeat client", "referral", "vip"], k=rng.randint(0, 2)
        ),
        source=rng.choice(["manual", "referral", "website"]),
    )


def _shoot(studio: Studio, rng: random.Random, contacts: list[Contact]) -> Shoot:
    kind = rng.choice(SHOOT_TYPES)
    client = rng.choice(contacts)
    starts = datetime.now(UTC) + timedelta(days=rng.randint(-700, 120), hours=rng.randint(9, 17))
    status = rng.choice(STATUSES)
    if starts > datetime.now(UTC) and status == "completed":
        status = "confirmed"
    return create_shoot(
        studio=studio,
        title=f"{client.last_name} {kind}",
        shoot_type=kind,
        starts_at=starts.replace(minute=0, second=0, microsecond=0),
        status=status,
        contacts=[(client, "client")],
    )


def _sale(studio: Studio, rng: random.Random, contacts: list[Contact], shoots: list[Shoot]):
    shoot = rng.choice([s for s in shoots if s.status == "completed"] or [None])
    contact = shoot.contacts.first() if shoot and rng.random() < 0.8 else rng.choice(contacts)
    if shoot is not None and not shoot.contacts.filter(pk=contact.pk).exists():
        shoot = None
    currency = "GBP" if rng.random() < 0.8 else "EUR"
    lines = []
    for _ in range(rng.randint(1, 3)):
        kind, name, price = rng.choice(PRODUCTS)
        quantity = rng.randint(1, 4) if kind == "print" else 1
        lines.append(
            LineInput(
                description=name,
                product_kind=kind,
                quantity=quantity,
                unit_price_minor=price,
                tax_minor=price * quantity // 5,
            )
        )
    sale_date = studio_today(studio) - timedelta(days=rng.randint(0, 720))
    total = sum(line.quantity * line.unit_price_minor + line.tax_minor for line in lines)
    return create_sale(
        studio=studio,
        contact=contact,
        shoot=shoot,
        sale_date=sale_date,
        currency=currency,
        lines=lines,
        source=rng.choice(["manual"] * 3 + ["pictime"]),
        payments=[PaymentInput(amount_minor=total, paid_on=sale_date, method="card")],
    )
