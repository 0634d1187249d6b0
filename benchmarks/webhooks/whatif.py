"""What would the webhook path cost with the fixes the README recommends? Measured in-process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cyan_bench_webhooks CYAN_DEBUG=false \\
        .venv/bin/python benchmarks/webhooks/whatif.py [--requests 400]

Run after run.py (it needs the seeded database). Each variant posts fresh signed orders
(10% exact resends) through Django's test client, one at a time, and reports the CPU
milliseconds per request of this process (Django + the view) and of its PostgreSQL
backend, which together bound the req/s two cores can serve. The variants are
benchmark-only copies of the view (inbox/webhooks.py) with one change each added in turn;
the app itself is not modified. Every variant is checked to store each order once.
"""

from __future__ import annotations

import argparse
import time
from datetime import timedelta
from typing import Any

from dbtool import setup_django

TOUCH_EVERY = timedelta(seconds=60)
LINK_TTL_S = 30.0
ORIGINAL: dict[str, Any] = {}  # the app's own functions, restored for the "as is" variant


def build_view(*, cache_link: bool, touch_rarely: bool, optimistic: bool, defer: bool) -> Any:
    """A copy of inbox.webhooks.provider_webhook (Pic-Time) with the chosen changes."""
    from django.db import IntegrityError, transaction
    from django.http import JsonResponse
    from django.utils import timezone
    from django.views.decorators.csrf import csrf_exempt

    import galleries.providers.pictime.webhooks as verification
    import inbox.services as services
    from galleries.models import GalleryLink
    from galleries.providers.pictime.orders import map_order
    from inbox.models import InboxDelivery

    links: dict[tuple[str, str], tuple[float, Any]] = {}
    original_link = ORIGINAL["link"] = ORIGINAL.get("link", verification._link)

    def cached_link(provider: str, account_id: str) -> GalleryLink:
        # Per-process cache with a short TTL: an unlink/re-link is seen within LINK_TTL_S.
        hit = links.get((provider, account_id))
        if hit and time.monotonic() - hit[0] < LINK_TTL_S:
            return hit[1]
        link = original_link(provider, account_id)
        links[(provider, account_id)] = (time.monotonic(), link)
        return link

    verification._link = cached_link if cache_link else original_link

    def receive(studio: Any, order: Any, raw: str, key: str, event: str) -> Any:
        args = (studio, order, raw, InboxDelivery.Channel.WEBHOOK, key, event)
        if not optimistic:
            return services.receive_order(
                studio=studio, order=order, raw_payload=raw, channel=args[3],
                delivery_key=key, event_type=event,
            )  # fmt: skip
        try:  # no look-up of the key first: the unique constraint says "duplicate"
            with transaction.atomic():
                return _receive_without_precheck(services, *args)
        except IntegrityError:
            with transaction.atomic():
                return services._receive_order(*args)  # the app's path, with its check

    @csrf_exempt
    def view(request: Any, provider: str = "pictime") -> JsonResponse:
        body = request.body
        delivery = verification.verify_delivery(body=body, headers=dict(request.headers))
        if defer:
            return accept_for_later(delivery, body)
        order = map_order(delivery.payload["data"]["order"])
        receipt = receive(
            delivery.link.studio, order, body.decode(), delivery.webhook_id, delivery.event_type
        )
        link = delivery.link
        now = timezone.now()
        stale = link.last_order_at is None or now - link.last_order_at > TOUCH_EVERY
        if receipt.created and (stale or not touch_rarely):
            GalleryLink.objects.filter(pk=link.pk).update(last_order_at=now)
            link.last_order_at = now
        return JsonResponse(
            {"ok": True, "item": receipt.item.pk, "duplicate": receipt.duplicate_delivery}
        )

    return view


DEFERRED_TABLE = "bench_deferred_delivery"  # exists only in the benchmark's database


def accept_for_later(delivery: Any, body: bytes) -> Any:
    """The "ack now, process in a worker" shape: one statement, one commit, dedupe by key."""
    from django.db import connection
    from django.http import JsonResponse

    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {DEFERRED_TABLE} (studio_id, delivery_key, event_type, body)"
            " VALUES (%s, %s, %s, %s) ON CONFLICT (studio_id, delivery_key) DO NOTHING"
            " RETURNING id",
            [delivery.link.studio_id, delivery.webhook_id, delivery.event_type, body.decode()],
        )
        row = cursor.fetchone()
    return JsonResponse({"ok": True, "duplicate": row is None})


def create_deferred_table() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {DEFERRED_TABLE} (id bigserial PRIMARY KEY,"
            " studio_id bigint NOT NULL, delivery_key varchar(200) NOT NULL,"
            " event_type varchar(60) NOT NULL, body text NOT NULL,"
            " received_at timestamptz NOT NULL DEFAULT now(), UNIQUE (studio_id, delivery_key))"
        )


