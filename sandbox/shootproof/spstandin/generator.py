"""Realistic random orders, deterministic for a given seed: customers from many locales
and scripts (names kept as one string, as ShootProof sends them), a mix of products,
coupons, shipping, and payment states."""

from __future__ import annotations

import random
import threading
from functools import cache
from typing import TYPE_CHECKING

from . import catalog, money, orders
from .models import Event, Payment

if TYPE_CHECKING:
    from faker import Faker

LOCALES: dict[str, str] = {
    "en_US": "US",
    "en_GB": "GB",
    "en_AU": "AU",
    "en_CA": "CA",
    "es_MX": "MX",
    "de_DE": "DE",
    "fr_FR": "FR",
    "nl_NL": "NL",
    "it_IT": "IT",
    "pt_BR": "BR",
    "sv_SE": "SE",
    "ja_JP": "JP",
    "zh_CN": "CN",
    "ko_KR": "KR",
    "ar_EG": "EG",
    "he_IL": "IL",
    "el_GR": "GR",
    "ru_RU": "RU",
    "hi_IN": "IN",
    "vi_VN": "VN",
}
# Names a mapper must split with care; mixed in now and then.
HARD_NAMES = (
    "Mary Ann van der Berg",
    "Cher",
    "José María de la Cruz",
    "Jean-Luc O'Neill",
    "Nguyễn Thị Minh Khai",
    "山田 太郎",
    "Dr. Amelia Grace Watts-Henderson",
)
TYPE_WEIGHTS = {"print": 8, "digital": 3, "wall-art": 2, "album": 1, "package": 1, "product": 1}
_faker_lock = threading.Lock()


@cache
def _faker(locale: str) -> Faker:
    from faker import Faker  # imported late: slow to import and only needed here

    return Faker(locale)


def _email(fake: Faker, rng: random.Random) -> str:
    local = fake.user_name()
    if not local.isascii():
        local = "client"
    domain = rng.choice(["example.com", "example.net", "example.org", "mail.example"])
    return f"{local}.{rng.randrange(100, 9999)}@{domain}".lower()


def _address(fake: Faker, rng: random.Random, country: str) -> dict:
    state = fake.administrative_unit() if hasattr(fake, "administrative_unit") else ""
    address2 = ""
    if rng.random() < 0.2 and hasattr(fake, "secondary_address"):
        address2 = fake.secondary_address()
    return {
        "address1": fake.street_address(),
        "address2": address2,
        "city": fake.city(),
        "state": state,
        "postal": fake.postcode(),
        "country": country,
    }


def random_customer(rng: random.Random) -> dict:
    """{name, email, phone, address} for a person from a random locale."""
    locale = rng.choice(list(LOCALES))
    with _faker_lock:
        fake = _faker(locale)
        fake.seed_instance(rng.getrandbits(32))
        name = f"{fake.first_name()} {fake.last_name()}"
        if locale in ("ja_JP", "zh_CN", "ko_KR"):
            name = f"{fake.last_name()}{fake.first_name()}"
        if rng.random() < 0.1:
            name = rng.choice(HARD_NAMES)
        phone = fake.phone_number() if rng.random() < 0.8 else None
        return {
            "name": name,
            "email": _email(fake, rng),
            "phone": phone,
            "address": _address(fake, rng, LOCALES[locale]),
        }


def line_for(
    product: catalog.Product, quantity: int, currency: str, rng: random.Random
) -> orders.LineInput:
    options = {key: rng.choice(values) for key, values in product.options.items()}
    photo = f"IMG_{rng.randrange(1, 9999):04d}.jpg" if product.needs_photo else None
    return orders.LineInput(
        product_type=product.product_type,
        name=product.name,
        quantity=quantity,
        unit_price=product.price(currency),
        photo_name=photo,
        options=options,
    )


def random_lines(rng: random.Random, currency: str) -> list[orders.LineInput]:
    types = list(TYPE_WEIGHTS)
    lines = []
    for _ in range(rng.choices([1, 2, 3, 4], weights=[4, 3, 2, 1])[0]):
        kind = rng.choices(types, weights=list(TYPE_WEIGHTS.values()))[0]
        product = rng.choice([p for p in catalog.PRODUCTS if p.product_type == kind])
        quantity = rng.randint(1, 4) if kind == "print" else 1
        line = line_for(product, quantity, currency, rng)
        if rng.random() < 0.1:  # a per-item sale price
            line.discount = money.percent_of(line.unit_price * line.quantity, rng.choice([10, 25]))
        lines.append(line)
    return lines


def random_request(event: Event, rng: random.Random, currency: str = "") -> orders.OrderRequest:
    currency = (currency or event.brand.currency).upper()
    money.exponent(currency)
    customer = random_customer(rng)
    lines = random_lines(rng, currency)
    physical = any(ln.product_type != "digital" for ln in lines)
    shipping = 0
    if physical:
        method = rng.choices(list(catalog.SHIPPING_USD), weights=[6, 2, 1])[0]
        shipping = catalog.shipping_price(method, currency)
    subtotal = sum(ln.unit_price * ln.quantity - ln.discount for ln in lines)
    adjustment = 0
    if rng.random() < 0.25:
        adjustment = money.percent_of(subtotal, rng.choice(list(catalog.COUPONS.values())))
    ship_to = None
    if physical:
        ship_to = customer["address"]
        if rng.random() < 0.15:  # a gift, shipped to someone else
            ship_to = random_customer(rng)["address"]
    payments = None
    roll = rng.random()
    if roll < 0.03 and subtotal >= 2:
        payments = [orders.PaymentInput(subtotal // 2)]  # a deposit: partially paid
    elif roll < 0.08:
        payments = []  # "pay later" (cash or check): unpaid
    elif roll < 0.2:
        payments = [orders.PaymentInput(None, Payment.Method.PAYPAL)]  # paid in full
    return orders.OrderRequest(
        event=event,
        customer_name=customer["name"],
        customer_email=customer["email"],
        customer_phone=customer["phone"],
        billing_address=customer["address"],
        shipping_address=ship_to,
        lines=lines,
        currency=currency,
        adjustment=adjustment,
        shipping=shipping,
        payments=payments,
    )


def place_random_orders(
    *, events: list[Event], count: int, seed: int | None = None, currency: str = ""
) -> list:
    rng = random.Random(seed)
    return [
        orders.place_order(random_request(rng.choice(events), rng, currency)) for _ in range(count)
    ]
