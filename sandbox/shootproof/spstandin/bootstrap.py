"""Idempotent set-up run by ``serve``: the OAuth client "Cyan" and the demo studio with
its two brands; also how the control API creates a fresh studio."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.db import transaction
from oauth2_provider.models import Application

from . import ids, money
from .models import Account, Brand, Event

DEMO_STUDIO = "Juniper Lane Studio"
# The demo studio sells in pounds, like Cyan's demo studio, so imported orders need no FX.
DEMO_CURRENCY = "GBP"
DEMO_BRANDS = (
    (
        "Juniper Lane Photography",
        "hello@juniperlane.test",
        (
            ("The Okafor Family: Autumn Session", "2025-10-18"),
            ("Harper's First Birthday", "2026-02-07"),
            ("Lena Vogel: Senior Portraits", "2026-04-22"),
        ),
    ),
    (
        "Juniper Lane Weddings",
        "weddings@juniperlane.test",
        (
            ("Maya & Jonas: Wedding at Hillside Barn", "2026-06-14"),
            ("Aiko & Daniel: Engagement", "2026-03-15"),
        ),
    ),
)
DEFAULT_EVENTS = (("Spring Mini Sessions", 40), ("Studio Portraits", 75))
TAX_RATES = {"USD": Decimal("7.25"), "GBP": Decimal("0"), "EUR": Decimal("0")}


class AccountError(ValueError):
    pass


@transaction.atomic
def ensure_cyan_application() -> Application:
    """Create or update the OAuth client "Cyan" from the SHOOTPROOF_CLIENT_* settings."""
    app = Application.objects.filter(client_id=settings.SHOOTPROOF_CLIENT_ID).first()
    if app is None:
        app = Application(client_id=settings.SHOOTPROOF_CLIENT_ID)
    app.name = "Cyan"
    app.client_type = Application.CLIENT_CONFIDENTIAL
    app.authorization_grant_type = Application.GRANT_AUTHORIZATION_CODE
    app.redirect_uris = " ".join(settings.SHOOTPROOF_REDIRECT_URIS)
    app.skip_authorization = False
    app.hash_client_secret = True
    secret = settings.SHOOTPROOF_CLIENT_SECRET
    if not app.client_secret or not check_password(secret, app.client_secret):
        app.client_secret = secret
    app.save()
    return app


def add_brand(*, account: Account, name: str, email: str, currency: str) -> Brand:
    return Brand.objects.create(
        id=ids.next_id("brand"),
        account=account,
        name=name,
        email=email,
        currency=currency,
        tax_rate=TAX_RATES.get(currency, Decimal("0")),
    )


def add_event(*, brand: Brand, name: str, event_date: dt.date | None) -> Event:
    return Event.objects.create(
        id=ids.next_id("event"), brand=brand, name=name, event_date=event_date
    )


def _check_new(email: str, password: str) -> str:
    email = (email or "").strip().lower()
    if "@" not in email:
        raise AccountError("email must be an email address.")
    if len(password or "") < 6:
        raise AccountError("password must have at least 6 characters.")
    if get_user_model().objects.filter(username=email).exists():
        raise AccountError(f"An account with the email {email} already exists.")
    return email


@transaction.atomic
def create_account(
    *,
    email: str = "",
    password: str = "",
    name: str = "",
    brands: list[str] | None = None,
    currency: str = "USD",
    events: int = 2,
) -> tuple[Account, str]:
    """A studio that can log in, one brand per name (each with ``events`` galleries).
    Returns (account, password); a missing email or password is made up."""
    currency = currency.upper()
    money.exponent(currency)
    email = email or f"studio-{secrets.token_hex(4)}@shootproof.test"
    password = password or secrets.token_urlsafe(12)
    email = _check_new(email, password)
    names = [str(n).strip() for n in (brands or [name or "Hillside Studio"])]
    if not names or not all(names):
        raise AccountError("brands must be a list of non-empty names.")
    user = get_user_model().objects.create_user(username=email, email=email, password=password)
    account = Account.objects.create(user=user, name=(name or names[0]).strip())
    today = dt.date.today()
    for brand_name in names:
        brand = add_brand(account=account, name=brand_name, email=email, currency=currency)
        for title, days_ago in DEFAULT_EVENTS[: max(0, events)]:
            add_event(
                brand=brand,
                name=f"{title} {today.year}",
                event_date=today - dt.timedelta(days=days_ago),
            )
    return account, password


@transaction.atomic
def ensure_demo_account() -> Account:
    email = settings.SHOOTPROOF_DEMO_EMAIL
    account = Account.objects.filter(user__username=email).first()
    if account:
        return account
    account, _ = create_account(
        email=email,
        password=settings.SHOOTPROOF_DEMO_PASSWORD,
        name=DEMO_STUDIO,
        brands=[name for name, _, _ in DEMO_BRANDS],
        currency=DEMO_CURRENCY,
        events=0,
    )
    for brand, (_, brand_email, events) in zip(
        account.brands.order_by("id"), DEMO_BRANDS, strict=True
    ):
        brand.email = brand_email
        brand.save(update_fields=["email"])
        for title, day in events:
            add_event(brand=brand, name=title, event_date=dt.date.fromisoformat(day))
    return account


def ensure_all() -> tuple[Application, Account]:
    return ensure_cyan_application(), ensure_demo_account()
