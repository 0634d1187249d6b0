"""Preferences → Integrations → Webhooks."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from standardwebhooks.webhooks import Webhook

from events.delivery import deliver_due
from events.models import Delivery, WebhookEndpoint

pytestmark = pytest.mark.django_db
SECRET = re.compile(r"whsec_[A-Za-z0-9+/=]{32}")


def _add(auth_client, url, events=("sale.created", "contact.created")):
    return auth_client.post(reverse("webhooks:add"), {"url": url, "events": list(events)})


def test_add_shows_the_secret_once_and_it_signs(auth_client, studio, receiver):
    response = _add(auth_client, receiver.url)
    html = response.content.decode()
    assert response.status_code == 200
    [secret] = set(SECRET.findall(html))
    assert "only time" in html
    endpoint = WebhookEndpoint.objects.get(studio=studio)
    assert endpoint.events == ["sale.created", "contact.created"]
    assert secret not in endpoint.secret_encrypted  # stored encrypted
    page = auth_client.get(reverse("webhooks:detail", args=[endpoint.pk])).content.decode()
    assert not SECRET.search(page)
    auth_client.post(reverse("webhooks:test", args=[endpoint.pk]))
    deliver_due()
    Webhook(secret).verify(receiver.requests[0].body, receiver.requests[0].headers)
    log = auth_client.get(reverse("webhooks:detail", args=[endpoint.pk])).content.decode()
    assert "webhook.test" in log and "HTTP 200" in log and "Delivered" in log


def test_a_private_url_is_refused_in_production_with_the_reason(auth_client, settings, studio):
    settings.CYAN_WEBHOOKS_ALLOW_PRIVATE = False
    response = _add(auth_client, "http://169.254.169.254/latest")
    assert response.status_code == 400
    assert "link-local" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_no_event_picked_is_refused(auth_client, receiver):
    response = _add(auth_client, receiver.url, events=())
    assert response.status_code == 400
    assert not WebhookEndpoint.objects.exists()


def test_rotate_asks_first_then_shows_a_new_secret(auth_client, studio, receiver):
    _add(auth_client, receiver.url)
    endpoint = WebhookEndpoint.objects.get()
    url = reverse("webhooks:rotate", args=[endpoint.pk])
    assert "Rotate the secret" in auth_client.get(url).content.decode()
    html = auth_client.post(url).content.decode()
    assert SECRET.search(html)
    assert "previous secret keeps signing" in html
    endpoint.refresh_from_db()
    assert endpoint.previous_secret_encrypted


def test_disable_enable_and_delete_with_confirmation(auth_client, receiver):
    _add(auth_client, receiver.url)
    endpoint = WebhookEndpoint.objects.get()
    auth_client.post(reverse("webhooks:disable", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    assert endpoint.status == "disabled"
    index = auth_client.get(reverse("webhooks:index")).content.decode()
    assert "Disabled" in index
    assert "Cyan stopped sending events" not in index  # the studio did: no warning
    auth_client.post(reverse("webhooks:enable", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    assert endpoint.status == "active"
    delete_url = reverse("webhooks:delete", args=[endpoint.pk])
    assert "cannot be undone" in auth_client.get(delete_url).content.decode()
    assert WebhookEndpoint.objects.exists()
    auth_client.post(delete_url)
    assert not WebhookEndpoint.objects.exists()


def test_resend_from_the_log(auth_client, receiver):
    _add(auth_client, receiver.url)
    endpoint = WebhookEndpoint.objects.get()
    auth_client.post(reverse("webhooks:test", args=[endpoint.pk]))
    deliver_due()
    delivery = Delivery.objects.get()
    auth_client.post(reverse("webhooks:resend", args=[endpoint.pk, delivery.pk]))
    deliver_due()
    assert len(receiver.requests) == 2
    assert receiver.requests[0].headers["webhook-id"] == receiver.requests[1].headers["webhook-id"]


def test_another_studios_endpoint_is_not_found(client, other_studio_and_owner, studio, receiver):
    from events.services import create_endpoint

    endpoint, _ = create_endpoint(studio=studio, url=receiver.url, events=["sale.created"])
    client.force_login(other_studio_and_owner[1])
    assert client.get(reverse("webhooks:detail", args=[endpoint.pk])).status_code == 404
    assert client.post(reverse("webhooks:delete", args=[endpoint.pk])).status_code == 404
    assert WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()


def test_home_warns_when_cyan_stopped_sending_but_not_when_the_studio_did(
    auth_client, studio, receiver
):
    from events.services import create_endpoint, disable_endpoint
    from testkit.factories import make_contact

    endpoint, _ = create_endpoint(studio=studio, url=receiver.url, events=["contact.created"])
    home = auth_client.get("/").content.decode()
    assert "Cyan stopped sending events" not in home
    disable_endpoint(endpoint=endpoint, reason="Disabled by you.")
    assert "Cyan stopped sending events" not in auth_client.get("/").content.decode()
    auth_client.post(reverse("webhooks:enable", args=[endpoint.pk]))
    receiver.statuses = [410]
    make_contact(studio, "Zed", "Quinn")
    deliver_due()
    home = auth_client.get("/").content.decode()
    assert "Cyan stopped sending events to the webhook endpoint" in home
    assert "410 Gone" in home
    index = auth_client.get(reverse("webhooks:index")).content.decode()
    assert "Cyan stopped sending events to" in index
