"""Idempotent set-up run by ``serve``: the OAuth client "Cyan" and the demo photographer."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.db import transaction
from django.utils.text import slugify
from oauth2_provider.models import Application

from .models import Account, Gallery

DEMO_NAME = "Rosa Lindqvist Photography"
DEMO_GALLERIES = (
    ("Maya & Jonas: Wedding at Hillside Barn", "maya-jonas-wedding", "2026-06-14"),
    ("The Okafor Family: Autumn Session", "okafor-family-autumn", "2025-10-18"),
    ("Harper's First Birthday", "harper-first-birthday", "2026-02-07"),
    ("Lena Vogel: Senior Portraits", "lena-vogel-senior", "2026-04-22"),
    ("Aiko & Daniel: Engagement", "aiko-daniel-engagement", "2026-03-15"),
)
EXTRA_GALLERIES = (
    ("Spring Mini Sessions", 40),
    ("Studio Portraits", 75),
    ("Garden Wedding", 120),
)


class AccountError(ValueError):
    pass


@transaction.atomic
def ensure_cyan_application() -> Application:
    """Create or update the OAuth client "Cyan" from the PICTIME_CLIENT_* settings."""
    app = Application.objects.filter(client_id=settings.PICTIME_CLIENT_ID).first()
    if app is None:
        app = Application(client_id=settings.PICTIME_CLIENT_ID)
    app.name = "Cyan"
    app.client_type = Application.CLIENT_CONFIDENTIAL
    app.authorization_grant_type = Application.GRANT_AUTHORIZATION_CODE
    app.redirect_uris = " ".join(settings.PICTIME_REDIRECT_URIS)
    app.skip_authorization = False
    app.hash_client_secret = True
    secret = settings.PICTIME_CLIENT_SECRET
    if not app.client_secret or not check_password(secret, app.client_secret):
        app.client_secret = secret
    app.save()
    return app


def _unique_slug(name: str) -> str:
    base = slugify(name)[:60] or "gallery"
    return f"{base}-{secrets.token_hex(3)}"


def add_gallery(
    *, account: Account, name: str, event_date: dt.date, slug: str = "", currency: str = ""
) -> Gallery:
    return Gallery.objects.create(
        account=account,
        name=name,
        slug=slug or _unique_slug(name),
        event_date=event_date,
        currency=currency,
    )


@transaction.atomic
def create_account(
    *,
    email: str,
    password: str,
    name: str,
    currency: str = "USD",
    country: str = "US",
    galleries: int = 2,
) -> Account:
    """A photographer account that can log in, with ``galleries`` sample galleries."""
    email = (email or "").strip().lower()
    if "@" not in email:
        raise AccountError("email is required.")
    if len(password or "") < 6:
        raise AccountError("password must have at least 6 characters.")
    if not (name or "").strip():
        raise AccountError("name is required.")
    user_model = get_user_model()
    if user_model.objects.filter(username=email).exists():
        raise AccountError(f"An account with the email {email} already exists.")
    user = user_model.objects.create_user(username=email, email=email, password=password)
    account = Account.objects.create(
        user=user, name=name.strip(), currency=currency.upper(), country=country.upper()
    )
    today = dt.date.today()
    for title, days_ago in EXTRA_GALLERIES[: max(0, galleries)]:
        add_gallery(
            account=account,
            name=f"{title} {today.year}",
            event_date=today - dt.timedelta(days=days_ago),
        )
    return account


@transaction.atomic
def ensure_demo_account() -> Account:
    email = settings.PICTIME_DEMO_EMAIL
    account = Account.objects.filter(user__username=email).first()
    if account:
        return account
    account = create_account(
        email=email, password=settings.PICTIME_DEMO_PASSWORD, name=DEMO_NAME, galleries=0
    )
    for name, slug, day in DEMO_GALLERIES:
        add_gallery(account=account, name=name, slug=slug, event_date=dt.date.fromisoformat(day))
    return account


def ensure_all() -> tuple[Application, Account]:
    return ensure_cyan_application(), ensure_demo_account()
