"""`/metrics` for Prometheus, its guard, the queue read at scrape time, and the request
latency middleware.

- Who may scrape: a request straight from loopback (no X-Forwarded-For, Forwarded or
  X-Real-IP header: a reverse proxy on the same machine adds one, so the internet cannot
  pass as loopback through it), or one with `Authorization: Bearer <CYAN_METRICS_TOKEN>`.
  Anyone else gets 403.
- What: the counters of core/metrics.py (from every process sharing
  PROMETHEUS_MULTIPROC_DIR when it is set, else this process's own), plus the queue's
  depth and lag per queue and the scheduler heartbeat's age, read when scraped.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import time
from collections.abc import Callable, Iterator

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from core import metrics
from cyan.health import queue_backlog, scheduler_heartbeat

logger = logging.getLogger("cyan.metrics")
FORWARDING_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")


def metrics_view(request: HttpRequest) -> HttpResponse:
    if not may_scrape(request):
        return JsonResponse(
            {"error": {"code": "forbidden", "message": "Metrics are for loopback or a token."}},
            status=403,
        )
    return HttpResponse(generate_latest(scrape_registry()), content_type=CONTENT_TYPE_LATEST)


def may_scrape(request: HttpRequest) -> bool:
    token = settings.CYAN_METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if token and given.startswith("Bearer "):
        return hmac.compare_digest(given.removeprefix("Bearer ").encode(), token.encode())
    return straight_from_loopback(request)


def straight_from_loopback(request: HttpRequest) -> bool:
    if any(request.META.get(header) for header in FORWARDING_HEADERS):
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


def scrape_registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_ThisProcess())
    registry.register(_Backlog())
    return registry


class _ThisProcess:
    """The process's own default registry (single-process mode, e.g. tests)."""

    def collect(self) -> Iterator[Metric]:
        yield from REGISTRY.collect()


class _Backlog:
    """The queue and the scheduler as they are now, the same whichever process answers."""

    def collect(self) -> Iterator[Metric]:
        ready = GaugeMetricFamily("cyan_queue_ready_tasks", "Tasks ready to run.", labels=["queue"])
        lag = GaugeMetricFamily(
            "cyan_queue_lag_seconds",
            "How long the oldest ready task has waited since it was due.",
            labels=["queue"],
        )
        try:
            backlog = {"default": {"ready": 0, "lag_seconds": 0.0}, **queue_backlog()}
        except DatabaseError as exc:
            logger.warning("Queue metrics unavailable: %s", type(exc).__name__)
            backlog = {}
        for queue, figures in backlog.items():
            ready.add_metric([metrics.label(queue)], figures["ready"])
            lag.add_metric([metrics.label(queue)], figures["lag_seconds"])
        yield ready
        yield lag
        yield from _scheduler_age()


def _scheduler_age() -> Iterator[Metric]:
    try:
        beat = scheduler_heartbeat()
    except Exception as exc:  # the shared cache is down
        logger.warning("Scheduler heartbeat unreadable: %s", type(exc).__name__)
        return
    if beat is not None:
        yield GaugeMetricFamily(
            "cyan_scheduler_heartbeat_age_seconds",
            "Seconds since the elected scheduler's last heartbeat.",
            value=beat[1],
        )


class RequestMetricsMiddleware:
    """Times every request into cyan_http_request_duration_seconds, labelled by the
    route's name (`contacts:detail`), never by the path that holds ids or queries."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        metrics.request_served(
            request.method or "",
            route_name(request),
            response.status_code,
            time.perf_counter() - started,
        )
        return response


def route_name(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name
    if request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
        return "static"
    return "unresolved"
