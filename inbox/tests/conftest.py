import base64
import json
import os
from datetime import UTC, datetime

import pytest
from standardwebhooks.webhooks import Webhook

from galleries.crypto import encrypt_secret
from galleries.models import GalleryLink

SECRET = "whsec_" + base64.b64encode(b"cyan-test-webhook-secret-0123456").decode()


@pytest.fixture
def pictime_link(studio):
    return GalleryLink.objects.create(
        studio=studio,
        provider="pictime",
        provider_account_id="acc_demo",
        account_name="Rosa Lindqvist Photography",
        status=GalleryLink.Status.LINKED,
        linked_at=datetime.now(UTC),
        webhook_secret_encrypted=encrypt_secret(SECRET),
    )


def signed_headers(body: str, *, secret: str = SECRET, msg_id: str | None = None,
                   timestamp: datetime | None = None) -> dict[str, str]:  # fmt: skip
    msg_id = msg_id or f"msg_{os.urandom(6).hex()}"
    timestamp = timestamp or datetime.now(UTC)
    signature = Webhook(secret).sign(msg_id=msg_id, timestamp=timestamp, data=body)
    return {
        "HTTP_WEBHOOK_ID": msg_id,
        "HTTP_WEBHOOK_TIMESTAMP": str(int(timestamp.timestamp())),
        "HTTP_WEBHOOK_SIGNATURE": signature,
    }


def event_body(order: dict, event: str = "order.created") -> str:
    return json.dumps(
        {"type": event, "timestamp": "2026-05-01T10:00:00Z",
         "data": {"account_id": order["account_id"], "order": order}}
    )  # fmt: skip
