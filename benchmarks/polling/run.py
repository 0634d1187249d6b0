"""ShootProof polling: API requests per linked account per hour (idle and busy, default
cadence), order-visible latency, and the cost of one poll, against the real stand-in.

    .venv/bin/python benchmarks/polling/run.py [--scale 60] [--orders 40]

Everything runs for real: a temp SQLite Cyan, the ShootProof stand-in as a subprocess, a
studio linked through OAuth (login, Approve, brand choice), and Cyan's own poll
(inbox.sync.poll_link on the links inbox.sync.due_links says are due, as the worker's
round does). Requests are counted by the HTTP session the ShootProof client uses.

"An hour" is run at 1/scale speed: every duration Cyan uses (the cadence's base and
ceiling, the poll window's overlap) is divided by `scale`, so 60 s of wall time is one
hour of polling with the default cadence (120 s busy, doubling to 900 s quiet).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


class CountingSession(requests.Session):
    """Counts every API request by what it asked for (notifications, order pages…)."""

    def __init__(self) -> None:
        super().__init__()
        self.counts: Counter[str] = Counter()
        self.lock = threading.Lock()

    def request(self, method, url, *args, **kwargs):  # type: ignore[no-untyped-def]
        path = urlsplit(url).path
        kind = (
            "notification" if path.endswith("/notification")
            else "items" if path.endswith("/item")
            else "payments" if path.endswith("/payment")
            else "order page" if path.endswith("/order")
            else "entry/brands"
        )  # fmt: skip
        with self.lock:
            self.counts[kind] += 1
        return super().request(method, url, *args, **kwargs)

    def take(self) -> Counter[str]:
        with self.lock:
            counts, self.counts = self.counts, Counter()
        return counts


def setup(tmp: Path):
    os.environ["CYAN_VAR_DIR"] = str(tmp / "cyan")
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "cyan.settings"
    os.environ["CYAN_LOG_LEVEL"] = "ERROR"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def link_studio(standin, tmp: Path):
    """A studio linked to the stand-in account's first brand, through the OAuth flow."""
    from django.conf import settings

    from accounts.services import create_studio
    from api.services import generate_api_key
    from galleries import choosing
    from galleries.linking import AccountChoice, complete_authorisation, start_authorisation

    settings.SHOOTPROOF_BASE_URL = standin.url
    settings.SHOOTPROOF_CLIENT_ID = standin.client_id
    settings.SHOOTPROOF_CLIENT_SECRET = standin.client_secret
    settings.CYAN_BASE_URL = "http://127.0.0.1:8999"
    studio, owner = create_studio(
        name="Bench", owner_email="bench@example.test", owner_password="bench-pw-123456"
    )
    generate_api_key(studio=studio)
    account = standin.control("POST", "/control/accounts", {"brands": ["Bench Brand"]}).json()
    url = start_authorisation(studio=studio, user=owner, provider="shootproof")
    back = standin.user(account["email"], account["password"]).authorise(url)
    query = {k: v[0] for k, v in parse_qs(urlsplit(back).query).items()}
    result = complete_authorisation(
        studio=studio, user=owner, provider="shootproof", state=query["state"], code=query["code"]
    )
    if isinstance(result, AccountChoice):
        result = choosing.choose_account(
            studio=studio, choice=result, account_id=result.accounts[0].id
        )
    return result, account


def scale_cadence(scale: float) -> None:
    from django.conf import settings

    import inbox.sync

    settings.CYAN_SHOOTPROOF_POLL_SECONDS = 120 / scale
    settings.CYAN_SHOOTPROOF_POLL_MAX_SECONDS = 900 / scale
    inbox.sync.OVERLAP = timedelta(minutes=10) / scale


def run_hour(link, session: CountingSession, scale: float, place=None, every: float = 0):
    """One scaled hour of the worker's rounds for this link; returns (polls, counts,
    poll durations). `place` is called every `every` wall seconds (orders arriving)."""
    from django.utils import timezone

    from inbox.sync import due_links, poll_link

    session.take()
    end = time.monotonic() + 3600 / scale
    next_order = time.monotonic() + every if place else float("inf")
    polls, durations = 0, []
    while time.monotonic() < end:
        if time.monotonic() >= next_order:
            place()
            next_order += every
        if due_links(timezone.now()).filter(pk=link.pk).exists():
            link.refresh_from_db()
            started = time.perf_counter()
            result = poll_link(link=link)
            durations.append(time.perf_counter() - started)
            assert not result.error, result.error
            polls += 1
        time.sleep(0.02)
    return polls, session.take(), durations


