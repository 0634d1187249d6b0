"""Cyan's WSGI app with the webhook view swapped for a what-if variant (benchmark only).

    BENCH_VARIANT=recommended|defer gunicorn variant_wsgi:application

`recommended` is the view with the README's fixes (link cached 30 s, last_order_at
touched at most once a minute, no delivery-key pre-check); `defer` only verifies and
stores the raw delivery for a worker. See whatif.py; the app itself is not modified.
"""

from __future__ import annotations

import os

from django.urls import get_resolver
from whatif import build_view, create_deferred_table

from cyan.wsgi import application

VARIANTS = {
    "recommended": {"cache_link": True, "touch_rarely": True, "optimistic": True, "defer": False},
    "defer": {"cache_link": True, "touch_rarely": False, "optimistic": False, "defer": True},
}


def swap_webhook_view(variant: str) -> None:
    view = build_view(**VARIANTS[variant])
    for pattern in get_resolver().url_patterns:
        if getattr(pattern, "name", None) == "pictime_webhook":
            pattern.callback = view
            return
    raise RuntimeError(
        "the pictime_webhook URL pattern was not found (cyan/urls.py webhook_patterns)"
    )


_variant = os.environ.get("BENCH_VARIANT", "recommended")
if _variant == "defer":
    create_deferred_table()
swap_webhook_view(_variant)

__all__ = ["application"]
