"""Django-side steps of the scale simulation, run in their own process with DATABASE_URL
set to the benchmark's database (bench_scale):

    dbtool.py seed STUDIOS ITEMS_PER_STUDIO OUT.json   # studios, users, sessions, keys,
                                                       # linked Pic-Time accounts, items
    dbtool.py enqueue-polls                            # a poll of every link, now
    dbtool.py enqueue-noops N                          # N near-empty tasks (queue ceiling)
    dbtool.py totals                                   # what the run stored, as JSON

Seeding writes rows in bulk where the services would only repeat what the tests already
cover (one password hash shared by every user, sessions made directly), and through the
services where the run depends on their result (the intake stores the orders to import).
"""

from __future__ import annotations

import base64
import json
import os
import sys
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks" / "webhooks"))

CONTACTS_PER_STUDIO = 20
PASSWORD = "scale-bench-password"


def account_id(index: int) -> str:
    """The Pic-Time account of studio `index`, the same at Cyan and at the stand-in."""
    return f"acc_scale_{index:05d}"


def access_token(index: int) -> str:
    return f"scale-access-token-{index:05d}"


def webhook_secret(index: int) -> str:
    raw = f"cyan-scale-secret-{index:05d}".ljust(32)[:32].encode()
    return "whsec_" + base64.b64encode(raw).decode()


def setup_django() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to the simulation's own PostgreSQL database.")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cyan.settings")
    os.environ.setdefault("CYAN_LOG_LEVEL", "WARNING")
    import django

    django.setup()


def seed(studios: int, items_per_studio: int, out: str) -> dict[str, int]:
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import Studio, User
    from api.services import generate_api_key
    from galleries.crypto import encrypt_secret
    from galleries.models import GalleryLink

    now = timezone.now()
    password = make_password(PASSWORD)  # argon2 once, not once per user
    with transaction.atomic():
        made = Studio.objects.bulk_create(
            [Studio(name=f"Scale Studio {i:05d}", default_currency="USD") for i in range(studios)]
        )
        users = User.objects.bulk_create(
            [
                User(email=f"owner{i:05d}@scale.test", password=password, studio=studio,
                     role=User.Role.OWNER)
                for i, studio in enumerate(made)
            ]
        )  # fmt: skip
        GalleryLink.objects.bulk_create(
            [
                GalleryLink(
                    studio=studio, provider="pictime", provider_account_id=account_id(i),
                    account_name=f"Scale account {i}", status=GalleryLink.Status.LINKED,
                    linked_at=now, webhook_secret_encrypted=encrypt_secret(webhook_secret(i)),
                    access_token_encrypted=encrypt_secret(access_token(i)),
                    refresh_token_encrypted=encrypt_secret(f"scale-refresh-{i:05d}"),
                    access_token_expires_at=now + timedelta(days=2),
                    scopes="account:read orders:read webhooks:write",
                    sync_high_water_mark=now, last_full_sync_at=now,
                    # No poll until the run decides (run.py spreads them when polls start).
                    next_poll_at=now + timedelta(days=1),
                )
                for i, studio in enumerate(made)
            ]
        )  # fmt: skip
    seeded = []
    for i, (studio, user) in enumerate(zip(made, users, strict=True)):
        seed_contacts(studio, i)
        _, raw_key = generate_api_key(studio=studio, name="scale simulation")
        session = SessionStore()
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = settings.AUTHENTICATION_BACKENDS[0]
        session["_auth_user_hash"] = user.get_session_auth_hash()
        session.create()
        items = [seed_item(studio, i, n) for n in range(items_per_studio)]
        seeded.append({"studio_id": studio.pk, "account_id": account_id(i), "api_key": raw_key,
                       "session": session.session_key, "items": items})  # fmt: skip
    Path(out).write_text(json.dumps({"session_cookie": settings.SESSION_COOKIE_NAME,
                                     "studios": seeded}))  # fmt: skip
    return {"studios": len(seeded), "items": sum(len(s["items"]) for s in seeded)}


def seed_contacts(studio, index: int) -> None:  # type: ignore[no-untyped-def]
    from contacts.services import create_contacts

    people = [
        {"first_name": f"Client{n}", "last_name": f"Family {index}-{n}",
         "emails": [f"client{n}.studio{index}@example.com"]}
        for n in range(CONTACTS_PER_STUDIO)
    ]  # fmt: skip
    create_contacts(studio=studio, people=people)


def seed_item(studio, index: int, n: int) -> int:  # type: ignore[no-untyped-def]
    """An order in the studio's Inbox, taken in as a webhook would take it in."""
    from payloads import order_json

    from inbox.intake import take_in
    from inbox.models import InboxDelivery

    raw = order_json(index * 100 + n, "seed", account_id(index))
    receipt = take_in(
        studio=studio, provider="pictime", account_id=account_id(index), raw=raw,
        raw_payload=json.dumps(raw), channel=InboxDelivery.Channel.WEBHOOK,
        delivery_key=f"seed-{index}-{n}", event_type="order.created",
    )  # fmt: skip
    return receipt.item.pk


def enqueue_polls() -> dict[str, int]:
    """What the poll round does when every link is due: lease them and enqueue a poll each."""
    from django.db import transaction
    from django.utils import timezone

    from galleries.models import GalleryLink
    from inbox.tasks import ENQUEUED_LEASE, poll_link_task

    with transaction.atomic():
        ids = list(GalleryLink.objects.values_list("pk", flat=True))
        GalleryLink.objects.update(next_poll_at=timezone.now() + ENQUEUED_LEASE)
        for link_id in ids:
            poll_link_task.enqueue(link_id)
    return {"enqueued": len(ids)}


def enqueue_noops(count: int) -> dict[str, int]:
    """`count` real tasks that do almost nothing (a poll of a link that does not exist:
    one SELECT, then skipped): the queue's own cost per task."""
    from django.db import transaction

    from inbox.tasks import poll_link_task

    with transaction.atomic():
        for _ in range(count):
            poll_link_task.enqueue(-1)
    return {"enqueued": count}


def totals() -> dict[str, int]:
    from inbox.models import InboxDelivery, InboxItem
    from sales.models import Sale

    return {
        "inbox_items": InboxItem.objects.count(),
        "inbox_deliveries": InboxDelivery.objects.count(),
        "items_with_errors": InboxItem.objects.exclude(error="").count(),
        "sales": Sale.objects.count(),
    }


if __name__ == "__main__":
    commands = {"seed", "enqueue-polls", "enqueue-noops", "totals"}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(f"usage: dbtool.py {{{'|'.join(sorted(commands))}}} ...")
    setup_django()
    command, rest = sys.argv[1], sys.argv[2:]
    if command == "seed":
        result = seed(int(rest[0]), int(rest[1]), rest[2])
    elif command == "enqueue-polls":
        result = enqueue_polls()
    elif command == "enqueue-noops":
        result = enqueue_noops(int(rest[0]))
    else:
        result = totals()
    print(json.dumps(result))