def stored_count(tag: str, deferred: bool) -> int:
    from django.db import connection

    from inbox.models import InboxItem

    if not deferred:
        return InboxItem.objects.filter(external_id__startswith=f"ord_{tag}_").count()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {DEFERRED_TABLE} WHERE left(delivery_key, %s) = %s",
            [len(f"msg_{tag}_"), f"msg_{tag}_"],
        )
        return cursor.fetchone()[0]


def _receive_without_precheck(services: Any, studio: Any, order: Any, raw: str, channel: str,
                              key: str, event: str) -> Any:  # fmt: skip
    """inbox.services._receive_order minus its first query (the delivery-key look-up)."""
    from inbox.models import InboxDelivery, InboxItem

    item = (
        InboxItem.objects.select_for_update()
        .filter(studio=studio, source=order.provider, account_id=order.account_id,
                external_id=order.order_id)
        .first()
    )  # fmt: skip
    created = item is None
    if created:
        item = InboxItem(studio=studio, kind=InboxItem.Kind.ORDER, source=order.provider,
                         account_id=order.account_id, external_id=order.order_id)  # fmt: skip
    changed, note, _previous = services._apply_version(item, order, raw)
    InboxDelivery.objects.create(studio=studio, item=item, channel=channel, delivery_key=key,
                                 event_type=event, changed=changed, note=note)  # fmt: skip
    # (inbox.intake runs the auto-import after this; the variants measure the receive.)
    return services.Receipt(item, created=created, changed=changed, duplicate_delivery=False)


VARIANTS = [
    ("as is (the app's view)", {}, False),
    ("+ link cached 30 s", {"cache_link": True}, False),
    ("+ last_order_at touched once a minute", {"cache_link": True, "touch_rarely": True}, False),
    ("+ no delivery-key pre-check", {"cache_link": True, "touch_rarely": True,
                                     "optimistic": True}, False),
    ("+ prepared statements", {"cache_link": True, "touch_rarely": True,
                               "optimistic": True}, True),
    ("ack-and-defer (store raw delivery only)", {"cache_link": True, "defer": True}, False),
]  # fmt: skip


def measure(label: str, flags: dict[str, bool], prepared: bool, requests: int) -> None:
    from functools import partial

    import servers
    from django.db import connection
    from payloads import build_deliveries

    from inbox.webhooks import provider_webhook

    connection.close()
    options = connection.settings_dict.setdefault("OPTIONS", {})
    options.pop("server_side_binding", None)
    options.pop("prepare_threshold", None)
    if prepared:
        options.update(server_side_binding=True, prepare_threshold=2)
    defaults = {"cache_link": False, "touch_rarely": False, "optimistic": False, "defer": False}
    view = build_view(**(defaults | flags))
    if not flags:
        view = partial(
            provider_webhook, provider="pictime"
        )  # the app's view, with the app's own verification
    tag = f"v{time.time_ns()}"
    for delivery in build_deliveries(30, 0.1, f"{tag}w", seed=3):  # connect, warm caches
        call(view, delivery)
    deliveries = build_deliveries(requests, 0.1, tag, seed=4)
    backend = connection.cursor().connection.info.backend_pid
    db_before, cpu_before = servers.cpu_seconds([backend]), time.process_time()
    started = time.perf_counter()
    for delivery in deliveries:
        call(view, delivery)
    wall_ms = 1000 * (time.perf_counter() - started) / requests
    app_ms = 1000 * (time.process_time() - cpu_before) / requests
    db_ms = 1000 * (servers.cpu_seconds([backend]) - db_before) / requests
    unique = len({d.order_id for d in deliveries})
    stored = stored_count(tag, flags.get("defer", False))
    print(
        f"{label:<40} app {app_ms:5.2f} + postgres {db_ms:5.2f} = {app_ms + db_ms:5.2f} ms CPU/req"
        f" (≤ {2000 / (app_ms + db_ms):4.0f} req/s on 2 cores), wall {wall_ms:5.1f} ms/req,"
        f" stored {stored}/{unique} {'ok' if stored == unique else 'WRONG'}"
    )


def call(view: Any, delivery: Any) -> None:
    from django.test import RequestFactory

    headers = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in delivery.headers.items()}
    headers.pop("HTTP_CONTENT_TYPE")
    request = RequestFactory().post(
        "/galleries/webhooks/pictime/", data=delivery.body, content_type="application/json",
        **headers,
    )  # fmt: skip
    response = view(request)
    if response.status_code != 200:
        raise SystemExit(f"{response.status_code}: {response.content[:300]!r}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=2, help="variants are run in turn, N times")
    args = parser.parse_args()
    setup_django()
    create_deferred_table()
    for _ in range(args.rounds):
        for label, flags, prepared in VARIANTS:
            measure(label, flags, prepared, args.requests)


if __name__ == "__main__":
    main()
