"""Outgoing webhooks: events delivered per second per worker, and delivery lag under load.

    .venv/bin/python benchmarks/outgoing/run.py [--events 2000] [--workers 1 2] [--rate 0.7]

Uses its own PostgreSQL database (`cyan_bench_outgoing`, created and migrated here; override
with BENCH_DATABASE_URL). A real HTTP receiver (ThreadingHTTPServer in this process)
verifies every delivery with the standardwebhooks library and notes when it arrived.

1. Drain: N events are recorded up front (one endpoint, `contact.created`, the payload a
   real contact renders to), then W worker processes run the delivery loop
   (events.delivery.deliver_due) until all are delivered: deliveries/s, and per worker.
2. Lag: one worker polls for due deliveries every 100 ms while a producer records events
   at `rate` × the one-worker drain throughput; lag = arrival at the receiver − the
   event's commit. p50/p95/max.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import sys
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
DB_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cyan_bench_outgoing"
)


def setup_django() -> None:
    os.environ["DATABASE_URL"] = DB_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cyan.settings")
    os.environ.setdefault("CYAN_LOG_LEVEL", "WARNING")
    os.environ["CYAN_WEBHOOKS_ALLOW_PRIVATE"] = "true"
    # The after-commit enqueue is not measured here: the loop below is the worker.
    os.environ["CYAN_TASKS_BACKEND"] = "django.tasks.backends.dummy.DummyBackend"
    import django

    django.setup()


def ensure_database() -> None:
    import psycopg

    name = DB_URL.rsplit("/", 1)[1]
    with psycopg.connect(DB_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


class Receiver:
    def __init__(self) -> None:
        self.arrivals: dict[str, float] = {}
        self.verified = 0
        self.failed = 0
        self.secret = ""
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                from standardwebhooks.webhooks import Webhook

                body = self.rfile.read(int(self.headers["Content-Length"]))
                now = time.time()
                try:
                    Webhook(receiver.secret).verify(body, dict(self.headers.items()))
                    ok = True
                except Exception:
                    ok = False
                with receiver.lock:
                    receiver.arrivals.setdefault(self.headers["webhook-id"], now)
                    receiver.verified += ok
                    receiver.failed += not ok
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def prepare(url: str) -> tuple[int, str, dict]:
    from accounts.models import Studio
    from events.models import Delivery, Event, WebhookEndpoint
    from events.payloads import contact_data
    from events.services import create_endpoint
    from testkit.factories import make_contact

    Delivery.objects.all().delete()
    Event.objects.all().delete()
    WebhookEndpoint.objects.all().delete()
    studio = Studio.objects.filter(name="Outgoing Benchmark").first() or Studio.objects.create(
        name="Outgoing Benchmark", default_currency="GBP"
    )
    contact = make_contact(studio, "Bench", "Mark", emails=["bench@example.com"])
    data = contact_data(contact)
    _, secret = create_endpoint(studio=studio, url=url, events=["contact.created"])
    return studio.pk, secret, data


def record(studio_id: int, data: dict, n: int) -> None:
    from accounts.models import Studio
    from events.services import _store, _subscribers

    studio = Studio.objects.get(pk=studio_id)
    endpoints = _subscribers(studio, "contact.created")
    for _ in range(n):
        _store(studio, "contact.created", data, endpoints)


def worker(stop_at_empty: bool, stop, interval: float) -> None:  # type: ignore[no-untyped-def]
    setup_django()
    from events.delivery import deliver_due

    while not stop.is_set():
        made = deliver_due()
        if made == 0:
            if stop_at_empty:
                return
            time.sleep(interval)


def drain(workers: int, studio_id: int, data: dict, receiver: Receiver, events: int) -> float:
    from django.db import connections

    record(studio_id, data, events)
    receiver.arrivals.clear()
    connections.close_all()  # a forked worker must not share the parent's connection
    stop = multiprocessing.Event()
    started = time.time()
    procs = [multiprocessing.Process(target=worker, args=(True, stop, 0.1)) for _ in range(workers)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join()
    elapsed = time.time() - started
    assert len(receiver.arrivals) == events, (len(receiver.arrivals), events)
    return events / elapsed


def lag(studio_id: int, data: dict, receiver: Receiver, rate: float, seconds: float) -> list[float]:
    from django.db import connections

    from events.models import Delivery

    receiver.arrivals.clear()
    connections.close_all()
    stop = multiprocessing.Event()
    proc = multiprocessing.Process(target=worker, args=(False, stop, 0.1))
    proc.start()
    first_id = (Delivery.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    deadline = time.time() + seconds
    next_at, sent = time.time(), 0
    while time.time() < deadline:
        record(studio_id, data, 1)  # one event per transaction, as a real change makes
        sent += 1
        next_at += 1 / rate
        time.sleep(max(0.0, next_at - time.time()))
    while len(receiver.arrivals) < sent and time.time() < deadline + 30:
        time.sleep(0.05)
    stop.set()
    proc.join()
    rows = Delivery.objects.filter(id__gte=first_id).values_list("webhook_id", "created_at")
    return [receiver.arrivals[w] - c.timestamp() for w, c in rows if w in receiver.arrivals]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument(
        "--rate", type=float, default=0.7, help="load for the lag test, × 1-worker throughput"
    )
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    ensure_database()
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    receiver = Receiver()
    studio_id, receiver.secret, data = prepare(receiver.url)
    results: dict = {
        "load_before": os.getloadavg(),
        "events": args.events,
        "when": datetime.now(UTC).isoformat(),
    }
    from django.db import connections

    connections.close_all()  # the worker processes open their own
    for count in args.workers:
        per_second = drain(count, studio_id, data, receiver, args.events)
        results[f"drain_{count}_workers_per_s"] = round(per_second, 1)
        results[f"drain_{count}_workers_per_s_per_worker"] = round(per_second / count, 1)
    rate = (
        results["drain_1_workers_per_s"] * args.rate if "drain_1_workers_per_s" in results else 50
    )
    lags = sorted(lag(studio_id, data, receiver, rate, args.seconds))
    results["lag_rate_per_s"] = round(rate, 1)
    results["lag_samples"] = len(lags)
    results["lag_p50_ms"] = round(statistics.median(lags) * 1000, 1)
    results["lag_p95_ms"] = round(lags[int(len(lags) * 0.95) - 1] * 1000, 1)
    results["lag_max_ms"] = round(lags[-1] * 1000, 1)
    results["verified"], results["failed_verification"] = receiver.verified, receiver.failed
    results["load_after"] = os.getloadavg()
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
