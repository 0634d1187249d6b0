"""Realistic random orders: clients from many locales and scripts, a mix of products,
codes, shipping and payment collectors. Deterministic for a given seed."""

from __future__ import annotations

import random
import threading
from functools import cache
from typing import TYPE_CHECKING

from . import catalog, money, orders, pricing
from .models import Account, Gallery, Order

LOCALES: dict[str, str] = {
    "en_US": "US",
    "en_GB": "GB",
    "en_AU": "AU",
    "en_CA": "CA",
    "es_ES": "ES",
    "es_MX": "MX",
    "de_DE": "DE",
    "fr_FR": "FR",
    "it_IT": "IT",
    "nl_NL": "NL",
    "sv_SE": "SE",
    "pt_BR": "BR",
    "ja_JP": "JP",
    "zh_CN": "CN",
    "zh_TW": "TW",
    "ko_KR": "KR",
    "ar_EG": "EG",
    "he_IL": "IL",
    "el_GR": "GR",
    "ru_RU": "RU",
    "uk_UA": "UA",
    "pl_PL": "PL",
    "tr_TR": "TR",
    "vi_VN": "VN",
    "th_TH": "TH",
    "hi_IN": "IN",
}
_faker_lock = threading.Lock()

if TYPE_CHECKING:
    from faker import Faker
PRODUCT_WEIGHTS = {"print": 6, "wall_art": 2, "album": 1, "digital": 3, "package": 1}


@cache
def _faker(locale: str) -> Faker:
    from faker import Faker  # imported late: it is slow to import and only needed here

    return Faker(locale)


def _email(fake: Faker, rng: random.Random) -> str:
    local = fake.user_name()
    if not local.isascii():
        local = "client"
    domain = rng.choice(["example.com", "example.net", "example.org", "mail.example"])
    return f"{local}.{rng.randrange(100, 9999)}@{domain}".lower()


def _address(fake: Faker, rng: random.Random, country: str) -> dict:
    region = ""
    if hasattr(fake, "administrative_unit"):
        region = fake.administrative_unit()
    line2 = ""
    if rng.random() < 0.2 and hasattr(fake, "secondary_address"):
        line2 = fake.secondary_address()
    return {
        "line1": fake.street_address(),
        "line2": line2,
        "city": fake.city(),
        "region": region,
        "postcode": fake.postcode(),
        "country": country,
    }


def locale_for(country: str) -> str | None:
    return next((loc for loc, cc in LOCALES.items() if cc == country), None)


def random_client(rng: random.Random, locale: str | None = None) -> tuple[dict, dict]:
    """(client, billing address) for a person from a random (or the given) locale."""
    locale = locale or rng.choice(list(LOCALES))
    with _faker_lock:
        fake = _faker(locale)
        fake.seed_instance(rng.getrandbits(32))
        client = {
            "first_name": fake.first_name(),
            "last_name": fake.last_name(),
            "email": _email(fake, rng),
            "phone": fake.phone_number(),
        }
        return client, _address(fake, rng, LOCALES[locale])


def random_lines(rng: random.Random, currency: str) -> list[pricing.LineInput]:
    kinds = list(PRODUCT_WEIGHTS)
    lines = []
    for _ in range(rng.choices([1, 2, 3, 4], weights=[4, 3, 2, 1])[0]):
        kind = rng.choices(kinds, weights=list(PRODUCT_WEIGHTS.values()))[0]
        product = rng.choice([p for p in catalog.PRODUCTS if p.kind == kind])
        options = catalog.with_choices(
            product,
            paper=rng.choice(catalog.PRINT_PAPERS),
            cover=rng.choice(catalog.ALBUM_COVERS),
            frame=rng.choice(catalog.FRAME_COLOURS),
        )
        quantity = rng.randint(1, 5) if kind == "print" else 1
        lines.append(line_for(product, quantity, currency, options))
    return lines


def line_for(
    product: catalog.Product, quantity: int, currency: str, options: dict | None = None
) -> pricing.LineInput:
    return pricing.LineInput(
        kind=product.kind,
        product=product.name,
        quantity=quantity,
        unit_price=product.price(currency),
        options=options if options is not None else dict(product.options),
        sku=product.sku,
        digital=product.digital,
    )


def _previous_client(account: Account, rng: random.Random) -> tuple[dict, dict] | None:
    recent = list(account.orders.order_by("-id").values("client", "billing_address")[:50])
    if not recent:
        return None
    row = rng.choice(recent)
    return row["client"], row["billing_address"]


def random_request(gallery: Gallery, rng: random.Random, currency: str = "") -> orders.OrderRequest:
    currency = currency or gallery.effective_currency
    money.exponent(currency)
    reused = _previous_client(gallery.account, rng) if rng.random() < 0.2 else None
    client, billing = reused or random_client(rng)
    shipping_address = None
    if rng.random() < 0.15:  # a gift: shipped to someone else in the same country
        shipping_address = random_client(rng, locale_for(billing.get("country", "")))[1]
    lines = random_lines(rng, currency)
    physical = any(not ln.digital for ln in lines)
    method = ""
    if physical:
        method = rng.choices(["Standard", "Express", "Local pickup"], weights=[6, 3, 1])[0]
    code = ""
    if rng.random() < 0.25:
        code = rng.choice(list(catalog.DISCOUNT_CODES))
    return orders.OrderRequest(
        gallery=gallery,
        client=client,
        billing_address=billing,
        shipping_address=shipping_address,
        lines=lines,
        discount_code=code,
        shipping_method=method,
        payment_collected_by=rng.choices(["pictime", "photographer"], weights=[85, 15])[0],
        currency=currency,
    )


def place_random_orders(
    *, account: Account, count: int, seed: int | None = None, gallery: Gallery | None = None,
    currency: str = "",
) -> list[Order]:  # fmt: skip
    rng = random.Random(seed)
    galleries = [gallery] if gallery else list(account.galleries.order_by("id"))
    if not galleries:
        raise orders.OrderError("The account has no galleries.", "gallery")
    placed = []
    for _ in range(count):
        req = random_request(rng.choice(galleries), rng, currency)
        placed.append(orders.place_order(req))
    return placed
