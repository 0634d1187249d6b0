"""`whsec_…` signing secrets (Standard Webhooks) and the signature header."""

from __future__ import annotations

import base64
import secrets as random
from datetime import UTC, datetime

from standardwebhooks.webhooks import Webhook

PREFIX = "whsec_"


def new_secret() -> str:
    """24 random bytes, base64: what the standardwebhooks library reads after `whsec_`."""
    return PREFIX + base64.b64encode(random.token_bytes(24)).decode("ascii")


def signature_header(*, secrets: list[str], webhook_id: str, timestamp: datetime, body: str) -> str:
    """`v1,<sig> v1,<sig>`: one signature per secret (two during a rotation), so a
    receiver holding either the old or the new secret verifies the message."""
    moment = timestamp.astimezone(UTC)
    return " ".join(
        Webhook(secret).sign(msg_id=webhook_id, timestamp=moment, data=body) for secret in secrets
    )
