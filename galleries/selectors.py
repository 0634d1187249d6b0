"""Reads about gallery links, always scoped by studio."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Studio
from core.providers import Provider
from galleries.models import GalleryLink


def studio_has_active_api_key(*, studio: Studio) -> bool:
    """Linking a gallery needs an API key first (the Online Galleries tab says so)."""
    try:
        from api.selectors import studio_has_active_api_key as api_selector
    except ImportError:  # the api app's selectors may not exist yet
        from api.models import ApiKey

        return ApiKey.objects.filter(studio=studio, revoked_at__isnull=True).exists()
    return api_selector(studio=studio)


def link_for_studio(*, studio: Studio, provider: str = Provider.PICTIME) -> GalleryLink | None:
    """The studio's link to `provider`, whatever its status (None if never linked)."""
    return GalleryLink.objects.for_studio(studio).filter(provider=provider).first()


def active_link_for_studio(
    *, studio: Studio, provider: str = Provider.PICTIME
) -> GalleryLink | None:
    """The studio's link that still holds tokens (linked, or waiting for a re-link)."""
    return (
        GalleryLink.objects.for_studio(studio)
        .filter(provider=provider)
        .exclude(status=GalleryLink.Status.UNLINKED)
        .first()
    )


def links_needing_attention(*, studio: Studio) -> QuerySet[GalleryLink]:
    """Links the photographer must re-link (refresh refused, access revoked at the provider).
    The Inbox shows the same warning as the Online Galleries tab."""
    return (
        GalleryLink.objects.for_studio(studio)
        .filter(status=GalleryLink.Status.NEEDS_RELINK)
        .order_by("provider")
    )


def link_for_provider_account(*, provider: str, provider_account_id: str) -> GalleryLink | None:
    """The link (of whichever studio) that holds a provider account: incoming webhooks
    name the account, not the studio."""
    return (
        GalleryLink.objects.filter(provider=provider, provider_account_id=provider_account_id)
        .exclude(status=GalleryLink.Status.UNLINKED)
        .select_related("studio")
        .first()
    )
