"""Every write of the api app: API keys (generate, rotate, revoke, touch), idempotency records."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Studio
from api import keys
from api.models import ApiKey, IdempotencyRecord

# Writing last_used_at on every request would turn every read into a write; a minute's
# precision is all the "last used" column needs.
LAST_USED_PRECISION = timedelta(minutes=1)
MAX_NAME_LENGTH = ApiKey._meta.get_field("name").max_length
# How long an Idempotency-Key is remembered (as Stripe does): long enough for any retry.
IDEMPOTENCY_TTL = timedelta(hours=24)


def _unused_prefix() -> str:
    # 36^8 prefixes make a clash very unlikely; the loop makes it impossible.
    while True:
        prefix = keys.random_prefix()
        if not ApiKey.objects.filter(prefix=prefix).exists():
            return prefix


def _clean_name(name: str) -> str:
    cleaned = (name or "").strip() or "API key"
    if len(cleaned) > MAX_NAME_LENGTH:
        raise ValidationError({"name": f"Use at most {MAX_NAME_LENGTH} characters."})
    return cleaned


@transaction.atomic
def generate_api_key(*, studio: Studio, name: str = "API key") -> tuple[ApiKey, str]:
    """A new key for `studio`; the plaintext is returned here once and never stored."""
    prefix = _unused_prefix()
    raw = keys.format_key(prefix, keys.random_secret())
    api_key = ApiKey.objects.create(
        studio=studio, name=_clean_name(name), prefix=prefix, key_hash=keys.hash_key(raw)
    )
    return api_key, raw


@transaction.atomic
def rotate_api_key(*, api_key: ApiKey) -> tuple[ApiKey, str]:
    """Revoke `api_key` and issue its replacement (same name) in one step."""
    current = ApiKey.objects.select_for_update().get(pk=api_key.pk)
    if current.revoked_at is not None:
        raise ValidationError({"api_key": "This key is revoked; generate a new one instead."})
    current.revoked_at = timezone.now()
    current.save(update_fields=["revoked_at"])
    api_key.revoked_at = current.revoked_at
    return generate_api_key(studio=current.studio, name=current.name)


@transaction.atomic
def revoke_api_key(*, api_key: ApiKey) -> ApiKey:
    """Stop `api_key` working at once. Revoking a revoked key changes nothing."""
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        ApiKey.objects.filter(pk=api_key.pk, revoked_at__isnull=True).update(
            revoked_at=api_key.revoked_at
        )
    return api_key


def authenticate_api_key(raw: str) -> ApiKey | None:
    """The active key matching `raw` (its studio loaded), or None. Records its use."""
    parts = keys.split_key(raw)
    if parts is None:
        return None
    api_key = (
        ApiKey.objects.select_related("studio")
        .filter(prefix=parts[0], revoked_at__isnull=True)
        .first()
    )
    if api_key is None or not keys.hashes_match(raw, api_key.key_hash):
        return None
    _touch(api_key)
    return api_key


def _touch(api_key: ApiKey) -> None:
    now = timezone.now()
    if api_key.last_used_at is not None and now - api_key.last_used_at < LAST_USED_PRECISION:
        return
    # A filtered UPDATE, not save(): concurrent requests cannot overwrite a revocation.
    ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
    api_key.last_used_at = now


def store_idempotent_response(
    *,
    studio: Studio,
    key: str,
    method: str,
    path: str,
    request_hash: str,
    status_code: int,
    body: Any,
) -> IdempotencyRecord:
    """Record the first response to a keyed POST. Runs inside the caller's transaction, so
    the record commits with the object it describes (or neither does); a concurrent request
    with the same key makes this raise IntegrityError, which the caller turns into a replay."""
    return IdempotencyRecord.objects.create(
        studio=studio,
        key=key,
        method=method,
        path=path,
        request_hash=request_hash,
        status_code=status_code,
        response_body=body,
    )


def forget_idempotency_record(*, record: IdempotencyRecord) -> None:
    """Drop an expired record so its key can start afresh (in the caller's transaction)."""
    IdempotencyRecord.objects.filter(pk=record.pk).delete()


@transaction.atomic
def purge_expired_idempotency_records() -> int:
    """Delete records older than IDEMPOTENCY_TTL; returns how many. For a periodic job."""
    cutoff = timezone.now() - IDEMPOTENCY_TTL
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
