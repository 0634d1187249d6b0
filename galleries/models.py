"""Links between a studio and its online-gallery accounts, and pending OAuth authorisations."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import StudioOwned
from core.providers import Provider

# How long a started authorisation may take before its state is refused at the callback.
OAUTH_STATE_LIFETIME = timedelta(minutes=10)


class GalleryLink(StudioOwned):
    """One studio's link to one gallery-provider account.

    Secrets (tokens, webhook secret) are stored only Fernet-encrypted (galleries.crypto);
    the *_encrypted fields are never shown or logged. An unlinked row keeps its history
    (account, last order) but no secrets, and is reused when the studio links again.
    """

    class Status(models.TextChoices):
        LINKED = "linked", "Linked"
        NEEDS_RELINK = "needs_relink", "Needs re-linking"
        UNLINKED = "unlinked", "Unlinked"

    provider = models.CharField(max_length=20, choices=Provider.choices)
    provider_account_id = models.CharField(max_length=200)
    account_name = models.CharField(max_length=200, blank=True)
    account_email = models.EmailField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.LINKED)
    linked_at = models.DateTimeField(null=True, blank=True)
    unlinked_at = models.DateTimeField(null=True, blank=True)
    last_order_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)

    access_token_encrypted = models.TextField(blank=True)
    refresh_token_encrypted = models.TextField(blank=True)
    access_token_expires_at = models.DateTimeField(null=True, blank=True)
    scopes = models.CharField(max_length=500, blank=True)

    webhook_subscription_id = models.CharField(max_length=200, blank=True)
    webhook_secret_encrypted = models.TextField(blank=True)

    # Orders updated up to here have been fetched (the polling safety net moves it).
    sync_high_water_mark = models.DateTimeField(null=True, blank=True)
    # Polling (inbox.sync): the provider's own cheap-check cursor, when the next poll is
    # due (null: at the next round), the delay the provider chose last, and when the
    # last full reconcile finished (null: the next poll is one, e.g. the 90-day backfill).
    poll_cursor = models.CharField(max_length=500, blank=True)
    next_poll_at = models.DateTimeField(null=True, blank=True)
    poll_delay_seconds = models.PositiveIntegerField(null=True, blank=True)
    last_full_sync_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint("studio", "provider", name="galleries_one_link_per_provider"),
            # One provider account feeds one studio: only rows still holding the account
            # (linked or waiting for a re-link) count; an unlinked row frees it.
            models.UniqueConstraint(
                "provider",
                "provider_account_id",
                condition=~Q(status="unlinked"),
                name="galleries_account_feeds_one_studio",
            ),
        ]
        # The poll round's query: linked links whose next poll is due.
        indexes = [models.Index(fields=["status", "next_poll_at"])]

    def __str__(self) -> str:
        return f"{self.get_provider_display()} {self.account_name or self.provider_account_id}"

    @property
    def is_linked(self) -> bool:
        return self.status == self.Status.LINKED

    @property
    def needs_relink(self) -> bool:
        return self.status == self.Status.NEEDS_RELINK


class OAuthState(StudioOwned):
    """A started authorisation: the `state` sent to the provider and the PKCE verifier
    kept here, single-use and short-lived, so the callback can prove it answers us."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    provider = models.CharField(max_length=20, choices=Provider.choices)
    state = models.CharField(max_length=128, unique=True)
    code_verifier = models.CharField(max_length=128)
    redirect_uri = models.URLField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.provider} authorisation {self.state[:8]}…"

    @property
    def expires_at(self) -> datetime:
        return self.created_at + OAUTH_STATE_LIFETIME

    def is_expired(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.expires_at
