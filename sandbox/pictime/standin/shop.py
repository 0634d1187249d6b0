"""Public gallery pages: a client browses a gallery and places an order."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from . import catalog, orders
from .forms import ShopForm
from .models import Gallery, Order

SWATCHES = (
    "#d9c5b2", "#a3b8c2", "#c9d6c3", "#e6d3c7", "#b9a9c9", "#cfc1a4",
    "#9fb3a5", "#d8b4a0", "#bccbd8", "#e2cfb0", "#a9b7a0", "#c7b8ae",
)  # fmt: skip


def _gallery(slug: str) -> Gallery:
    return get_object_or_404(Gallery.objects.select_related("account__user"), slug=slug)


def gallery_page(request: HttpRequest, slug: str) -> HttpResponse:
    gallery = _gallery(slug)
    return render(request, "standin/gallery.html", {"gallery": gallery, "swatches": SWATCHES})


def order_page(request: HttpRequest, slug: str) -> HttpResponse:
    gallery = _gallery(slug)
    form = ShopForm(request.POST or None, gallery=gallery)
    if request.method == "POST" and form.is_valid():
        try:
            order = orders.place_order(form.order_request())
        except orders.OrderError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("standin:thanks", slug=slug, order_id=order.public_id)
    context = {
        "gallery": gallery,
        "form": form,
        "codes": catalog.DISCOUNT_CODES.values(),
        "currency": form.currency,
    }
    return render(request, "standin/shop.html", context, status=400 if form.errors else 200)


def thanks(request: HttpRequest, slug: str, order_id: str) -> HttpResponse:
    order = get_object_or_404(
        Order.objects.select_related("gallery", "account"), public_id=order_id, gallery__slug=slug
    )
    return render(request, "standin/thanks.html", {"order": order, "gallery": order.gallery})
