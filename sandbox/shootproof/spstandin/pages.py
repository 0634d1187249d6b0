"""The photographer's side: login, dashboard, an order (refund, cancel, move along, delete)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from oauth2_provider.models import Application

from . import money, oauth, orders
from .forms import EmailLoginForm, RefundForm
from .models import Account, Order


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("spstandin:dashboard")
    return render(request, "spstandin/home.html")


class LoginView(auth_views.LoginView):
    template_name = "spstandin/login.html"
    authentication_form = EmailLoginForm


def _account(request: HttpRequest) -> Account:
    account = Account.objects.filter(user=request.user).select_related("user").first()
    if account is None:
        raise Http404("This user has no ShootProof studio.")
    return account


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    account = _account(request)
    rows = Order.objects.filter(brand__account=account).select_related("brand", "event")
    context = {
        "account": account,
        "brands": account.brands.prefetch_related("events"),
        "orders": rows[:50],
        "order_count": rows.count(),
        "apps": oauth.connected_applications(request.user.pk),
    }
    return render(request, "spstandin/dashboard.html", context)


def _order(request: HttpRequest, order_id: int) -> Order:
    return get_object_or_404(
        Order.objects.select_related("brand", "event").prefetch_related("items", "payments"),
        id=order_id,
        brand__account=_account(request),
    )


@login_required
def order_detail(request: HttpRequest, order_id: int) -> HttpResponse:
    order = _order(request, order_id)
    context = {
        "order": order,
        "form": RefundForm(),
        "refundable": money.to_str(order.refundable_minor, order.currency),
        "next_statuses": orders.NEXT_STATUS.get(order.status, ()),
        "cancel_deadline": orders.cancel_deadline(order),
    }
    return render(request, "spstandin/order.html", context)


@login_required
@require_POST
def order_action(request: HttpRequest, order_id: int, action: str) -> HttpResponse:
    order = _order(request, order_id)
    try:
        if action == "refund":
            form = RefundForm(request.POST)
            if not form.is_valid():
                raise orders.OrderError("Enter the refund as an amount such as 10.00.")
            orders.refund_order(
                order=order,
                amount=form.amount_minor(order),
                reason=form.cleaned_data.get("reason") or "",
            )
        elif action == "cancel":
            orders.cancel_order(order=order)
        elif action == "status":
            orders.set_status(order=order, status=request.POST.get("status", ""))
        elif action == "delete":
            orders.delete_order(order=order)
            messages.success(request, f"Order {order_id} deleted.")
            return redirect("spstandin:dashboard")
        else:
            raise Http404(action)
    except (orders.OrderError, money.MoneyError) as exc:
        messages.error(request, getattr(exc, "message", str(exc)))
    else:
        messages.success(request, "Done.")
    return redirect("spstandin:order", order_id=order_id)


@login_required
@require_POST
def disconnect_app(request: HttpRequest, app_id: int) -> HttpResponse:
    _account(request)
    application = get_object_or_404(Application, pk=app_id)
    oauth.disconnect(user_id=request.user.pk, application=application)
    messages.success(request, f"{application.name} is disconnected.")
    return redirect("spstandin:dashboard")
