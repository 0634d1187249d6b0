"""The load generator: sends one kind of request (closed loop, for the per-kind cost) or the
whole mix on its schedule (open loop), to 127.0.0.1 only, with a cap on what is in flight.

Latency in the open loop is counted from the moment the request was due, not from when a
thread got to send it, so a server that falls behind shows it (no coordinated omission).
"""

from __future__ import annotations

import collections
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime

import requests
from mix import Event, require_loopback
from payloads import WEBHOOK_PATH, signed_delivery
from standardwebhooks.webhooks import Webhook

REQUEST_TIMEOUT_S = 10
MAX_LATE_S = 30  # a request due longer ago than this is dropped (and counted), not sent
PAGE_PATHS = {"page_inbox": "/inbox/", "page_contacts": "/contacts/", "page_reports": "/reports/"}
EXPECTED = {"webhook": 200, "import": 201, **dict.fromkeys(PAGE_PATHS, 200)}


@dataclass
class KindStats:
    latencies_ms: list[float] = field(default_factory=list)
    ok: int = 0
    errors: collections.Counter[str] = field(default_factory=collections.Counter)
    dropped: int = 0
    ok_indexes: set[int] = field(default_factory=set)  # distinct orders answered (webhooks)


class Studios:
    """What the generator knows of each seeded studio (dbtool.py seed's JSON): its account,
    webhook secret, API key, a logged-in session, and the Inbox items still to import."""

    def __init__(self, seeded: dict, secrets: list[str]) -> None:
        self.cookie = seeded["session_cookie"]
        self.rows = seeded["studios"]
        self.webhooks = [Webhook(secret) for secret in secrets]
        self._to_import = [collections.deque(row["items"]) for row in self.rows]
        self._lock = threading.Lock()

    def next_item(self, studio: int) -> tuple[int, int] | None:
        """(studio, item id) of an order not imported yet: the studio's own, else the next
        studio's that still has one."""
        with self._lock:
            for offset in range(len(self.rows)):
                index = (studio + offset) % len(self.rows)
                if self._to_import[index]:
                    return index, self._to_import[index].popleft()
        return None


class Generator:
    def __init__(self, base_url: str, studios: Studios, run_tag: str) -> None:
        self.base_url = require_loopback(base_url).rstrip("/")
        self.studios = studios
        self.run_tag = run_tag
        self._local = threading.local()

    def _session(self) -> requests.Session:
        if not hasattr(self._local, "session"):
            self._local.session = requests.Session()
        return self._local.session

    def send(self, event: Event) -> tuple[bool, str]:
        """Send one request; (as expected, what came back)."""
        try:
            response = self._request(event)
        except requests.RequestException as exc:
            return False, type(exc).__name__
        if response is None:
            return False, "no item left to import"
        good = response.status_code == EXPECTED[event.kind]
        return good, str(response.status_code)

    def _request(self, event: Event) -> requests.Response | None:
        session, row = self._session(), self.studios.rows[event.studio]
        if event.kind == "webhook":
            delivery = signed_delivery(
                event.index, self.run_tag, self.studios.webhooks[event.studio],
                datetime.now(UTC), row["account_id"],
            )  # fmt: skip
            return session.post(self.base_url + WEBHOOK_PATH, data=delivery.body,
                                headers=delivery.headers, timeout=REQUEST_TIMEOUT_S)  # fmt: skip
        if event.kind == "import":
            found = self.studios.next_item(event.studio)
            if found is None:
                return None
            studio, item_id = found
            key = self.studios.rows[studio]["api_key"]
            return session.post(
                f"{self.base_url}/api/v1/inbox/{item_id}/import", data=json.dumps({}),
                headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
                timeout=REQUEST_TIMEOUT_S,
            )  # fmt: skip
        cookie = f"{self.studios.cookie}={row['session']}"
        return session.get(self.base_url + PAGE_PATHS[event.kind], headers={"Cookie": cookie},
                           timeout=REQUEST_TIMEOUT_S, allow_redirects=False)  # fmt: skip


def closed_loop(generator: Generator, events: list[Event], concurrency: int) -> dict:
    """Send `events` back to back, `concurrency` at a time: the kind's cost and ceiling."""
    stats = KindStats()
    pending = iter(events)
    lock = threading.Lock()

    def worker() -> None:
        while True:
            with lock:
                event = next(pending, None)
            if event is None:
                return
            started = time.perf_counter()
            good, answer = generator.send(event)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                stats.latencies_ms.append(elapsed)
                if good:
                    stats.ok += 1
                else:
                    stats.errors[answer] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return summarize(stats, time.perf_counter() - started)


def open_loop(generator: Generator, events: list[Event], concurrency: int) -> dict[str, dict]:
    """Send each event at its time (`event.at` seconds after the start), at most
    `concurrency` in flight; per kind: throughput, latency from due time, errors."""
    stats: dict[str, KindStats] = collections.defaultdict(KindStats)
    lock = threading.Lock()
    start = time.monotonic()

    def fire(event: Event) -> None:
        due = start + event.at
        if time.monotonic() - due > MAX_LATE_S:
            with lock:
                stats[event.kind].dropped += 1
            return
        good, answer = generator.send(event)
        elapsed = (time.monotonic() - due) * 1000
        with lock:
            kind = stats[event.kind]
            kind.latencies_ms.append(elapsed)
            if good:
                kind.ok += 1
                kind.ok_indexes.add(event.index)
            else:
                kind.errors[answer] += 1

    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="scale-load") as pool:
        for event in events:
            delay = start + event.at - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            pool.submit(fire, event)
    seconds = time.monotonic() - start
    return {kind: summarize(s, seconds) for kind, s in sorted(stats.items())}


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def summarize(stats: KindStats, seconds: float) -> dict:
    return {
        "sent": len(stats.latencies_ms),
        "ok": stats.ok,
        "errors": dict(stats.errors),
        "dropped": stats.dropped,
        "unique_ok": len(stats.ok_indexes),
        "seconds": seconds,
        "per_s": stats.ok / seconds if seconds else 0.0,
        "p50_ms": percentile(stats.latencies_ms, 0.50),
        "p99_ms": percentile(stats.latencies_ms, 0.99),
        "max_ms": max(stats.latencies_ms, default=0.0),
    }
