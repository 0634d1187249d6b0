"""A short per-process memory of webhook links: (provider, account id) → the link and
its decrypted webhook secret, for CACHE_SECONDS.

Every webhook would otherwise look its link up and Fernet-decrypt the secret: a query
and ~0.1 ms of CPU per request, for data that changes only when a studio links or
unlinks. The trade-off: a delivery signed with the old secret can be accepted for up to
CACHE_SECONDS after an unlink or relink made in *another* process; in the process that
made it the entry is forgotten at once (galleries.services, galleries.linking). Unknown
accounts are not remembered, so a new link is seen by its first webhook.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from galleries.models import GalleryLink

CACHE_SECONDS = 5.0
# Bounded, so a flood of deliveries for many accounts cannot grow a process without limit.
MAX_ENTRIES = 1000


@dataclass(frozen=True)
class KnownLink:
    link: GalleryLink
    secret: str
    expires: float


_entries: dict[tuple[str, str], KnownLink] = {}
_lock = threading.Lock()


def known_link(
    provider: str, account_id: str, *, load: Callable[[], tuple[GalleryLink, str] | None]
) -> tuple[GalleryLink, str] | None:
    """The link and secret of (provider, account_id): remembered, or `load()`ed (None:
    no link takes this account's webhooks; not remembered)."""
    key = (provider, account_id)
    now = time.monotonic()
    entry = _entries.get(key)
    if entry is not None and entry.expires > now:
        return entry.link, entry.secret
    found = load()
    if found is None:
        _entries.pop(key, None)
        return None
    with _lock:
        if len(_entries) >= MAX_ENTRIES:
            _entries.clear()
        _entries[key] = KnownLink(found[0], found[1], now + CACHE_SECONDS)
    return found


def forget_links() -> None:
    """Forget every remembered link, now and again when the current transaction commits
    (a webhook served meanwhile may have remembered the state before the change)."""
    with _lock:
        _entries.clear()
    transaction.on_commit(_clear)


def _clear() -> None:
    with _lock:
        _entries.clear()
