"""The control API: what tests, demos and load tests use to drive the stand-in."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.http import HttpRequest, HttpResponse

from . import bootstrap, control_input, delivery, money, orders, serializers, webhooks
from .http import ApiError, control_view, json_body, ok
from .models import Account, Delivery, Order


def _account(email: object) -> Account:
    account = (
        Account.objects.select_related("user")
        .filter(user__username=str(email or "").strip().lower())
        .first()
    )
    if account is None:
        raise ApiError(404, "not_found", f"No account with the email {email!r}.")
    return account


def _order(order_id: str) -> Order:
    order = Order.objects.select_related("account__user", "gallery").filter(public_id=order_id)
    found = order.first()
    if found is None:
        raise ApiError(404, "not_found", f"No order {order_id}.")
    return found


def _order_response(order: Order, status: int = 200) -> HttpResponse:
    return ok(serializers.order_json(_order(order.public_id)), status=status)


@control_view(methods=("GET", "POST"))
def accounts(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        rows = Account.objects.select_related("user").order_by("id")
        return ok({"data": [serializers.account_json(a) for a in rows]})
    data = json_body(request)
    currency = str(data.get("currency") or "USD").upper()
    if currency not in money.CURRENCIES:
        raise ApiError(400, "invalid_request", f"currency must be one of {money.CURRENCIES}.")
    try:
        galleries = int(data.get("galleries", 2))
    except (TypeError, ValueError):
        raise ApiError(400, "invalid_request", "galleries must be a whole number.") from None
    try:
        account = bootstrap.create_account(
            email=str(data.get("email") or ""),
            password=str(data.get("password") or ""),
            name=str(data.get("name") or ""),
            currency=currency,
            country=str(data.get("country") or "US"),
            galleries=galleries,
        )
    except bootstrap.AccountError as exc:
        raise ApiError(400, "invalid_request", str(exc)) from None
    body = serializers.account_json(account)
    body["galleries"] = [serializers.gallery_json(g) for g in account.galleries.order_by("id")]
    return ok(body, status=201)


@control_view(methods=("POST",))
def place_orders(request: HttpRequest) -> HttpResponse:
    data = json_body(request)
    account = _account(data.get("account_email"))
    requests = control_input.build_requests(account, data)
    try:
        with transaction.atomic():
            placed = [orders.place_order(req) for req in requests]
    except orders.OrderError as exc:
        raise ApiError(400, "invalid_order", exc.message) from None
    return ok({"data": [serializers.order_json(_order(o.public_id)) for o in placed]}, 201)


@control_view(methods=("GET",))
def order_detail(request: HttpRequest, order_id: str) -> HttpResponse:
    return _order_response(_order(order_id))


def _act(action: Callable[..., Order], order_id: str, **kwargs: object) -> HttpResponse:
    try:
        order = action(order=_order(order_id), **kwargs)
    except orders.OrderError as exc:
        raise ApiError(400, "invalid_request", exc.message) from None
    return _order_response(order)


@control_view(methods=("POST",))
def refund(request: HttpRequest, order_id: str) -> HttpResponse:
    data = json_body(request)
    order = _order(order_id)
    amount = None
    if data.get("amount") is not None:
        try:
            amount = money.parse(data["amount"], order.currency)
        except money.MoneyError as exc:
            raise ApiError(400, "invalid_request", str(exc)) from None
    return _act(orders.refund_order, order_id, amount=amount, reason=str(data.get("reason") or ""))


@control_view(methods=("POST",))
def cancel(request: HttpRequest, order_id: str) -> HttpResponse:
    data = json_body(request)
    refund_too = bool(data.get("refund", True))
    reason = str(data.get("reason") or "")
    return _act(orders.cancel_order, order_id, refund=refund_too, reason=reason)


@control_view(methods=("POST",))
def set_status(request: HttpRequest, order_id: str) -> HttpResponse:
    status = str(json_body(request).get("status") or "")
    return _act(orders.set_status, order_id, status=status)


@control_view(methods=("GET", "POST"))
def webhook_mode(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return ok({"mode": webhooks.get_mode()})
    mode = str(json_body(request).get("mode") or "")
    try:
        previous = webhooks.set_mode(mode)
    except webhooks.WebhookError as exc:
        raise ApiError(400, "invalid_request", str(exc)) from None
    return ok({"mode": mode, "previous": previous})


@control_view(methods=("POST",))
def flush(request: HttpRequest) -> HttpResponse:
    return ok(delivery.process_due())


@control_view(methods=("GET",))
def deliveries(request: HttpRequest) -> HttpResponse:
    rows = Delivery.objects.select_related("account__user", "endpoint", "order")
    rows = rows.prefetch_related("attempts").order_by("created_at", "id")
    if email := request.GET.get("account_email"):
        rows = rows.filter(account=_account(email))
    if status := request.GET.get("status"):
        rows = rows.filter(status=status)
    if order_id := request.GET.get("order_id"):
        rows = rows.filter(order__public_id=order_id)
    return ok({"data": [serializers.delivery_json(d) for d in rows]})
