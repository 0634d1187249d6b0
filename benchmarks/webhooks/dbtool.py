"""Django-side steps of the webhook benchmark, run in their own process with DATABASE_URL set.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cyan_bench_webhooks \\
        .venv/bin/python benchmarks/webhooks/dbtool.py seed
    ... dbtool.py counts   # prints the stored counts as JSON
    ... dbtool.py waiting  # accepted deliveries not processed yet
    ... dbtool.py visibility FROM UNTIL  # processing lag of deliveries accepted in [FROM, UNTIL]

`seed` makes the studio and its linked Pic-Time account (the webhook secret encrypted
as the app stores it); `counts` reads back what the webhook endpoint and the intake
task stored; `visibility` measures, from the stored timestamps, how long after its
acceptance each delivery became an Inbox item (ISO times, UTC).
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
    from django_tasks_db.models import DBTaskResult

    from inbox.models import InboxDelivery, InboxItem, WebhookDelivery

    items = InboxItem.objects.filter(source="pictime")
    deliveries = InboxDelivery.objects.all()
    per_item = items.annotate(n=Count("deliveries")).aggregate(most=Max("n"))["most"] or 0
    intake_tasks = DBTaskResult.objects.filter(queue_name="intake")
    return {
        "accepted": WebhookDelivery.objects.count(),
        "accepted_unprocessed": WebhookDelivery.objects.filter(processed_at__isnull=True).count(),
        "accepted_with_error": WebhookDelivery.objects.exclude(error="").count(),
        "intake_tasks": intake_tasks.count(),
        "intake_tasks_successful": intake_tasks.filter(status="SUCCESSFUL").count(),
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


def waiting() -> int:
    from inbox.models import WebhookDelivery

    return WebhookDelivery.objects.filter(processed_at__isnull=True).count()


def visibility(since: str, until: str) -> dict[str, object]:
    """Seconds from acceptance (received_at, set just before the INSERT that precedes the
    2xx) to processing (processed_at, set in the task's transaction), for the deliveries
    accepted in [since, until]; and how many were processed while the load ran."""
    from django.db.models import F, Max

    from inbox.models import WebhookDelivery

    start, end = datetime.fromisoformat(since), datetime.fromisoformat(until)
    rows = WebhookDelivery.objects.filter(received_at__gte=start, received_at__lte=end)
    lags = sorted(
        (processed - received).total_seconds()
        for received, processed in rows.filter(processed_at__isnull=False).values_list(
            "received_at", "processed_at"
        )
    )
    during = rows.filter(processed_at__lte=end).count()
    last = rows.aggregate(last=Max(F("processed_at")))["last"]

    def pct(p: float) -> float | None:
        return lags[min(len(lags) - 1, int(p * len(lags)))] if lags else None

    return {
        "accepted": rows.count(),
        "processed": len(lags),
        "processed_while_loading": during,
        "p50_s": pct(0.50),
        "p95_s": pct(0.95),
        "p99_s": pct(0.99),
        "max_s": lags[-1] if lags else None,
        "drained_s_after_load": (last - end).total_seconds() if last else None,
    }


if __name__ == "__main__":
    commands = {"seed": seed, "counts": counts, "waiting": waiting, "visibility": visibility}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(f"usage: dbtool.py {{{'|'.join(commands)}}} [args]")
    setup_django()
    print(json.dumps(commands[sys.argv[1]](*sys.argv[2:])))
