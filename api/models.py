"""API keys (stored only as a hash) and idempotency records for POSTs."""

from __future__ import annotations

from django.db import models

from accounts.models import StudioOwned
from api.keys import display_prefix


class ApiKey(StudioOwned):
    name = models.CharField(max_length=100, default="API key")
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.shown_prefix})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def shown_prefix(self) -> str:
        """The part of the key that may be shown again, e.g. `cyan_ab12cd34_…`."""
        return display_prefix(self.prefix)


class IdempotencyRecord(StudioOwned):
    """The first response to a POST with an Idempotency-Key, replayed for repeats."""

    key = models.CharField(max_length=200)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=300)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint("studio", "key", name="uniq_idempotency_key_per_studio"),
        ]
