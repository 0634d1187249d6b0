"""The one way a provider's order JSON enters the Inbox, for the webhook and the poll alike.

Whatever arrives ends as an Inbox item: the order when it maps and stores, else a
"needs attention" item keeping the payload and the reason. Only a fault of Cyan's own
(the database unreachable) escapes, so the provider retries and the poll stops there.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

from django.db import DataError

from accounts.models import Studio
from core import limits
from galleries import providers
from galleries.providers.base import OrderMappingError
from inbox.services import Receipt, receive_order, receive_unreadable

logger = logging.getLogger(__name__)


def delivery_key(raw_key: str) -> str:
    """A delivery key that fits its column: the key itself, or a digest of it when it is
    too long or holds characters no column can keep (the same key → the same digest)."""
    if len(raw_key) <= limits.DELIVERY_KEY and not limits.forbidden_characters(raw_key):
        return raw_key
    digest = hashlib.sha256(raw_key.encode("utf-8", "surrogatepass")).hexdigest()
    return f"sha256:{digest}"


def payload_text(payload: Any) -> str:
    """The JSON text of a payload as a column can keep it (NUL and lone surrogates escaped)."""
    text = json.dumps(payload, ensure_ascii=False)
    return json.dumps(payload) if limits.forbidden_characters(text) else text


def take_in_order(
    *,
    studio: Studio,
    provider: str,
    account_id: str,
    order_json: Any,
    raw_payload: str,
    channel: str,
    raw_delivery_key: str,
    event_type: str = "",
) -> Receipt:
    """Map `order_json` and store it, or keep it as "needs attention" with the reason."""
    key = delivery_key(raw_delivery_key)
    event_type = limits.storable(event_type, limits.EVENT_TYPE)
    try:
        order = providers.get(provider).map_order(
            order_json if isinstance(order_json, dict) else {}, account_id=account_id
        )
        return receive_order(
            studio=studio,
            order=order,
            raw_payload=raw_payload,
            channel=channel,
            delivery_key=key,
            event_type=event_type,
        )
    except OrderMappingError as exc:
        reason = str(exc)
    except DataError as exc:
        # The schema keeps within the columns (core.limits); should a field ever slip
        # through, the order is still kept, not refused until the provider gives up.
        logger.exception("Inbox could not store a %s order for studio %s", provider, studio.pk)
        reason = f"could not be stored: {str(exc).splitlines()[0] if str(exc) else 'data error'}"
    return receive_unreadable(
        studio=studio,
        source=provider,
        account_id=account_id,
        external_id=providers.get(provider).order_id_of(order_json),
        raw_payload=raw_payload,
        error=reason,
        channel=channel,
        delivery_key=key,
        event_type=event_type,
    )
