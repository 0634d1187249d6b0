"""Webhook endpoints: the provider's package verifies, the inbox accepts now and
processes next (inbox.accepting).

The answer is 2xx only after the raw delivery is committed, so a provider retries
anything this endpoint did not keep; the intake task then turns it into an Inbox item
(the order, or "needs attention" with the reason), within a second when the worker runs.
Only a request that is not a signed JSON delivery for a linked account gets a 4xx.
"""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core import metrics
from galleries import providers
from galleries.providers.base import MAX_WEBHOOK_BODY_BYTES, DeliveryRejected, WebhookProvider
from inbox.accepting import accept_delivery


def error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


@csrf_exempt
@require_POST
def provider_webhook(request: HttpRequest, provider: str) -> JsonResponse:
    """The receiver of `provider`'s webhooks (cyan/urls.py routes each provider that has
    them): verified by the provider's package, accepted by inbox.accepting."""
    receiver = cast(WebhookProvider, providers.get(provider))
    try:
        body = read_body(request)
        delivery = receiver.verify_delivery(body=body, headers=dict(request.headers))
    except DeliveryRejected as rejected:
        metrics.webhook_refused(provider, rejected.code)
        return error(rejected.status, rejected.code, rejected.message)
    accepted = accept_delivery(provider=provider, delivery=delivery, body=body)
    metrics.webhook_accepted(provider)
    return JsonResponse({"ok": True, "duplicate": accepted is None})


def read_body(request: HttpRequest) -> bytes:
    """The request body, at most MAX_WEBHOOK_BODY_BYTES, as JSON: else DeliveryRejected (4xx).

    A chunked body has no Content-Length, so Django reads it as empty; it is read from
    the server's input stream instead, when the server (gunicorn) promises that stream
    ends with the body (`wsgi.input_terminated`)."""
    if not _is_json(request.content_type):
        raise DeliveryRejected(
            415, "unsupported_media_type", "Send the delivery as Content-Type: application/json."
        )
    declared = _declared_length(request)
    if declared is None:
        raise DeliveryRejected(400, "bad_length", "The Content-Length header is not a number.")
    if declared > MAX_WEBHOOK_BODY_BYTES:
        raise DeliveryRejected(413, "payload_too_large", "The body is larger than 1 MB.")
    if declared or not _is_chunked(request):
        return request.body
    if not request.META.get("wsgi.input_terminated"):
        raise DeliveryRejected(411, "length_required", "Send a Content-Length header.")
    body = request.META["wsgi.input"].read(MAX_WEBHOOK_BODY_BYTES + 1)
    if len(body) > MAX_WEBHOOK_BODY_BYTES:
        raise DeliveryRejected(413, "payload_too_large", "The body is larger than 1 MB.")
    return body


def _is_json(content_type: str) -> bool:
    return (content_type or "").split(";")[0].strip().lower() == "application/json"


def _is_chunked(request: HttpRequest) -> bool:
    return "chunked" in request.headers.get("Transfer-Encoding", "").lower()


def _declared_length(request: HttpRequest) -> int | None:
    """The Content-Length header: 0 when missing, None when it is not a number."""
    value = request.META.get("CONTENT_LENGTH") or "0"
    try:
        length = int(value)
    except ValueError:
        return None
    return length if length >= 0 else None
