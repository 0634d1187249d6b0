"""Reads of the api app, always scoped by studio."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import F, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import Studio
from api.models import ApiKey, IdempotencyRecord


def api_keys_for_studio(*, studio: Studio) -> QuerySet[ApiKey]:
    """The studio's keys, active ones first, newest first."""
    return ApiKey.objects.for_studio(studio).order_by(
        F("revoked_at").desc(nulls_first=True), "-created_at", "-id"
    )


def active_api_keys_for_studio(*, studio: Studio) -> QuerySet[ApiKey]:
    return ApiKey.objects.for_studio(studio).filter(revoked_at__isnull=True)


def studio_has_active_api_key(*, studio: Studio) -> bool:
    return active_api_keys_for_studio(studio=studio).exists()


def get_api_key(*, studio: Studio, pk: int) -> ApiKey:
    """The studio's key `pk`, or Http404 (another studio's key is not found either)."""
    return get_object_or_404(ApiKey.objects.for_studio(studio), pk=pk)


def find_idempotency_record(*, studio: Studio, key: str) -> IdempotencyRecord | None:
    return IdempotencyRecord.objects.for_studio(studio).filter(key=key).first()


def is_expired(record: IdempotencyRecord, *, ttl: timedelta) -> bool:
    return record.created_at < timezone.now() - ttl
