"""Preferences → Integrations → Webhooks: endpoints, their secrets and delivery logs.

As with API keys, a secret's plaintext appears only in the response to the POST that
made it (not in the session or a flash message, which are stored)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.decorators import studio_required
from events import selectors, services
from events.forms import EndpointForm, EventsForm
from events.models import DISABLED_BY_STUDIO, EVENT_TYPES, WebhookEndpoint

BASE = {"tab": "integrations", "subtab": "webhooks"}


def _index_page(
    request: HttpRequest, *, form: EndpointForm | None = None, status: int = 200
) -> HttpResponse:
    context = {
        **BASE,
        "form": form or EndpointForm(),
        "endpoints": selectors.webhook_endpoints(studio=request.studio),
        "disabled": selectors.stopped_endpoints(studio=request.studio),
    }
    return render(request, "events/webhooks.html", context, status=status)


def _detail_page(
    request: HttpRequest, endpoint: WebhookEndpoint, *, new_secret: str = "", status: int = 200
) -> HttpResponse:
    context = {
        **BASE,
        "endpoint": endpoint,
        "new_secret": new_secret,
        "deliveries": selectors.recent_deliveries(endpoint=endpoint),
        "events_form": EventsForm(initial={"events": endpoint.events}),
        "event_labels": dict(EVENT_TYPES),
    }
    return render(request, "events/endpoint.html", context, status=status)


@never_cache
@studio_required
def index(request: HttpRequest) -> HttpResponse:
    return _index_page(request)


@never_cache
@require_POST
@studio_required
def add(request: HttpRequest) -> HttpResponse:
    form = EndpointForm(request.POST)
    if not form.is_valid():
        return _index_page(request, form=form, status=400)
    try:
        endpoint, secret = services.create_endpoint(studio=request.studio, **form.cleaned_data)
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return _index_page(request, form=form, status=400)
    return _detail_page(request, endpoint, new_secret=secret)


@never_cache
@studio_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, selectors.get_endpoint(studio=request.studio, pk=pk))


@require_POST
@studio_required
def change_events(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = selectors.get_endpoint(studio=request.studio, pk=pk)
    form = EventsForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Pick at least one event.")
    else:
        services.update_endpoint_events(endpoint=endpoint, events=form.cleaned_data["events"])
        messages.success(request, "The endpoint's events were saved.")
    return redirect("webhooks:detail", pk=pk)


def _confirm(request: HttpRequest, endpoint: WebhookEndpoint, action: str) -> HttpResponse:
    context = {**BASE, "endpoint": endpoint, "action": action}
    return render(request, "events/confirm.html", context)


@never_cache
@studio_required
def rotate(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = selectors.get_endpoint(studio=request.studio, pk=pk)
    if request.method != "POST":
        return _confirm(request, endpoint, "rotate")
    secret = services.rotate_secret(endpoint=endpoint)
    return _detail_page(request, endpoint, new_secret=secret)


@require_POST
@studio_required
def disable(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = selectors.get_endpoint(studio=request.studio, pk=pk)
    services.disable_endpoint(endpoint=endpoint, reason=DISABLED_BY_STUDIO)
    messages.success(request, "The endpoint is disabled: Cyan keeps its events until enabled.")
    return redirect("webhooks:detail", pk=pk)


@require_POST
@studio_required
def enable(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = selectors.get_endpoint(studio=request.studio, pk=pk)
    services.enable_endpoint(endpoint=endpoint)
    messages.success(request, "The endpoint is enabled; waiting events are on their way.")
    return redirect("webhooks:detail", pk=pk)


@studio_required
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = selectors.get_endpoint(studio=request.studio, pk=pk)
    if request.method != "POST":
        return _confirm(request, endpoint, "delete")
    services.delete_endpoint(endpoint=endpoint)
    messages.success(request, f"The endpoint {endpoint.url} was deleted.")
    return redirect("webhooks:index")


@require_POST
@studio_required
def send_test(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = selectors.get_endpoint(studio=request.studio, pk=pk)
    services.send_test_event(endpoint=endpoint)
    messages.success(request, "A test event is on its way; its delivery shows below.")
    return redirect("webhooks:detail", pk=pk)


@require_POST
@studio_required
def resend(request: HttpRequest, pk: int, delivery_pk: int) -> HttpResponse:
    endpoint = selectors.get_endpoint(studio=request.studio, pk=pk)
    delivery = selectors.get_delivery(endpoint=endpoint, pk=delivery_pk)
    services.resend(delivery=delivery)
    messages.success(request, f"Delivery {delivery.webhook_id} will be sent again.")
    return redirect("webhooks:detail", pk=pk)
