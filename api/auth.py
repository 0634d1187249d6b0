"""Bearer API-key authentication and a per-key rate limit for the REST API."""

from __future__ import annotations

import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.errors import Throttled
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from api.models import ApiKey
from api.services import authenticate_api_key
from core import throttle
from core.rates import parse_rate


class ApiKeyAuth(HttpBearer):
    """`Authorization: Bearer cyan_…`; the request is then scoped to the key's studio.

    An address that sent too many invalid keys is refused (429) until its window passes,
    even with a valid key: that is what stops guessing. Keys are not locked per key, as
    logins are per account: a key's secret is random (guessing one is hopeless), and a
    per-key lock would let anyone who saw a key's prefix stop a studio's integrations.
    """

    def authenticate(self, request: HttpRequest, token: str) -> ApiKey | None:
        address = throttle.address_counter("api-key", request)
        if address.locked():
            raise Throttled(wait=settings.CYAN_LOGIN_WINDOW_SECONDS)
        api_key = authenticate_api_key(token)
        if api_key is None:
            address.hit()
            return None
        request.studio = api_key.studio
        return api_key


class ApiKeyRateThrottle(BaseThrottle):
    """At most `rate` requests per key per window (per key, not per IP: Zapier calls from
    many addresses for many studios).

    A fixed-window counter in Django's shared cache (settings.CACHES: Redis, or Cyan's
    database): cache.add + cache.incr are atomic there, so every web process counts
    against one budget. Nothing per request is kept on this object, which one API shares
    between threads.
    """

    def __init__(self, rate: str | None = None) -> None:
        rate = rate or getattr(settings, "CYAN_API_RATE_LIMIT", "600/min")
        self.num_requests, self.duration = parse_rate(rate, name="CYAN_API_RATE_LIMIT")
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
