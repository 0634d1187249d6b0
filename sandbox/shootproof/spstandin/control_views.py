"""The control API: what tests, demos and load tests use to drive the stand-in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse

from . import bootstrap, control_input, faults, money, orders, serializers
from .http import ApiError, control_view, invalid, json_body
from .models import Account, Order


def ok(data: Any, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def health(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


def _account(email: object) -> Account:
    account = (
        Account.objects.select_related("user")
        .filter(user__username=str(email or "").strip().lower())
        .first()
    )
    if account is None:
        raise ApiError(404, f"No account with the email {email!r}.")
    return account


def _order(order_id: int) -> Order:
    order = Order.objects.select_related("brand", "event").filter(id=order_id).first()
    if order is None:
        raise ApiError(404, f"No order {order_id}.")
    return order


def account_json(account: Account, password: str = "") -> dict[str, Any]:
    body: dict[str, Any] = {"email": account.email, "name": account.name}
    if password:
        body["password"] = password
    body["brands"] = [
        {
            "id": b.id,
            "name": b.name,
            "currencyCode": b.currency,
            "events": [{"id": e.id, "name": e.name} for e in b.events.order_by("id")],
        }
        for b in account.brands.order_by("id")
    ]
    return body


@control_view(methods=("GET", "POST"))
def accounts(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        rows = Account.objects.select_related("user").order_by("id")
        return ok({"accounts": [account_json(a) for a in rows]})
    data = json_body(request)
    brands = data.get("brands")
    if brands is not None and not isinstance(brands, list):
        raise invalid("brands", "notArray", "brands must be a list of names.")
    try:
        account, password = bootstrap.create_account(
            email=str(data.get("email") or ""),
            password=str(data.get("password") or ""),
            name=str(data.get("name") or ""),
            brands=brands,
            currency=str(data.get("currency") or "USD"),
            events=int(data.get("events", 2)),
        )
    except (bootstrap.AccountError, money.MoneyError, TypeError, ValueError) as exc:
        raise ApiError(400, str(exc)) from None
    return ok(account_json(account, password), status=201)


def _order_error(exc: orders.OrderError) -> ApiError:
    status = 409 if exc.conflict else 400
    return ApiError(status, exc.message, {exc.field: {"invalid": exc.message}})


@control_view(methods=("POST",))
def place_orders(request: HttpRequest) -> HttpResponse:
    data = json_body(request)
    account = _account(data.get("account_email"))
    requests = control_input.build_requests(account, data)
    try:
        with transaction.atomic():
            placed = [orders.place_order(req) for req in requests]
    except orders.OrderError as exc:
        raise _order_error(exc) from None
    except money.MoneyError as exc:
        raise ApiError(400, str(exc)) from None
    return ok({"orders": [serializers.order_json(_order(o.id)) for o in placed]}, status=201)


@control_view(methods=("GET", "DELETE"))
def order_detail(request: HttpRequest, order_id: int) -> HttpResponse:
    order = _order(order_id)
    if request.method == "DELETE":
        return ok({"id": orders.delete_order(order=order), "deleted": True})
    return ok(serializers.order_json(order))


def _act(action: Callable[..., Order], order_id: int, **kwargs: object) -> HttpResponse:
    try:
        order = action(order=_order(order_id), **kwargs)
    except orders.OrderError as exc:
        raise _order_error(exc) from None
    return ok(serializers.order_json(_order(order.id)))


@control_view(methods=("POST",))
def refund(request: HttpRequest, order_id: int) -> HttpResponse:
    data = json_body(request)
    order = _order(order_id)
    amount = None
    if data.get("amount") is not None:
        try:
            amount = money.parse(data["amount"], order.currency)
        except money.MoneyError as exc:
            raise invalid("amount", "notAmount", str(exc)) from None
    return _act(orders.refund_order, order_id, amount=amount, reason=str(data.get("reason") or ""))


@control_view(methods=("POST",))
def cancel(request: HttpRequest, order_id: int) -> HttpResponse:
    reason = str(json_body(request).get("reason") or "")
    return _act(orders.cancel_order, order_id, reason=reason)


@control_view(methods=("POST",))
def set_status(request: HttpRequest, order_id: int) -> HttpResponse:
    status = str(json_body(request).get("status") or "")
    return _act(orders.set_status, order_id, status=status)


def _number(data: dict, key: str, kind: type) -> Any:
    if data.get(key) is None:
        return None
    try:
        return kind(data[key])
    except (TypeError, ValueError):
        raise invalid(key, "notNumber", f"{key} must be a number.") from None


@control_view(methods=("GET", "POST"))
def fault(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return ok(faults.describe(faults.current()))
    data = json_body(request)
    mode = str(data.get("mode") or "")
    if mode == "revoke_tokens":
        revoked = faults.revoke_tokens(str(data.get("account_email") or ""))
        return ok({**faults.describe(faults.current()), "revoked": revoked})
    try:
        changed = faults.set_mode(
            mode,
            seconds=_number(data, "seconds", float),
            count=_number(data, "count", int),
            status=_number(data, "status", int),
        )
    except faults.FaultError as exc:
        raise invalid("mode", "invalid", str(exc)) from None
    return ok(faults.describe(changed))
