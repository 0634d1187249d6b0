"""The photographer's side: login, dashboard, orders (refund, cancel, ship), deliveries."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from oauth2_provider.models import Application

from . import money, oauth, orders, webhooks
from .forms import EmailLoginForm, RefundForm
from .models import Account, Delivery, Order


def health(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("standin:dashboard")
    return render(request, "standin/home.html")


class LoginView(auth_views.LoginView):
    template_name = "standin/login.html"
    authentication_form = EmailLoginForm


def _account(request: HttpRequest) -> Account:
    account = Account.objects.filter(user=request.user).select_related("user").first()
    if account is None:
        raise Http404("This user has no Pic-Time account.")
    return account


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    account = _account(request)
    context = {
        "account": account,
        "galleries": account.galleries.all(),
        "orders": account.orders.select_related("gallery")[:50],
        "order_count": account.orders.count(),
        "endpoints": webhooks.active_endpoints(account).select_related("application"),
        "apps": oauth.connected_applications(request.user.pk),
        "delivery_count": account.deliveries.count(),
        "mode": webhooks.get_mode(),
    }
    return render(request, "standin/dashboard.html", context)


def _order(request: HttpRequest, order_id: str) -> Order:
    return get_object_or_404(
        Order.objects.select_related("gallery", "account__user").prefetch_related(
            "items", "refunds"
        ),
        public_id=order_id,
        account=_account(request),
    )


@login_required
def order_detail(request: HttpRequest, order_id: str) -> HttpResponse:
    order = _order(request, order_id)
    context = {
        "order": order,
        "form": RefundForm(),
        "refundable": money.to_str(order.refundable_minor, order.currency),
        "next_statuses": [
            (s, Order.Status(s).label) for s in orders.NEXT_STATUS.get(order.status, ())
        ],
        "deliveries": order.delivery_set.select_related("endpoint").prefetch_related("attempts"),
    }
    return render(request, "standin/order.html", context)


def _run(
    request: HttpRequest, order: Order, action: Callable[..., Order], done: str, **kwargs: object
) -> HttpResponse:
    try:
        action(order=order, **kwargs)
    except orders.OrderError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("standin:order", order_id=order.public_id)


@login_required
@require_POST
def order_refund(request: HttpRequest, order_id: str) -> HttpResponse:
    order = _order(request, order_id)
    form = RefundForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter the refund as an amount such as 10.00.")
        return redirect("standin:order", order_id=order_id)
    try:
        amount = form.amount_minor(order)
    except money.MoneyError as exc:
        messages.error(request, str(exc))
        return redirect("standin:order", order_id=order_id)
    reason = form.cleaned_data.get("reason") or ""
    return _run(
        request, order, orders.refund_order, "Refund recorded.", amount=amount, reason=reason
    )


@login_required
@require_POST
def order_cancel(request: HttpRequest, order_id: str) -> HttpResponse:
    order = _order(request, order_id)
    refund = request.POST.get("refund", "1") == "1"
    return _run(request, order, orders.cancel_order, "Order cancelled.", refund=refund)


@login_required
@require_POST
def order_status(request: HttpRequest, order_id: str) -> HttpResponse:
    order = _order(request, order_id)
    status = request.POST.get("status", "")
    return _run(request, order, orders.set_status, "Status updated.", status=status)


@login_required
def deliveries(request: HttpRequest) -> HttpResponse:
    account = _account(request)
    rows = (
        Delivery.objects.filter(account=account)
        .select_related("endpoint", "order")
        .prefetch_related("attempts")[:200]
    )
    context = {"account": account, "deliveries": rows, "mode": webhooks.get_mode()}
    return render(request, "standin/deliveries.html", context)


@login_required
@require_POST
def disconnect_app(request: HttpRequest, app_id: int) -> HttpResponse:
    _account(request)
    application = get_object_or_404(Application, pk=app_id)
    removed = oauth.disconnect(user_id=request.user.pk, application=application)
    messages.success(request, f"Disconnected. {removed} webhook subscription(s) removed.")
    return redirect("standin:dashboard")
