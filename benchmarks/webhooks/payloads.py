"""Signed Pic-Time order webhooks for the load run: unique orders plus exact resends.

A resend is the same bytes under the same webhook-id (what a provider's retry looks
like), so the inbox must answer it as a duplicate and store nothing new.
"""

from __future__ import annotations

import base64
import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime

from standardwebhooks.webhooks import Webhook

ACCOUNT_ID = "acc_bench_webhooks"
SECRET = "whsec_" + base64.b64encode(b"cyan-benchmark-webhook-secret-01").decode()
WEBHOOK_PATH = "/galleries/webhooks/pictime/"
BARE_PATH = "/webhook/"


@dataclass(frozen=True)
class Delivery:
    webhook_id: str
    order_id: str
    body: bytes
    headers: dict[str, str]


def order_json(index: int, run_tag: str, account_id: str = ACCOUNT_ID) -> dict[str, object]:
    """A consistent Pic-Time order (the totals add up): 2 prints and a download."""
    order_id = f"ord_{run_tag}_{index:07d}"
    return {
        "id": order_id,
        "number": f"PT-{index:07d}",
        "account_id": account_id,
        "gallery": {"id": f"gal_{index % 97}", "name": f"Wedding {index % 97}",
                    "url": "http://127.0.0.1:8001/g/bench", "event_date": "2026-04-18"},
        "client": {"first_name": "Ada", "last_name": f"Lovelace {index}",
                   "email": f"client{index}@example.com", "phone": "+44 20 7946 0958"},
        "billing_address": {"line1": "1 High St", "line2": "", "city": "London", "region": "",
                            "postcode": "N1 9GU", "country": "GB"},
        "shipping_address": None,
        "currency": "USD",
        "items": [
            {"id": "itm_0", "kind": "print", "product": "Fine Art Print 8x10",
             "options": {"size": "8x10", "paper": "lustre"}, "quantity": 2,
             "unit_price": "25.00", "discount": "5.00", "tax": "3.60", "total": "48.60",
             "digital": False},
            {"id": "itm_1", "kind": "digital", "product": "Full-resolution download",
             "options": {}, "quantity": 1, "unit_price": "15.00", "discount": "0.00",
             "tax": "0.00", "total": "15.00", "digital": True},
        ],
        "discounts": [],
        "shipping": {"method": "Standard", "amount": "9.00"},
        "tax": {"amount": "3.60", "rate": "8.00", "included_in_prices": False},
        "subtotal": "60.00",
        "total": "72.60",
        "amount_paid": "72.60",
        "refunds": [],
        "fees": {"platform_fee": "7.26", "lab_cost": None},
        "payment_collected_by": "pictime",
        "status": "placed",
        "payment_status": "paid",
        "created_at": "2026-05-01T10:00:00Z",
        "updated_at": "2026-05-02T10:00:00Z",
    }  # fmt: skip


def signed_delivery(
    index: int, run_tag: str, webhook: Webhook, now: datetime, account_id: str = ACCOUNT_ID
) -> Delivery:
    """Order `index` as its `order.created` delivery, signed for `account_id`'s secret
    (`webhook`); benchmarks/scale signs one per studio's account."""
    order = order_json(index, run_tag, account_id)
    body = json.dumps(
        {"type": "order.created", "timestamp": "2026-05-01T10:00:00Z",
         "data": {"account_id": account_id, "order": order}}
    )  # fmt: skip
    webhook_id = f"msg_{run_tag}_{index:07d}"
    headers = {
        "content-type": "application/json",
        "webhook-id": webhook_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": webhook.sign(msg_id=webhook_id, timestamp=now, data=body),
    }
    return Delivery(webhook_id, str(order["id"]), body.encode(), headers)


def build_deliveries(total: int, duplicate_share: float, run_tag: str, seed: int) -> list[Delivery]:
    """`total` deliveries: unique orders, and `duplicate_share` of them exact resends.

    Each resend goes to a random later position than its original, so some race it
    (both in flight at once) and the rest arrive after it was stored, as retries do.
    """
    duplicates = round(total * duplicate_share)
    uniques = total - duplicates
    if uniques < 1 or duplicates > uniques:
        raise ValueError("--duplicates must leave at least as many unique orders as resends")
    webhook = Webhook(SECRET)
    # Signed now: the whole run is capped well inside the 5-minute timestamp tolerance.
    now = datetime.now(UTC)
    originals = [signed_delivery(i, run_tag, webhook, now) for i in range(uniques)]
    rng = random.Random(seed)
    keyed = [(float(i), delivery) for i, delivery in enumerate(originals)]
    for i in rng.sample(range(uniques), duplicates):
        keyed.append((rng.uniform(i + 0.5, uniques), originals[i]))
    return [delivery for _, delivery in sorted(keyed, key=lambda pair: pair[0])]


def raw_http_request(delivery: Delivery, *, host: str, path: str) -> bytes:
    """The exact bytes wrk replays (HTTP/1.1 keep-alive)."""
    lines = [f"POST {path} HTTP/1.1", f"Host: {host}", f"Content-Length: {len(delivery.body)}"]
    lines += [f"{name}: {value}" for name, value in delivery.headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + delivery.body
