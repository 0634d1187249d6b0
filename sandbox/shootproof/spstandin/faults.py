"""Fault injection for /studio: slow answers, 429 (with or without Retry-After), 5xx.
The mode lives in one database row so every thread of the server sees the same switch;
``count`` limits it to the next N API requests."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db import transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from oauth2_provider.models import AccessToken, RefreshToken

from .http import problem
from .models import Fault

Mode = Fault.Mode
MODES = (*Mode.values, "revoke_tokens")


class FaultError(ValueError):
    pass


def current() -> Fault:
    fault, _ = Fault.objects.get_or_create(pk=1)
    return fault


def describe(fault: Fault) -> dict:
    return {
        "mode": fault.mode,
        "seconds": fault.seconds,
        "status": fault.status,
        "count": fault.remaining,
    }


@transaction.atomic
def set_mode(
    mode: str, seconds: float | None = None, count: int | None = None, status: int | None = None
) -> Fault:
    if mode not in Mode.values:
        raise FaultError(f"mode must be one of {', '.join(MODES)}.")
    if count is not None and count < 1:
        raise FaultError("count must be 1 or more (or left out: until switched off).")
    if status is not None and not 500 <= status <= 599:
        raise FaultError("status must be a 5xx code.")
    default_seconds = {Mode.SLOW: 2.0, Mode.RATE_LIMIT: 30.0}.get(mode, 0.0)
    fault = current()
    fault.mode = mode
    fault.seconds = default_seconds if seconds is None else max(0.0, float(seconds))
    fault.status = status or 503
    fault.remaining = count
    fault.changed_at = timezone.now()
    fault.save()
    return fault


@transaction.atomic
def revoke_tokens(email: str = "") -> int:
    """Every token (of one studio, or all) stops working, as when a user disconnects."""
    access = AccessToken.objects.all()
    refresh = RefreshToken.objects.filter(revoked__isnull=True)
    if email:
        access = access.filter(user__username=email.strip().lower())
        refresh = refresh.filter(user__username=email.strip().lower())
    count = refresh.count() + access.count()  # before: revoking a refresh token drops its access
    for token in refresh:
        token.revoke()
    access.delete()
    return count


def _claim() -> Fault | None:
    """The fault to apply to this request, if any; uses up one of ``count``."""
    fault = Fault.objects.filter(pk=1).first()
    if fault is None or fault.mode == Mode.NONE:
        return None
    if fault.remaining is None:
        return fault
    taken = Fault.objects.filter(pk=1, mode=fault.mode, remaining__gt=0).update(
        remaining=F("remaining") - 1
    )
    Fault.objects.filter(pk=1, remaining__lte=0).update(mode=Mode.NONE, remaining=None)
    return fault if taken else None


def _answer(fault: Fault) -> HttpResponse | None:
    if fault.mode == Mode.SLOW:
        time.sleep(fault.seconds)
        return None
    if fault.mode == Mode.RATE_LIMIT:
        seconds = max(1, round(fault.seconds))
        return problem(
            429, "Too many requests. Try again later.", headers={"Retry-After": str(seconds)}
        )
    if fault.mode == Mode.RATE_LIMIT_NO_RETRY_AFTER:
        return problem(429, "Too many requests. Try again later.")
    return problem(fault.status, "The service is having trouble. Try again later.")


class FaultMiddleware:
    """Applies the fault switch to the resource API only (not OAuth, pages or control)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == "/studio" or request.path.startswith("/studio/"):
            fault = _claim()
            if fault is not None and (response := _answer(fault)) is not None:
                return response
        return self.get_response(request)
