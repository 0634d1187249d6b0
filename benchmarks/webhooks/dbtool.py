"""Django-side steps of the webhook benchmark, run in their own process with DATABASE_URL set.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cyan_bench_webhooks \\
        .venv/bin/python benchmarks/webhooks/dbtool.py seed
    ... dbtool.py counts   # prints the stored counts as JSON

`seed` makes the studio and its linked Pic-Time account (the webhook secret encrypted
as the app stores it); `counts` reads back what the webhook endpoint stored.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def setup_django() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to the benchmark's own PostgreSQL database.")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cyan.settings")
    os.environ.setdefault("CYAN_LOG_LEVEL", "WARNING")
    import django

    django.setup()


def seed() -> dict[str, int]:
    from payloads import ACCOUNT_ID, SECRET

    from accounts.models import Studio
    from galleries.crypto import encrypt_secret
    from galleries.models import GalleryLink

    studio = Studio.objects.create(name="Benchmark Studio", default_currency="USD")
    link = GalleryLink.objects.create(
        studio=studio,
        provider="pictime",
        provider_account_id=ACCOUNT_ID,
        account_name="Benchmark account",
        status=GalleryLink.Status.LINKED,
        linked_at=datetime.now(UTC),
        webhook_secret_encrypted=encrypt_secret(SECRET),
    )
    return {"studio": studio.pk, "link": link.pk}


def counts() -> dict[str, int]:
    from django.db.models import Count, Max

    from inbox.models import InboxDelivery, InboxItem

    items = InboxItem.objects.filter(source="pictime")
    deliveries = InboxDelivery.objects.all()
    per_item = items.annotate(n=Count("deliveries")).aggregate(most=Max("n"))["most"] or 0
    return {
        "items": items.count(),
        "distinct_order_ids": items.values("external_id").distinct().count(),
        "items_with_errors": items.exclude(error="").count(),
        "deliveries": deliveries.count(),
        "distinct_webhook_ids": deliveries.values("delivery_key").distinct().count(),
        "most_deliveries_per_item": per_item,
        "deferred": deferred_count(),
    }


def deferred_count() -> int:
    """Rows of the what-if "defer" variant's table (whatif.py), 0 when it does not exist."""
    from django.db import connection
    from whatif import DEFERRED_TABLE

    if DEFERRED_TABLE not in connection.introspection.table_names():
        return 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(DISTINCT delivery_key) FROM {DEFERRED_TABLE}")
        return cursor.fetchone()[0]


if __name__ == "__main__":
    commands = {"seed": seed, "counts": counts}
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        sys.exit(f"usage: dbtool.py {{{'|'.join(commands)}}}")
    setup_django()
    print(json.dumps(commands[sys.argv[1]]()))
