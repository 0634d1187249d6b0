"""Sending deliveries: claim the due ones, POST each, record the outcome.

At least once: a delivery is claimed by pushing its `next_attempt_at` one lease ahead
and committing; the POST happens outside any transaction (no lock is held over the
network, which on SQLite would block every writer for up to the 15 s timeout); the
outcome is recorded in a second transaction. A worker that dies between the POST and
that commit leaves the delivery claimed until the lease runs out, then it is sent again
with the same `webhook-id`, which is how the receiver recognises the repeat.

Retries back off over about three days (RETRY_DELAYS). A `410 Gone` disables an endpoint
(and deletes a REST-hook subscription: Zapier's convention for "unsubscribed"); a
delivery that exhausts its retries while the endpoint has had no success since it began
failing disables the endpoint and tells the studio on the Webhooks page.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta

import requests
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from events.models import Delivery, WebhookEndpoint
from events.secrets import signature_header
from events.targets import TargetRefused, check_url
from galleries.crypto import InvalidToken, decrypt_secret

logger = logging.getLogger(__name__)

# After attempt n fails, wait RETRY_DELAYS[n-1]: 5 s … 20 h, ~71 hours in all.
RETRY_DELAYS = tuple(
    timedelta(seconds=s) for s in (5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 72000)
)
TIMEOUT_SECONDS = 15
USER_AGENT = "Cyan-Webhooks/1"


def lease() -> timedelta:
    """How long a claimed delivery stays the claimant's: longer than one attempt can take."""
    return timedelta(seconds=getattr(settings, "CYAN_WEBHOOKS_LEASE_SECONDS", 60))


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status_code: int | None
    latency_ms: int | None
    error: str = ""


def claim_due(*, limit: int = 20) -> list[Delivery]:
    """Take up to `limit` due deliveries of active endpoints for this worker.

    On PostgreSQL, `skip_locked` lets several workers claim side by side without waiting
    on each other or taking the same row; SQLite has one writer at a time anyway."""
    now = timezone.now()
    with transaction.atomic():
        due = Delivery.objects.filter(
            status=Delivery.Status.PENDING,
            next_attempt_at__lte=now,
            endpoint__status=WebhookEndpoint.Status.ACTIVE,
        ).order_by("next_attempt_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True, of=("self",))
        claimed = list(due[:limit])
        ids = [delivery.pk for delivery in claimed]
        Delivery.objects.filter(pk__in=ids).update(next_attempt_at=now + lease())
    return list(
        Delivery.objects.filter(pk__in=ids).select_related("endpoint", "event").order_by("id")
    )


def _secrets(endpoint: WebhookEndpoint) -> list[str]:
    secrets = [decrypt_secret(endpoint.secret_encrypted)]
    expires = endpoint.previous_secret_expires_at
    if endpoint.previous_secret_encrypted and expires and expires > timezone.now():
        secrets.append(decrypt_secret(endpoint.previous_secret_encrypted))
    return secrets


def signed_headers(delivery: Delivery) -> dict[str, str]:
    now = timezone.now()
    body = delivery.event.body
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "webhook-id": delivery.webhook_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature_header(
            secrets=_secrets(delivery.endpoint),
            webhook_id=delivery.webhook_id,
            timestamp=now,
            body=body,
        ),
    }


def send(delivery: Delivery) -> Outcome:
    """POST the event to the endpoint (no redirects followed: a redirect could lead to a
    private address the URL check never saw)."""
    try:
        check_url(delivery.endpoint.url)
        headers = signed_headers(delivery)
    except (TargetRefused, InvalidToken) as exc:
        return Outcome(False, None, None, str(exc) or "The secret cannot be decrypted.")
    started = time.monotonic()
    try:
        response = requests.post(
            delivery.endpoint.url,
            data=delivery.event.body.encode(),
            headers=headers,
            timeout=TIMEOUT_SECONDS,
            allow_redirects=False,
        )
    except requests.RequestException as exc:
        latency = int((time.monotonic() - started) * 1000)
        return Outcome(False, None, latency, f"{type(exc).__name__}: {exc}"[:300])
    latency = int((time.monotonic() - started) * 1000)
    response.close()
    return Outcome(200 <= response.status_code < 300, response.status_code, latency)