def latency(link, standin, account, n: int) -> list[float]:
    """Place `n` orders at random moments while the poll runs at the scaled cadence;
    seconds from ShootProof's createdAt to the Inbox item's creation."""
    from django.utils import timezone
    from django.utils.dateparse import parse_datetime

    from inbox.models import InboxItem
    from inbox.sync import due_links, poll_link

    placed: dict[str, object] = {}

    def placer() -> None:
        rng = random.Random(7)
        for i in range(n):
            time.sleep(rng.uniform(0.2, 3.0))
            body = {"account_email": account["email"], "count": 1, "seed": 1000 + i}
            order = standin.control("POST", "/control/orders", body).json()["orders"][0]
            placed[str(order["id"])] = parse_datetime(order["createdAt"])

    thread = threading.Thread(target=placer)
    thread.start()
    while thread.is_alive() or len(InboxItem.objects.filter(external_id__in=list(placed))) < len(
        placed
    ):
        if due_links(timezone.now()).filter(pk=link.pk).exists():
            link.refresh_from_db()
            poll_link(link=link)
        time.sleep(0.02)
    thread.join()
    items = InboxItem.objects.filter(external_id__in=list(placed))
    return sorted((i.received_at - placed[i.external_id]).total_seconds() for i in items)


def percentile(values: list[float], p: float) -> float:
    return (
        statistics.quantiles(values, n=100, method="inclusive")[p - 1]
        if len(values) > 1
        else values[0]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=60.0)
    parser.add_argument("--orders", type=int, default=40)
    parser.add_argument("--busy-orders-per-hour", type=float, default=30.0)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="cyan-bench-polling-"))
    setup(tmp)
    from galleries.providers.shootproof import PROVIDER
    from galleries.providers.shootproof.client import ShootProofClient
    from inbox.sync import poll_link
    from testkit.standin.shootproof import start_shootproof

    standin = start_shootproof(tmp / "shootproof")
    try:
        session = CountingSession()
        PROVIDER.client = lambda: ShootProofClient(session=session)  # count what Cyan sends
        scale_cadence(args.scale)
        link, account = link_studio(standin, tmp)
        first = poll_link(link=link)  # the link's first poll: the 90-day backfill (empty)
        assert not first.error, first.error
        link.refresh_from_db()

        polls, counts, durations = run_hour(link, session, args.scale)
        report("idle hour (default cadence)", polls, counts, durations)

        def place() -> None:
            body = {"account_email": account["email"], "count": 1}
            standin.control("POST", "/control/orders", body).raise_for_status()

        every = 3600 / args.scale / args.busy_orders_per_hour
        polls, counts, durations = run_hour(link, session, args.scale, place, every)
        report(f"busy hour ({args.busy_orders_per_hour:g} orders/h)", polls, counts, durations)

        session.take()
        started = time.perf_counter()
        full = poll_link(link=link, full=True)
        seconds = time.perf_counter() - started
        counts = session.take()
        print(f"full reconcile of {full.fetched} orders: {sum(counts.values())} requests "
              f"{dict(counts)} in {seconds:.2f} s")  # fmt: skip

        waits = latency(link, standin, account, args.orders)
        print(
            f"order visible in the Inbox, {len(waits)} orders, cadence {120 / args.scale:g} s"
            f" busy / {900 / args.scale:g} s ceiling: p50 {percentile(waits, 50):.2f} s,"
            f" p95 {percentile(waits, 95):.2f} s, max {max(waits):.2f} s"
        )
    finally:
        standin.stop()


def report(title: str, polls: int, counts: Counter[str], durations: list[float]) -> None:
    total = sum(counts.values())
    print(
        f"{title}: {polls} polls, {total} requests {dict(counts)};"
        f" per poll p50 {statistics.median(durations) * 1000:.1f} ms,"
        f" mean {statistics.fmean(durations) * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
