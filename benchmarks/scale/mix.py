"""The simulated traffic: what one studio does in a busy hour, how many requests of each
kind N studios make in a run, when each is sent, and the loopback-only guard.

Pure Python (no Django, no servers), so tests/test_bench_scale.py checks the arithmetic
the README states.
"""

from __future__ import annotations

import ipaddress
import math
import random
from dataclasses import dataclass
from urllib.parse import urlsplit

# One studio's busy hour (README, "The mix"). Polls are not sent by the generator: the
# worker makes them, one per link every CYAN_POLL_INTERVAL_SECONDS (300 s = 12 an hour).
PER_STUDIO_HOUR: dict[str, float] = {
    "webhook": 2.0,  # Pic-Time deliveries to the studio's link (10 % of them exact resends)
    "page_inbox": 6.0,  # a logged-in user opens the Inbox
    "page_contacts": 3.0,  # ... Contacts
    "page_reports": 3.0,  # ... Reports (client value)
    "import": 1.0,  # Import Order through the API with the studio's key
    "poll": 12.0,  # the worker polls the stand-in for the studio's link
}
SENT_KINDS = ("webhook", "page_inbox", "page_contacts", "page_reports", "import")
WORKER_KINDS = ("poll",)
POLL_INTERVAL_SECONDS = 300  # Cyan's default CYAN_POLL_INTERVAL_SECONDS
POLL_TICK_SECONDS = 30  # Cyan's default CYAN_POLL_TICK_SECONDS
RESEND_SHARE = 0.1

DEFAULT_STUDIOS = 1000
DEFAULT_DURATION_S = 180.0
DEFAULT_SPEED = 2.0  # simulated seconds per wall second
MAX_STUDIOS = 5000
MAX_DURATION_S = 900.0
MAX_REQUESTS = 60_000  # every request the generator may send in one mixed phase


class NotLoopback(ValueError):
    """The target is not 127.0.0.1: the generator only ever loads this machine."""


def require_loopback(url: str) -> str:
    """`url` unchanged when its host is the IPv4 loopback address 127.0.0.1, else
    NotLoopback. Names ("localhost") are refused too: they resolve through DNS/hosts."""
    host = urlsplit(url).hostname or ""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise NotLoopback(f"Refusing {url!r}: the host must be 127.0.0.1.") from None
    if address != ipaddress.IPv4Address("127.0.0.1"):
        raise NotLoopback(f"Refusing {url!r}: the host must be 127.0.0.1.")
    return url


@dataclass(frozen=True)
class Plan:
    studios: int
    duration_s: float
    speed: float

    @property
    def simulated_hours(self) -> float:
        return self.duration_s * self.speed / 3600

    def count(self, kind: str) -> int:
        """Requests of `kind` in the run: studios × per-studio-hour × simulated hours."""
        return round(self.studios * PER_STUDIO_HOUR[kind] * self.simulated_hours)

    def counts(self) -> dict[str, int]:
        return {kind: self.count(kind) for kind in PER_STUDIO_HOUR}

    def rate(self, kind: str) -> float:
        """Requests of `kind` per wall second."""
        return self.count(kind) / self.duration_s

    @property
    def resends(self) -> int:
        return round(self.count("webhook") * RESEND_SHARE)

    @property
    def poll_interval_s(self) -> int:
        """The worker's poll interval, compressed like the rest of the hour."""
        return max(1, round(POLL_INTERVAL_SECONDS / self.speed))

    @property
    def poll_tick_s(self) -> int:
        return max(1, round(POLL_TICK_SECONDS / self.speed))

    def check(self) -> Plan:
        if not 1 <= self.studios <= MAX_STUDIOS:
            raise ValueError(f"studios must be between 1 and {MAX_STUDIOS}")
        if not 10 <= self.duration_s <= MAX_DURATION_S:
            raise ValueError(f"duration must be between 10 and {MAX_DURATION_S:.0f} s")
        if not 0.1 <= self.speed <= 60:
            raise ValueError("speed must be between 0.1 and 60")
        sent = sum(self.count(kind) for kind in SENT_KINDS)
        if sent > MAX_REQUESTS:
            raise ValueError(f"{sent} requests in one run; the cap is {MAX_REQUESTS}")
        return self


@dataclass(frozen=True)
class Event:
    at: float  # seconds after the phase starts
    kind: str
    studio: int  # 0-based studio index
    index: int  # which one of its kind (webhook: the order number; resends repeat it)


def schedule(plan: Plan, seed: int = 2026) -> list[Event]:
    """Every request of the mixed phase at a random moment (uniform over the duration,
    i.e. Poisson arrivals), each for a random studio. A resend repeats an earlier
    webhook of the same studio, later than its original, as a provider's retry does."""
    rng = random.Random(seed)
    events: list[Event] = []
    webhooks = plan.count("webhook")
    originals = webhooks - plan.resends
    first_sends = [
        Event(rng.uniform(0, plan.duration_s), "webhook", rng.randrange(plan.studios), i)
        for i in range(originals)
    ]
    events += first_sends
    for original in rng.sample(first_sends, min(plan.resends, len(first_sends))):
        at = rng.uniform(original.at, plan.duration_s)
        events.append(Event(at, "webhook", original.studio, original.index))
    for kind in SENT_KINDS[1:]:
        events += [
            Event(rng.uniform(0, plan.duration_s), kind, rng.randrange(plan.studios), i)
            for i in range(plan.count(kind))
        ]
    return sorted(events, key=lambda event: event.at)


def items_per_studio(imports: int, studios: int) -> int:
    """Inbox items to seed per studio so every import has an unimported order."""
    return max(1, math.ceil(imports / studios))
