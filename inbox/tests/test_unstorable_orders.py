"""An order the Inbox cannot store as an order is kept as "needs attention", by the webhook
and by the poll alike, and never stops the poll (issue #10.1, #9.8)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from galleries.models import GalleryLink
from galleries.providers import ProviderError
from inbox.models import InboxItem
from inbox.sync import poll_link
from testkit.payloads import event_body, order_json, signed_headers
from testkit.standin.oauth import link_via_fake

URL = "/galleries/webhooks/pictime/"


def with_client(**fields) -> dict:
    order = order_json()
    order["client"] = {**order["client"], **fields}
    return order


def with_gallery_name(name: str) -> dict:
    order = order_json()
    order["gallery"] = {**order["gallery"], "name": name}
    return order


def with_number(number: str) -> dict:
    return {**order_json(), "number": number}


UNSTORABLE = [
    pytest.param(with_client(last_name="L" * 500), "customer.last_name", id="500-char last name"),
    pytest.param(with_client(first_name="F" * 101), "customer.first_name", id="101-char name"),
    pytest.param(with_gallery_name("G" * 500), "gallery.name", id="500-char gallery name"),
    pytest.param(with_number("N" * 500), "order_number", id="500-char order number"),
    pytest.param(with_client(last_name="Love\u0000lace"), "customer.last_name", id="NUL in name"),
    pytest.param(with_gallery_name("Smith\x00"), "gallery.name", id="NUL in gallery name"),
    pytest.param(with_client(email="a\udc00@example.com"), "customer.email", id="lone surrogate"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("order", "field"), UNSTORABLE)
def test_webhook_keeps_an_unstorable_order_as_needs_attention(client, pictime_link, order, field):
    body = event_body(order)
    response = client.post(URL, data=body, content_type="application/json", **signed_headers(body))
    assert response.status_code == 200, response.content
    item = InboxItem.objects.get()
    assert item.state == InboxItem.State.NEEDS_ATTENTION
    assert field in item.error
    assert item.raw_payload == body
    assert item.external_id == "ord_1001"


@pytest.fixture
def polled_link(studio, owner, fake_pictime) -> GalleryLink:
    from api.services import generate_api_key

    generate_api_key(studio=studio)
    return link_via_fake(studio, owner, fake_pictime)


def polled(order: dict, updated_at: str) -> dict:
    return {**order, "id": f"ord_{updated_at[:10]}", "updated_at": updated_at}


@pytest.mark.django_db
@pytest.mark.parametrize(("order", "field"), UNSTORABLE)
def test_poll_keeps_an_unstorable_order_and_moves_on(polled_link, fake_pictime, order, field):
    later = order_json(order_id="ord_later", updated_at="2026-05-09T10:00:00Z")
    fake_pictime.orders = [polled(order, "2026-05-03T10:00:00Z"), later]
    result = poll_link(link=polled_link)
    assert result.error == ""
    kept = InboxItem.objects.get(external_id="ord_2026-05-03")
    assert kept.state == InboxItem.State.NEEDS_ATTENTION and field in kept.error
    assert InboxItem.objects.get(external_id="ord_later").state == InboxItem.State.NEW
    polled_link.refresh_from_db()
    assert polled_link.sync_high_water_mark == datetime(2026, 5, 9, 10, tzinfo=UTC)
    # The next poll sees the same two orders again (the overlap): still two items.
    assert poll_link(link=polled_link).error == ""
    assert InboxItem.objects.count() == 2


@pytest.mark.django_db
def test_poll_survives_orders_that_are_not_orders(polled_link, fake_pictime):
    odd = ["a string", 42, None, [], {"id": "x" * 300, "updated_at": "2026-13-45T99:00:00Z"},
           {"id": "ord_naive", "updated_at": "2026-05-04T10:00:00"}]  # fmt: skip
    fake_pictime.orders = [*odd, order_json(order_id="ord_ok", updated_at="2026-05-05T10:00:00Z")]
    result = poll_link(link=polled_link)
    assert result.error == "" and result.fetched == len(odd) + 1
    assert InboxItem.objects.filter(state=InboxItem.State.NEEDS_ATTENTION).count() == len(odd)
    assert InboxItem.objects.get(external_id="ord_ok").state == InboxItem.State.NEW
    polled_link.refresh_from_db()
    assert polled_link.sync_high_water_mark == datetime(2026, 5, 5, 10, tzinfo=UTC)


@pytest.mark.django_db
def test_an_order_from_the_future_does_not_push_the_mark_past_now(polled_link, fake_pictime):
    fake_pictime.orders = [order_json(updated_at="2199-01-01T00:00:00Z")]
    before = datetime.now(UTC)
    poll_link(link=polled_link)
    polled_link.refresh_from_db()
    assert before <= polled_link.sync_high_water_mark <= datetime.now(UTC)


@pytest.mark.django_db
def test_a_mark_left_in_the_future_is_brought_back(polled_link, fake_pictime):
    GalleryLink.objects.filter(pk=polled_link.pk).update(
        sync_high_water_mark=datetime(9999, 12, 31, tzinfo=UTC)
    )
    polled_link.refresh_from_db()
    fake_pictime.orders = [order_json(updated_at="2026-05-02T10:00:00Z")]
    poll_link(link=polled_link)
    polled_link.refresh_from_db()
    assert polled_link.sync_high_water_mark <= datetime.now(UTC)


@pytest.mark.django_db
def test_the_link_shows_the_current_polling_error_and_clears_it_on_recovery(
    polled_link, fake_pictime
):
    GalleryLink.objects.filter(pk=polled_link.pk).update(last_error="An older, unrelated error")
    polled_link.refresh_from_db()
    fake_pictime.orders_error = ProviderError("Pic-Time answered 503: maintenance", status=503)
    assert poll_link(link=polled_link).error
    polled_link.refresh_from_db()
    assert polled_link.last_error == "Polling failed: Pic-Time answered 503: maintenance"
    assert polled_link.last_error_at is not None
    fake_pictime.orders_error = None
    assert poll_link(link=polled_link).error == ""
    polled_link.refresh_from_db()
    assert polled_link.last_error == "" and polled_link.last_error_at is None


@pytest.mark.django_db
def test_sync_now_says_what_it_found_or_why_it_could_not_check(
    auth_client, polled_link, fake_pictime
):
    from django.urls import reverse

    fake_pictime.orders_error = ProviderError("Pic-Time answered 503: maintenance", status=503)
    page = auth_client.post(reverse("inbox:sync"), follow=True).content.decode()
    assert "Checking your online galleries" in page  # the page asks for the outcome
    status = auth_client.get(reverse("inbox:sync_status")).content.decode()
    assert "Pic-Time: <span" in status and "could not check: Pic-Time answered 503" in status
    assert "hx-trigger" not in status  # done: the page stops asking
    fake_pictime.orders_error = None
    fake_pictime.orders = [order_json(order_id=f"ord_sync_{n}") for n in (1, 2)]
    auth_client.post(reverse("inbox:sync"))
    status = auth_client.get(reverse("inbox:sync_status")).content.decode()
    assert "Pic-Time: 2 new orders" in status and "maintenance" not in status
    auth_client.post(reverse("inbox:sync"))
    assert "Pic-Time: nothing new" in auth_client.get(reverse("inbox:sync_status")).content.decode()
    # Once said, the Inbox no longer asks.
    assert (
        "Checking your online galleries"
        not in auth_client.get(reverse("inbox:list")).content.decode()
    )
