"""Bearer API-key authentication and a per-key rate limit for the REST API."""

from __future__ import annotations

import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from api.models import ApiKey
from api.services import authenticate_api_key


class ApiKeyAuth(HttpBearer):
    """`Authorization: Bearer cyan_…`; the request is then scoped to the key's studio."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiKey | None:
        api_key = authenticate_api_key(token)
        if api_key is not None:
            request.studio = api_key.studio
        return api_key


PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """`"600/min"` → (600, 60)."""
    count, _, period = rate.partition("/")
    if period not in PERIODS:
        raise ValueError(f"Invalid rate {rate!r}: use e.g. '600/min'.")
    return int(count), PERIODS[period]


class ApiKeyRateThrottle(BaseThrottle):
    """At most `rate` requests per key per window (per key, not per IP: Zapier calls from
    many addresses for many studios).

    A fixed-window counter in Django's cache: cache.add + cache.incr are atomic in the
    cache backends, and nothing per request is kept on this object, which one API shares
    between threads. With several web processes and a per-process cache each process
    enforces the limit on its own.
    """

    def __init__(self, rate: str | None = None) -> None:
        rate = rate or getattr(settings, "CYAN_API_RATE_LIMIT", "600/min")
        self.num_requests, self.duration = parse_rate(rate)
        self._local = threading.local()

    def allow_request(self, request: HttpRequest) -> bool:
        api_key = getattr(request, "auth", None)
        if not isinstance(api_key, ApiKey):
            return True
        now = time.time()
        window = int(now // self.duration)
        # The prefix, not the pk: ids can be reused (e.g. after test rollbacks), prefixes not.
        key = f"cyan-api-rate:{api_key.prefix}:{window}"
        cache.add(key, 0, timeout=self.duration + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr: a new window has begun
            cache.add(key, 1, timeout=self.duration + 1)
            count = 1
        self._local.wait = (window + 1) * self.duration - now
        return count <= self.num_requests

    def wait(self) -> float | None:
        return getattr(self._local, "wait", None)
