"""The /studio API a client such as Cyan calls with a Bearer access token."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from . import serializers as s
from .http import WRITE_SCOPES, ApiError, api_view, invalid, ok, problem
from .models import Brand, Notification, Order
from .paging import envelope, paginate

SORT_FIELDS = {"createdAt": "created_at", "updatedAt": "updated_at", "id": "id"}


@api_view()
def studio(request: HttpRequest) -> HttpResponse:
    return ok(
        {
            "type": "studio",
            "name": request.account.name,
            "links": {
                "self": s.link("/studio"),
                "brand": s.link("/studio/brand{/id}", templated=True),
            },
        }
    )


def _brand(request: HttpRequest, brand_id: int) -> Brand:
    brand = Brand.objects.filter(id=brand_id).first()
    if brand is None:
        raise ApiError(404, f"No brand {brand_id} was found.")
    if brand.account_id != request.account.id:
        raise ApiError(403, "You do not have permission to access the requested brand")
    return brand


@api_view()
def brands(request: HttpRequest) -> HttpResponse:
    page = paginate(request, request.account.brands.order_by("id"))
    return ok(envelope(request, "brand-list", page, [s.brand_json(b) for b in page.rows]))


@api_view()
def brand_detail(request: HttpRequest, brand_id: int) -> HttpResponse:
    return ok(s.brand_json(_brand(request, brand_id)))


@api_view()
def events(request: HttpRequest, brand_id: int) -> HttpResponse:
    page = paginate(request, _brand(request, brand_id).events.order_by("-event_date", "id"))
    return ok(envelope(request, "event-list", page, [s.event_json(e) for e in page.rows]))


@api_view()
def event_detail(request: HttpRequest, brand_id: int, event_id: int) -> HttpResponse:
    event = _brand(request, brand_id).events.filter(id=event_id).first()
    if event is None:
        raise ApiError(404, f"No event {event_id} was found in this brand.")
    return ok(s.event_json(event))


def _choice(request: HttpRequest, name: str, allowed: list[str]) -> list[str]:
    values = [v.strip() for v in request.GET.get(name, "").split(",") if v.strip()]
    for value in values:
        if value not in allowed:
            raise invalid(name, "notInArray", f"{name} must be among: {', '.join(allowed)}.")
    return values


def _sorted(request: HttpRequest, rows: QuerySet[Order]) -> QuerySet[Order]:
    sort_by = request.GET.get("sortBy") or "createdAt"
    if sort_by not in SORT_FIELDS:
        raise invalid("sortBy", "notInArray", f"sortBy must be one of {', '.join(SORT_FIELDS)}.")
    sort_type = (request.GET.get("sortType") or "desc").lower()
    if sort_type not in ("asc", "desc"):
        raise invalid("sortType", "notInArray", "sortType must be asc or desc.")
    sign = "-" if sort_type == "desc" else ""
    return rows.order_by(f"{sign}{SORT_FIELDS[sort_by]}", f"{sign}id")


def _filtered(request: HttpRequest, rows: QuerySet[Order]) -> QuerySet[Order]:
    if statuses := _choice(request, "filterOrderStatus", Order.Status.values):
        rows = rows.filter(status__in=statuses)
    if paid := _choice(request, "filterPaymentStatus", Order.PaymentStatus.values):
        rows = rows.filter(payment_status__in=paid)
    if event := request.GET.get("filterEventId", "").strip():
        if not event.isdigit():
            raise invalid("filterEventId", "notDigits", "filterEventId must be an event id.")
        rows = rows.filter(event_id=int(event))
    if order_id := request.GET.get("filterOrderId", "").strip():
        if not order_id.isdigit():
            raise invalid("filterOrderId", "notDigits", "filterOrderId must be an order id.")
        rows = rows.filter(id=int(order_id))
    if email := request.GET.get("searchCustomerEmail", "").strip():
        rows = rows.filter(customer_email__icontains=email)
    if name := request.GET.get("searchCustomerName", "").strip():
        rows = rows.filter(customer_name__icontains=name)
    return rows


def _orders(brand: Brand) -> QuerySet[Order]:
    return Order.objects.filter(brand=brand).select_related("event")


@api_view()
def orders(request: HttpRequest, brand_id: int) -> HttpResponse:
    rows = _sorted(request, _filtered(request, _orders(_brand(request, brand_id))))
    page = paginate(request, rows)
    return ok(envelope(request, "order-list", page, [s.order_json(o) for o in page.rows]))


def _order(request: HttpRequest, brand_id: int, order_id: int) -> Order:
    order = _orders(_brand(request, brand_id)).filter(id=order_id).first()
    if order is None:
        raise ApiError(404, f"No order {order_id} was found in this brand.")
    return order


@api_view()
def order_detail(request: HttpRequest, brand_id: int, order_id: int) -> HttpResponse:
    return ok(s.order_json(_order(request, brand_id, order_id)))


def _sub_list(request: HttpRequest, kind: str, path: str, items: list) -> dict:
    return {"type": kind, "items": items, "links": {"self": s.link(path)}}


@api_view()
def order_items(request: HttpRequest, brand_id: int, order_id: int) -> HttpResponse:
    order = _order(request, brand_id, order_id)
    items = [s.item_json(i, order.currency) for i in order.items.all()]
    return ok(_sub_list(request, "order-item-list", request.path, items))


@api_view()
def order_payments(request: HttpRequest, brand_id: int, order_id: int) -> HttpResponse:
    order = _order(request, brand_id, order_id)
    items = [s.payment_json(p, order.currency) for p in order.payments.all()]
    return ok(_sub_list(request, "order-payment-list", request.path, items))


def _truthy(text: str) -> bool:
    return text.strip().lower() in ("1", "true", "yes", "on")


@api_view()
def notifications(request: HttpRequest, brand_id: int) -> HttpResponse:
    """Newest first; like ShootProof, only the undismissed ones unless filterDismissed."""
    brand = _brand(request, brand_id)
    dismissed = _truthy(request.GET.get("filterDismissed", ""))
    rows = Notification.objects.filter(brand=brand, dismissed=dismissed).order_by("-id")
    page = paginate(request, rows)
    items = [s.notification_json(n) for n in page.rows]
    return ok(envelope(request, "notification-list", page, items))


@api_view(methods=("POST",), scopes=WRITE_SCOPES)
def dismiss(request: HttpRequest, brand_id: int, notification_id: int) -> HttpResponse:
    brand = _brand(request, brand_id)
    note = Notification.objects.filter(brand=brand, id=notification_id).first()
    if note is None:
        raise ApiError(404, f"No notification {notification_id} was found in this brand.")
    if not note.dismissed:
        note.dismissed = True
        note.save(update_fields=["dismissed"])
    return ok(s.notification_json(note))


def not_found(request: HttpRequest, path: str = "") -> HttpResponse:
    return problem(404, f"No resource at {request.path}.")
