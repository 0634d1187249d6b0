import base64
import json
import os
from datetime import UTC, datetime

import pytest
from standardwebhooks.webhooks import Webhook

from galleries.crypto import encrypt_secret
from galleries.models import GalleryLink
from galleries.tests.helpers import authorise, follow_back
from galleries.tests.standin import point_cyan_at
from galleries.tests.standin_user import StandInUser

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


@pytest.fixture
def account(pictime_standin):
    """A fresh Pic-Time account per test, so no other test's webhooks or orders mix in."""
    email = f"p{os.urandom(4).hex()}@pictime.test"
    body = {"email": email, "password": "secret-pw", "name": "Hillside Studio", "galleries": 2}
    response = pictime_standin.control("POST", "/control/accounts", body)
    assert response.status_code == 201, response.text
    return {"email": email, "password": "secret-pw", **response.json()}


@pytest.fixture
def linked(settings, live_server, pictime_standin, account, auth_client, studio):
    from api.services import generate_api_key

    generate_api_key(studio=studio)
    # The stand-in registers the loopback callback on 127.0.0.1 (any port, RFC 8252).
    cyan_url = live_server.url.replace("localhost", "127.0.0.1")
    point_cyan_at(settings, pictime_standin, cyan_base_url=cyan_url)
    user = StandInUser(pictime_standin.url, email=account["email"], password=account["password"])
    follow_back(auth_client, authorise(auth_client, pictime_standin, user=user))
    link = GalleryLink.objects.get(studio=studio)
    assert link.status == GalleryLink.Status.LINKED
    yield link
    pictime_standin.control("POST", "/control/webhooks/mode", {"mode": "normal"})
