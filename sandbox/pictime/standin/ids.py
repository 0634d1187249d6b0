"""Public identifiers: a short prefix and 20 random lowercase base32 characters."""

from __future__ import annotations

import base64
import secrets


def new_id(prefix: str) -> str:
    raw = base64.b32encode(secrets.token_bytes(15)).decode().lower()
    return f"{prefix}_{raw[:20]}"


def account_id() -> str:
    return new_id("acc")


def gallery_id() -> str:
    return new_id("gal")


def order_id() -> str:
    return new_id("ord")


def item_id() -> str:
    return new_id("itm")


def refund_id() -> str:
    return new_id("ref")


def endpoint_id() -> str:
    return new_id("we")


def message_id() -> str:
    return new_id("msg")


def webhook_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` + base64 of 24 random bytes."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()
