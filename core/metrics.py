"""Cyan's Prometheus metrics: every metric is named here, and the code that counts calls
one function in one line (`metrics.webhook_refused(provider, rejected.code)`).

Labels never carry customer data or anything a client chooses freely: providers, reason
codes, route names and outcomes come from Cyan's own small sets, and anything else is
counted as "other". The queue's depth and lag are not counted here but read from the
task table at scrape time (cyan/metrics.py), so every process reports the same truth.

Several processes (gunicorn workers, `cyan worker`) share their counts through
prometheus-client's multiprocess mode: set PROMETHEUS_MULTIPROC_DIR to an empty
directory, the same for every Cyan process on the machine, before they start
(docs/deploy.md).
"""

from __future__ import annotations

import re

from prometheus_client import Counter, Histogram

_WORD = re.compile(r"^[a-z0-9_.:-]{1,64}$")
_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}

WEBHOOKS = Counter(
    "cyan_webhooks",
    "Webhook deliveries received: accepted, or refused with the reason code.",
    ["provider", "outcome", "reason"],
)
POLLS = Counter(
    "cyan_polls", "Polls of a gallery link, and whether they failed.", ["provider", "outcome"]
)
IMPORTS = Counter("cyan_imports", "Orders imported as sales (Import Order).", ["source"])
MATCHES = Counter(
    "cyan_import_matches",
    "Contact matching when importing: match (certain), possible or none.",
    ["outcome"],
)
REQUEST_SECONDS = Histogram(
    "cyan_http_request_duration_seconds",
    "Time to answer a request, by route name (never the raw path).",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)


def label(value: object) -> str:
    """`value` when it is one of Cyan's own short names, else "other"."""
    text = str(value)
    return text if _WORD.match(text) else "other"


def webhook_accepted(provider: str) -> None:
    WEBHOOKS.labels(label(provider), "accepted", "").inc()


def webhook_refused(provider: str, reason: str) -> None:
    WEBHOOKS.labels(label(provider), "refused", label(reason)).inc()


def poll_finished(provider: str, *, failed: bool) -> None:
    POLLS.labels(label(provider), "failed" if failed else "ok").inc()


def order_imported(source: str) -> None:
    IMPORTS.labels(label(source)).inc()


def contact_matched(outcome: str) -> None:
    MATCHES.labels(label(outcome)).inc()


def request_served(method: str, route: str, status: int, seconds: float) -> None:
    method = method if method in _METHODS else "other"
    REQUEST_SECONDS.labels(method, label(route), str(status)).observe(seconds)
