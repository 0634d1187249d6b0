"""Webhook endpoints: galleries verifies and normalizes, the inbox stores and dedupes.

The answer is 2xx only after the delivery is committed, so a provider retries anything
this endpoint did not keep.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from galleries.providers.pictime_orders import OrderMappingError, map_order
from galleries.services import note_order_received
from galleries.verification import MAX_BODY_BYTES, DeliveryRejected, verify_delivery
from inbox.models import InboxDelivery
from inbox.services import receive_order, receive_unreadable


def error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


@csrf_exempt
@require_POST
def pictime_webhook(request: HttpRequest) -> JsonResponse:
    if _declared_length(request) > MAX_BODY_BYTES:
        return error(413, "payload_too_large", "The body is larger than 1 MB.")
    body = request.body
    try:
        delivery = verify_delivery(provider="pictime", body=body, headers=dict(request.headers))
    except DeliveryRejected as rejected:
        return error(rejected.status, rejected.code, rejected.message)
    raw = body.decode()
    order_json = (delivery.payload.get("data") or {}).get("order")
    studio = delivery.link.studio
    try:
        order = map_order(order_json if isinstance(order_json, dict) else {})
        receipt = receive_order(
            studio=studio,
            order=order,
            raw_payload=raw,
            channel=InboxDelivery.Channel.WEBHOOK,
            delivery_key=delivery.webhook_id,
            event_type=delivery.event_type,
        )
    except OrderMappingError as exc:
        receipt = receive_unreadable(
            studio=studio,
            source="pictime",
            account_id=delivery.link.provider_account_id,
            external_id=_order_id(order_json),
            raw_payload=raw,
            error=str(exc),
            channel=InboxDelivery.Channel.WEBHOOK,
            delivery_key=delivery.webhook_id,
            event_type=delivery.event_type,
        )
    if receipt.created:
        note_order_received(link=delivery.link)
    return JsonResponse(
        {"ok": True, "item": receipt.item.pk, "duplicate": receipt.duplicate_delivery}
    )


def _declared_length(request: HttpRequest) -> int:
    """The Content-Length header, 0 when missing or not a number (Django reads no body then)."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _order_id(order_json: object) -> str:
    if isinstance(order_json, dict) and isinstance(order_json.get("id"), str):
        return order_json["id"][:100]
    return ""
