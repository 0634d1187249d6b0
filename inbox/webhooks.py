"""Webhook endpoints: galleries verifies and normalizes, the inbox stores and dedupes.

The answer is 2xx only after the delivery is committed, so a provider retries anything
this endpoint did not keep. A signed delivery always ends as an Inbox item (the order,
or "needs attention" with the reason); only a request that is not a signed JSON delivery
gets a 4xx.
"""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core import metrics
from galleries import providers
from galleries.providers.base import MAX_WEBHOOK_BODY_BYTES, DeliveryRejected, WebhookProvider
from inbox.intake import take_in
from inbox.models import InboxDelivery


def error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


@csrf_exempt
@require_POST
def provider_webhook(request: HttpRequest, provider: str) -> JsonResponse:
    """The receiver of `provider`'s webhooks (cyan/urls.py routes each provider that has
    them): verified by the provider's package, taken in by inbox.intake."""
    receiver = cast(WebhookProvider, providers.get(provider))
    try:
        body = read_body(request)
        delivery = receiver.verify_delivery(body=body, headers=dict(request.headers))
    except DeliveryRejected as rejected:
        metrics.webhook_refused(provider, rejected.code)
        return error(rejected.status, rejected.code, rejected.message)
    receipt = take_in(
        studio=delivery.link.studio,
        provider=provider,
        account_id=delivery.link.provider_account_id,
        raw=delivery.order,
        raw_payload=body.decode(),
        channel=InboxDelivery.Channel.WEBHOOK,
        delivery_key=delivery.webhook_id,
        event_type=delivery.event_type,
        link=delivery.link,
    )
    metrics.webhook_accepted(provider)
    return JsonResponse(
        {"ok": True, "item": receipt.item.pk, "duplicate": receipt.duplicate_delivery}
    )


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
