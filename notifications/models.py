"""What the studio wants to be told by email, and the emails themselves (an outbox: a
notice is written in the same transaction as what caused it and sent by the worker, once
per key, so a repeated webhook or a retried task never sends a second email)."""

from __future__ import annotations

from django.db import models

from accounts.models import Studio, StudioOwned


class NotificationSettings(models.Model):
    class NewOrders(models.TextChoices):
        EACH = "each", "An email for each new order"
        DAILY = "daily", "One email a day listing the new orders"
        OFF = "off", "No email"

    studio = models.OneToOneField(Studio, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(
        blank=True, help_text="Where to send them. Empty: the studio owner's email address."
    )
    new_orders = models.CharField(max_length=10, choices=NewOrders.choices, default=NewOrders.DAILY)
    changes_after_import = models.BooleanField(
        default=True,
        help_text="An email when a refund or a cancellation at the gallery changes a sale "
        "you have already imported.",
    )
    digest_hour = models.PositiveSmallIntegerField(
        default=8, help_text="The daily email is sent after this hour, on the studio's clock."
    )
    last_digest_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Notifications of studio {self.studio_id}"


class Notice(StudioOwned):
    """One email to the studio. `key` says what it is about (the order, the version):
    the same key is never sent twice."""

    class Kind(models.TextChoices):
        NEW_ORDER = "new_order", "New order"
        DIGEST = "digest", "Daily new orders"
        CHANGED_AFTER_IMPORT = "changed_after_import", "Changed after import"

    key = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint("studio", "key", name="notifications_one_notice_per_key")
        ]
        indexes = [models.Index(fields=["sent_at", "created_at"])]

    def __str__(self) -> str:
        return self.subject
