"""Webhook deliveries straight to their receiver, past Django's middleware stack.

A webhook is a signed POST from a provider's server: none of Cyan's middlewares does
anything for it (sessions, auth, CSRF, CSP, messages, htmx, whitenoise), yet they cost
about a fifth of accepting one (issue 15). `dispatch` sends a POST to a provider's
webhook URL to `WebhookHandler`, Django's own WSGI handler with a one-step chain in
place of the middlewares, and everything else to Django as before. What the webhook
still needs of the stack is done here: the host check (ALLOWED_HOSTS), the request id
(echoed and logged, cyan.logs), the request metrics (cyan.metrics), a 500 for an
unexpected error (logged by Django, no body or headers in it), and the request
started/finished signals that keep database connections healthy. The receiver itself
(inbox.webhooks) checks the size, the media type and the signature, as before.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.core.handlers import base
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest, HttpResponse

from core import metrics
from cyan.logs import REQUEST_ID_HEADER, incoming_request_id, request_id, request_logger

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def webhook_routes() -> dict[str, str]:
    """PATH_INFO → provider name, for every provider with webhooks (as cyan/urls.py)."""
    from galleries import providers

    return {
        f"/galleries/webhooks/{provider.name}/": provider.name
        for provider in providers.all()
        if provider.has_webhooks
    }


class WebhookHandler(WSGIHandler):
    """Django's WSGIHandler (signals, request, response, error pages) whose middleware
    chain is the webhook receiver alone."""

    def __init__(self, routes: dict[str, str]) -> None:
        base.BaseHandler.__init__(self)  # not WSGIHandler's: it loads the middlewares
        self.routes = routes
        self._receive_safely = convert_exception_to_response(self._receive)
        self._middleware_chain = self._serve

    def _serve(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        rid = incoming_request_id(request) or uuid.uuid4().hex
        token = request_id.set(rid)
        try:
            response = self._receive_safely(request)
            response[REQUEST_ID_HEADER] = rid
            response["X-Content-Type-Options"] = "nosniff"
            elapsed = time.perf_counter() - started
            self._log(request, response.status_code, elapsed)
            return response
        finally:
            request_id.reset(token)

    def _receive(self, request: HttpRequest) -> HttpResponse:
        from inbox.webhooks import provider_webhook

        request.get_host()  # DisallowedHost (400) unless ALLOWED_HOSTS names it
        return provider_webhook(request, self.routes[request.path_info])

    def _log(self, request: HttpRequest, status: int, elapsed: float) -> None:
        route = f"{self.routes[request.path_info]}_webhook"  # the URL name (cyan/urls.py)
        metrics.request_served(request.method or "", route, status, elapsed)
        if request_logger.isEnabledFor(logging.INFO):  # as cyan.logs.RequestIdMiddleware
            request_logger.info(
                "%s %s %s",
                request.method,
                route,
                status,
                extra={
                    "method": request.method,
                    "route": route,
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 1),
                },
            )


def dispatch(django_app: WsgiApp, routes: dict[str, str]) -> WsgiApp:
    """The WSGI application: webhook POSTs to WebhookHandler, the rest to `django_app`."""
    webhooks = WebhookHandler(routes)

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") == "POST" and environ.get("PATH_INFO") in routes:
            return webhooks(environ, start_response)
        return django_app(environ, start_response)

    return application