def _gone(delivery: Delivery, endpoint: WebhookEndpoint) -> None:
    if endpoint.kind == WebhookEndpoint.Kind.REST_HOOK:
        logger.info("REST hook %s answered 410 Gone: subscription deleted", endpoint.pk)
        endpoint.delete()
        return
    delivery.status = Delivery.Status.FAILED
    delivery.next_attempt_at = None
    delivery.save()
    _disable(endpoint, "The endpoint answered 410 Gone, so Cyan stopped sending to it.")


def _disable(endpoint: WebhookEndpoint, reason: str) -> None:
    endpoint.status = WebhookEndpoint.Status.DISABLED
    endpoint.disabled_reason = reason
    endpoint.disabled_at = timezone.now()
    endpoint.save(update_fields=["status", "disabled_reason", "disabled_at"])
    logger.warning("Webhook endpoint %s disabled: %s", endpoint.pk, reason)


def _failed(delivery: Delivery, endpoint: WebhookEndpoint, now) -> None:  # type: ignore[no-untyped-def]
    if endpoint.failing_since is None:
        endpoint.failing_since = now
        endpoint.save(update_fields=["failing_since"])
    if delivery.attempts <= len(RETRY_DELAYS):
        delivery.next_attempt_at = now + RETRY_DELAYS[delivery.attempts - 1]
        delivery.save()
        return
    delivery.status = Delivery.Status.FAILED
    delivery.next_attempt_at = None
    delivery.save()
    # Disabled only when nothing got through since this delivery's own retries began.
    if now - endpoint.failing_since >= sum(RETRY_DELAYS, timedelta()):
        _disable(
            endpoint,
            f"Every delivery failed for {len(RETRY_DELAYS) + 1} attempts over about three "
            f"days (last: {delivery.last_error or f'HTTP {delivery.response_code}'}).",
        )


@transaction.atomic
def record_outcome(delivery: Delivery, outcome: Outcome) -> None:
    """Write one attempt's result; the delivery row is locked so a Resend racing the
    worker is not overwritten half-way."""
    now = timezone.now()
    current = Delivery.objects.select_for_update().filter(pk=delivery.pk).first()
    endpoint = WebhookEndpoint.objects.filter(pk=delivery.endpoint_id).first()
    if current is None or endpoint is None:
        return  # deleted meanwhile (with its endpoint): nothing to record
    current.attempts += 1
    current.last_attempt_at = now
    current.response_code = outcome.status_code
    current.latency_ms = outcome.latency_ms
    current.last_error = outcome.error
    if outcome.ok:
        current.status = Delivery.Status.SUCCEEDED
        current.delivered_at = now
        current.next_attempt_at = None
        current.save()
        if endpoint.failing_since is not None:
            endpoint.failing_since = None
            endpoint.save(update_fields=["failing_since"])
    elif outcome.status_code == 410:
        _gone(current, endpoint)
    else:
        _failed(current, endpoint, now)


def attempt(delivery: Delivery) -> Outcome:
    outcome = send(delivery)
    record_outcome(delivery, outcome)
    return outcome


def concurrency() -> int:
    return max(1, getattr(settings, "CYAN_WEBHOOKS_SEND_CONCURRENCY", 8))


def deliver_due(*, limit: int = 16) -> int:
    """Claim and send what is due, batch after batch, until nothing is; returns how many
    attempts were made.

    A batch's POSTs go out side by side (threads doing HTTP only: everything they need
    was loaded with the claim), so one endpoint that is slow to time out does not hold
    up everyone else's events; the outcomes are then recorded here, one transaction
    each. A batch takes at most ceil(limit / concurrency) × the timeout, inside the lease."""
    made = 0
    with ThreadPoolExecutor(max_workers=concurrency(), thread_name_prefix="webhook") as pool:
        while batch := claim_due(limit=limit):
            for delivery, outcome in zip(batch, pool.map(send, batch), strict=True):
                record_outcome(delivery, outcome)
                made += 1
    return made
