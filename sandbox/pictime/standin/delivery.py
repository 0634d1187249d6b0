"""Sending webhooks: Standard Webhooks signatures, retries with backoff, fault modes,
and the background thread that runs it all inside the ``serve`` process."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import requests
from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone
from standardwebhooks import Webhook

from .models import Delivery, DeliveryAttempt, DeliveryControl
from .webhooks import get_mode

log = logging.getLogger(__name__)
_pass_lock = threading.Lock()
_wake_event = threading.Event()
USER_AGENT = "Pic-Time-Webhooks/1.0 (Cyan stand-in)"


@dataclass(frozen=True)
class SendResult:
    status_code: int | None
    error: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def signed_headers(*, secret: str, msg_id: str, body: str, at: datetime) -> dict[str, str]:
    signature = Webhook(secret).sign(msg_id=msg_id, timestamp=at, data=body)
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signature,
        "content-type": "application/json",
        "user-agent": USER_AGENT,
    }


def send(delivery: Delivery) -> SendResult:
    """POST the raw body once, signed with a fresh timestamp."""
    at = datetime.now(UTC)
    headers = signed_headers(
        secret=delivery.endpoint.secret, msg_id=delivery.msg_id, body=delivery.payload, at=at
    )
    started = time.monotonic()
    try:
        response = requests.post(
            delivery.endpoint.url,
            data=delivery.payload.encode("utf-8"),
            headers=headers,
            timeout=settings.PICTIME_WEBHOOK_TIMEOUT,
            allow_redirects=False,
        )
        status, error = response.status_code, ""
        if not 200 <= status < 300:
            error = f"HTTP {status}"
    except requests.RequestException as exc:
        status, error = None, f"{type(exc).__name__}: {exc}"[:500]
    return SendResult(status, error, int((time.monotonic() - started) * 1000))


def _record(delivery: Delivery, result: SendResult, *, started: datetime, dup: bool) -> None:
    DeliveryAttempt.objects.create(
        delivery=delivery,
        number=delivery.attempt_count + 1,
        started_at=started,
        duration_ms=result.duration_ms,
        status_code=result.status_code,
        error=result.error,
        outcome=DeliveryAttempt.Outcome.SUCCEEDED if result.ok else DeliveryAttempt.Outcome.FAILED,
        duplicate=dup,
    )


def _finish(delivery: Delivery, status: str, **fields: object) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(status=status, **fields)


def _drop(delivery: Delivery) -> None:
    now = timezone.now()
    DeliveryAttempt.objects.create(
        delivery=delivery,
        number=delivery.attempt_count + 1,
        started_at=now,
        error="dropped by fault injection (mode=drop); never delivered",
        outcome=DeliveryAttempt.Outcome.DROPPED,
    )
    _finish(
        delivery, Delivery.Status.DROPPED, attempt_count=delivery.attempt_count + 1, finished_at=now
    )


def next_retry_delay(failed_attempts: int) -> float | None:
    """Seconds before the next try after ``failed_attempts`` failures; None: give up."""
    schedule = settings.PICTIME_WEBHOOK_RETRY_SCHEDULE
    if failed_attempts - 1 < len(schedule):
        return float(schedule[failed_attempts - 1])
    return None


def attempt(delivery: Delivery, mode: str) -> str:
    """One delivery attempt (two identical POSTs in ``duplicate`` mode)."""
    if delivery.endpoint.disabled_at is not None:
        _finish(delivery, Delivery.Status.CANCELLED, finished_at=timezone.now())
        return Delivery.Status.CANCELLED
    if mode == DeliveryControl.Mode.DROP:
        _drop(delivery)
        return Delivery.Status.DROPPED
    copies = 2 if mode == DeliveryControl.Mode.DUPLICATE else 1
    ok = False
    for copy in range(copies):
        started = timezone.now()
        result = send(delivery)
        _record(delivery, result, started=started, dup=copy > 0)
        ok = ok or result.ok
    count = delivery.attempt_count + 1
    now = timezone.now()
    if ok:
        _finish(delivery, Delivery.Status.SUCCEEDED, attempt_count=count, finished_at=now)
        return Delivery.Status.SUCCEEDED
    delay = next_retry_delay(count)
    if delay is None:
        _finish(delivery, Delivery.Status.FAILED, attempt_count=count, finished_at=now)
        return Delivery.Status.FAILED
    next_at = now + timedelta(seconds=delay)
    _finish(delivery, Delivery.Status.PENDING, attempt_count=count, next_attempt_at=next_at)
    return Delivery.Status.PENDING


def _next_due() -> Delivery | None:
    return (
        Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=timezone.now())
        .select_related("endpoint", "account__user")
        .order_by("release_rank", "created_at", "id")
        .first()
    )


def _claim(delivery: Delivery) -> bool:
    claimed = Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.PENDING).update(
        status=Delivery.Status.SENDING
    )
    return claimed == 1


def process_due(limit: int = 500) -> dict[str, object]:
    """Attempt every delivery that is due now, one at a time in release order.
    Held (nothing sent) while the mode is ``paused`` or ``reverse``."""
    outcomes: dict[str, int] = {}
    attempted = 0
    with _pass_lock:
        mode = get_mode()
        while attempted < limit:
            mode = get_mode()
            if mode in (DeliveryControl.Mode.PAUSED, DeliveryControl.Mode.REVERSE):
                break
            delivery = _next_due()
            if delivery is None:
                break
            if not _claim(delivery):
                continue
            status = attempt(delivery, mode)
            outcomes[status] = outcomes.get(status, 0) + 1
            attempted += 1
    held = Delivery.objects.filter(status=Delivery.Status.PENDING).count()
    return {"mode": mode, "attempted": attempted, "outcomes": outcomes, "pending": held}


def reset_interrupted() -> int:
    """Deliveries left ``sending`` by a killed process go back to the queue."""
    return Delivery.objects.filter(status=Delivery.Status.SENDING).update(
        status=Delivery.Status.PENDING, next_attempt_at=timezone.now()
    )


def wake() -> None:
    _wake_event.set()


class DeliveryWorker(threading.Thread):
    """Polls for due deliveries; woken early when an event is queued."""

    def __init__(self, poll_seconds: float = 0.25) -> None:
        super().__init__(name="pictime-webhooks", daemon=True)
        self.poll_seconds = poll_seconds
        self.stopping = threading.Event()

    def run(self) -> None:
        log.info("webhook delivery worker started")
        while not self.stopping.is_set():
            try:
                process_due()
            except Exception:
                log.exception("webhook delivery pass failed")
            finally:
                close_old_connections()
            _wake_event.wait(self.poll_seconds)
            _wake_event.clear()

    def stop(self) -> None:
        self.stopping.set()
        wake()


def start_worker() -> DeliveryWorker:
    worker = DeliveryWorker()
    worker.start()
    return worker
