"""The client's side: place an order from an event (gallery) in the browser."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from . import catalog, orders
from .forms import ShopForm
from .models import Event, Order


def order_page(request: HttpRequest, event_id: int) -> HttpResponse:
    event = get_object_or_404(Event.objects.select_related("brand"), id=event_id)
    form = ShopForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            order = orders.place_order(form.order_request())
        except orders.OrderError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("spstandin:thanks", event_id=event.id, order_id=order.id)
    context = {
        "event": event,
        "form": form,
        "coupons": list(catalog.COUPONS),
        "currency": form.currency,
    }
    return render(request, "spstandin/shop.html", context, status=400 if form.errors else 200)


def thanks(request: HttpRequest, event_id: int, order_id: int) -> HttpResponse:
    order = get_object_or_404(
        Order.objects.select_related("event__brand"), id=order_id, event_id=event_id
    )
    return render(request, "spstandin/thanks.html", {"order": order, "event": order.event})
