"""Verify an incoming Pic-Time webhook (Standard Webhooks) and find the link it belongs to.

The body is checked before anything is stored: a forged, stale or unsigned request is
refused with a 4xx and leaves only a log line.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from django.db import connection
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from core.limits import forbidden_characters
from core.providers import Provider
from galleries.crypto import InvalidToken, decrypt_secret
from galleries.link_cache import known_link
from galleries.models import GalleryLink
from galleries.providers.base import MAX_WEBHOOK_BODY_BYTES, DeliveryRejected, VerifiedDelivery

logger = logging.getLogger(__name__)

SIGNATURE_HEADERS = ("webhook-id", "webhook-timestamp", "webhook-signature")
BAD_SIGNATURE = "The signature is not valid for this account, or the timestamp is too old."


def verify_delivery(*, body: bytes, headers: Mapping[str, str]) -> VerifiedDelivery:
    """The verified delivery, or DeliveryRejected saying why (logged, nothing stored)."""
    provider = Provider.PICTIME
    try:
        return _verify(provider, body, {k.lower(): v for k, v in headers.items()})
    except DeliveryRejected as rejected:
        logger.warning("Refused %s webhook: %s (%s)", provider, rejected.code, rejected.message)
        raise


def _verify(provider: str, body: bytes, headers: dict[str, str]) -> VerifiedDelivery:
    if len(body) > MAX_WEBHOOK_BODY_BYTES:
        raise DeliveryRejected(413, "payload_too_large", "The body is larger than 1 MB.")
    missing = [name for name in SIGNATURE_HEADERS if not headers.get(name)]
    if missing:
        raise DeliveryRejected(401, "unsigned", f"Missing headers: {', '.join(missing)}.")
    payload = _json_object(body)
    data = payload.get("data")
    account_id = data.get("account_id") if isinstance(data, dict) else None
    if not account_id:
        raise DeliveryRejected(400, "no_account", "data.account_id is missing.")
    try:
        known = _known_link(provider, account_id)
    except InvalidToken as exc:  # the key that encrypted the secret is gone: refuse, log
        logger.warning("A %s webhook's link secret could not be decrypted", provider)
        raise DeliveryRejected(401, "bad_signature", BAD_SIGNATURE) from exc
    # One answer for an unknown account, a wrong signature and a stale timestamp: an
    # unsigned caller must not learn which accounts are linked to Cyan (the log tells).
    if known is None:
        logger.warning("A %s webhook names an account no studio links", provider)
        raise DeliveryRejected(401, "bad_signature", BAD_SIGNATURE)
    link, secret = known
    try:
        Webhook(secret).verify(body, headers, json_parse=False)
    except (WebhookVerificationError, ValueError) as exc:
        logger.warning("A %s webhook for link %s failed verification: %s", provider, link.pk, exc)
        raise DeliveryRejected(401, "bad_signature", BAD_SIGNATURE) from exc
    return VerifiedDelivery(
        link=link,
        webhook_id=headers["webhook-id"],
        event_type=str(payload.get("type") or ""),
        payload=payload,
        order=order_in_delivery(payload),
    )


def order_in_delivery(payload: Mapping[str, Any]) -> Any:
    """The order document of a delivery (`data.order`), None when absent."""
    data = payload.get("data")
    return data.get("order") if isinstance(data, dict) else None


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        # UTF-8 only (json.loads would also take UTF-16/32 bytes the Inbox cannot keep).
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise DeliveryRejected(400, "malformed_json", f"The body is not JSON: {reason}.") from exc
    if not isinstance(payload, dict):
        raise DeliveryRejected(400, "malformed_json", "The body is not a JSON object.")
    return payload


# The link of a delivery, on every webhook: one plain statement (compiling the ORM's
# query cost ten times its execution); the other fields load if someone reads them.
_LINK_FIELDS = ["id", "studio_id", "provider", "provider_account_id", "status",
                "webhook_secret_encrypted"]  # fmt: skip
_LINK_SQL = (
    f"SELECT {', '.join(_LINK_FIELDS)} FROM {GalleryLink._meta.db_table}"
    " WHERE provider = %s AND provider_account_id = %s AND status <> %s"
    " AND webhook_secret_encrypted <> '' ORDER BY id LIMIT 1"
)


def _known_link(provider: str, account_id: object) -> tuple[GalleryLink, str] | None:
    """The link taking this account's webhooks and its decrypted secret, remembered for a
    few seconds (galleries.link_cache); None when no link takes them."""
    if not isinstance(account_id, str) or forbidden_characters(account_id):
        return None

    def load() -> tuple[GalleryLink, str] | None:
        link = _link(provider, account_id)
        return None if link is None else (link, decrypt_secret(link.webhook_secret_encrypted))

    return known_link(provider, account_id, load=load)


def _link(provider: str, account_id: object) -> GalleryLink | None:
    """The linked (or re-linking) account's link with a webhook secret, else None."""
    if not isinstance(account_id, str) or forbidden_characters(account_id):
        return None
    with connection.cursor() as cursor:
        cursor.execute(_LINK_SQL, [provider, account_id, GalleryLink.Status.UNLINKED.value])
        row = cursor.fetchone()
    return None if row is None else GalleryLink.from_db(connection.alias, _LINK_FIELDS, row)
