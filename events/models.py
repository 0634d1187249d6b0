"""The outbox: events, the endpoints that receive them, and each delivery.

An Event is written in the same transaction as the change that caused it, together with
one Delivery per subscribed endpoint, so a crash can neither lose an event nor invent
one. The worker then delivers (events/delivery.py): at least once, each Delivery keeping
one `webhook-id` for all of its attempts so a receiver can drop repeats.
"""

from __future__ import annotations

from django.db import models

from accounts.models import StudioOwned

EVENT_TYPES = (
    ("sale.created", "A sale was created"),
    ("sale.updated", "A sale was changed (details, payment, cancellation)"),
    ("sale.refunded", "A refund was recorded on a sale"),
    ("contact.created", "A contact was created"),
    ("contact.updated", "A contact was changed"),
    ("inbox.order_received", "A new order arrived in the Inbox"),
    ("inbox.order_updated", "A later version of an Inbox order arrived"),
)
EVENT_NAMES = tuple(name for name, _ in EVENT_TYPES)
TEST_EVENT = "webhook.test"
# The reason kept when the studio disables an endpoint itself (no warning is shown then).
DISABLED_BY_STUDIO = "Disabled by you."


class WebhookEndpoint(StudioOwned):
    """Where events go: a studio's webhook endpoint, or a Zapier REST-hook subscription
    (one event each; a 410 from it deletes it, where an endpoint is only disabled)."""

    class Kind(models.TextChoices):
        ENDPOINT = "endpoint", "Webhook endpoint"
        REST_HOOK = "rest_hook", "REST hook (Zapier)"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        DISABLED = "disabled", "Disabled"

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ENDPOINT)
    url = models.URLField(max_length=2000)
    description = models.CharField(max_length=200, blank=True)
    events = models.JSONField(default=list)  # event type names
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    disabled_reason = models.CharField(max_length=300, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    # Fernet-encrypted `whsec_…` secrets (galleries.crypto). During a rotation the previous
    # secret signs too, until previous_secret_expires_at.
    secret_encrypted = models.TextField()
    previous_secret_encrypted = models.TextField(blank=True)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    # Set at the first failure after a success; cleared by a success.
    failing_since = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["studio", "kind", "status"])]

    def __str__(self) -> str:
        return self.url

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class Event(StudioOwned):
    type = models.CharField(max_length=40)
    # The exact JSON body sent ({type, timestamp, data}), kept as text so every attempt
    # sends the same bytes (a JSON column may reorder keys).
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.type} #{self.pk}"


class Delivery(StudioOwned):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SUCCEEDED = "succeeded", "Delivered"
        FAILED = "failed", "Failed"  # gave up: retries exhausted or the endpoint is gone

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    webhook_id = models.CharField(max_length=40, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    response_code = models.PositiveIntegerField(null=True, blank=True)
    latency_ms = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    # Due when pending; a claimed delivery's is pushed one lease ahead, so a worker that
    # died mid-attempt leaves it due again later (never lost, at least once).
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["endpoint", "-id"]),
        ]

    def __str__(self) -> str:
        return f"{self.webhook_id} → {self.endpoint_id}"
