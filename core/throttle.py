"""Counting failures (wrong passwords, invalid API keys) in the shared cache.

Each counter is a cache key created with the window's lifetime and incremented
atomically, so every web process sees the same count (settings.CACHES). A counter
that reaches its limit locks until the window it started has passed. Account names are
hashed into keys, so an email never sits in the cache in clear.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


@dataclass(frozen=True)
class Counter:
    key: str
    limit: int

    def count(self) -> int:
        return int(cache.get(self.key, 0))

    def locked(self) -> bool:
        return self.count() >= self.limit

    def hit(self) -> int:
        window = settings.CYAN_LOGIN_WINDOW_SECONDS
        if cache.add(self.key, 1, timeout=window):
            return 1
        try:
            return cache.incr(self.key)
        except ValueError:  # expired between add and incr: a new window begins
            cache.add(self.key, 1, timeout=window)
            return 1

    def clear(self) -> None:
        cache.delete(self.key)


def client_address(request: HttpRequest) -> str:
    return str(request.META.get(settings.CYAN_CLIENT_ADDRESS_META, "")).strip() or "unknown"


def _digest(value: str) -> str:
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]


def account_counter(scope: str, account: str) -> Counter:
    """Failures for one account (an email; an API key's prefix) from any address."""
    return Counter(
        f"cyan-fail:{scope}:account:{_digest(account)}", settings.CYAN_LOGIN_ACCOUNT_FAILURES
    )


def address_counter(scope: str, request: HttpRequest) -> Counter:
    """Failures from one client address, whatever account they named."""
    key = f"cyan-fail:{scope}:address:{_digest(client_address(request))}"
    return Counter(key, settings.CYAN_LOGIN_ADDRESS_FAILURES)


def locked(*counters: Counter) -> bool:
    return any(counter.locked() for counter in counters)


def record_failure(*counters: Counter) -> None:
    for counter in counters:
        counter.hit()


def locked_message() -> str:
    minutes = max(1, settings.CYAN_LOGIN_WINDOW_SECONDS // 60)
    return (
        "Too many failed log-in attempts. For your security, logging in is paused; "
        f"try again in {minutes} minutes."
    )
