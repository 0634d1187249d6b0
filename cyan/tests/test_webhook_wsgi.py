"""Webhook POSTs reach their receiver past the middleware stack (cyan/webhook_wsgi.py),
with what they still need of it; the link and its secret are remembered a few seconds
(galleries.link_cache) and forgotten in this process when the studio unlinks."""

from __future__ import annotations

import json

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory

from cyan.webhook_wsgi import dispatch, webhook_routes
from galleries import link_cache
from galleries.models import GalleryLink
from galleries.services import _forget_link
from inbox.models import InboxItem, WebhookDelivery
from testkit.payloads import event_body, order_json, signed_headers

URL = "/galleries/webhooks/pictime/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def app():
    """The dispatching application; the test's connection is kept open across requests,
    as Django's test client keeps it (its transaction is the test's)."""
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    try:
        yield dispatch(WSGIHandler(), webhook_routes())
    finally:
        for signal in signals:
            signal.connect(close_old_connections)


def call(app, method: str, body: str = "", *, host: str = "testserver", **headers) -> tuple:
    request = RequestFactory().generic(
        method, URL, data=body, content_type="application/json", HTTP_HOST=host, **headers
    )
    answer = {}

    def start_response(status, response_headers, exc_info=None):
        answer["status"], answer["headers"] = int(status.split()[0]), dict(response_headers)

    result = app(request.environ, start_response)
    try:
        content = b"".join(result)
    finally:
        result.close()
    return answer["status"], answer["headers"], content


def post_order(app, order_id: str = "ord_1001", **headers) -> tuple:
    body = event_body(order_json(order_id=order_id))
    return call(app, "POST", body, **{**signed_headers(body), **headers})


def test_a_signed_order_is_accepted_and_taken_in(app, pictime_link):
    status, headers, content = post_order(app, HTTP_X_REQUEST_ID="req-42")
    assert status == 200
    assert json.loads(content) == {"ok": True, "duplicate": False}
    assert headers["X-Request-ID"] == "req-42"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "Set-Cookie" not in headers  # no session middleware ran
    assert InboxItem.objects.get().external_id == "ord_1001"


def test_a_resend_is_a_duplicate(app, pictime_link):
    body = event_body(order_json())
    headers = signed_headers(body, msg_id="msg_same")
    first = call(app, "POST", body, **headers)
    second = call(app, "POST", body, **headers)
    assert json.loads(first[2])["duplicate"] is False
    assert json.loads(second[2]) == {"ok": True, "duplicate": True}
    assert WebhookDelivery.objects.count() == 1 and InboxItem.objects.count() == 1


def test_a_wrong_signature_is_refused_and_stores_nothing(app, pictime_link):
    body = event_body(order_json())
    status, _, content = call(app, "POST", body, **signed_headers(body, secret="whsec_" + "A" * 32))
    assert status == 401
    assert json.loads(content)["error"]["code"] == "bad_signature"
    assert not WebhookDelivery.objects.exists()


def test_an_unknown_host_and_an_oversized_body_are_refused(app, pictime_link):
    assert post_order(app, host="evil.example")[0] == 400
    big = "x" * (1024 * 1024 + 1)
    assert call(app, "POST", big, **signed_headers(big))[0] == 413
    assert not WebhookDelivery.objects.exists()


def test_other_requests_go_through_django(app, pictime_link):
    status, headers, _ = call(app, "GET")
    assert status == 405  # the view's require_POST, behind the full stack
    assert "X-Request-ID" in headers


def test_unlinking_in_this_process_stops_acceptance_at_once(app, pictime_link, monkeypatch):
    assert post_order(app, "ord_1")[0] == 200  # the link is remembered now
    _forget_link(link_id=pictime_link.pk)
    assert post_order(app, "ord_2")[0] == 401


def test_an_unlink_elsewhere_stops_acceptance_when_the_memory_expires(
    app, pictime_link, monkeypatch
):
    assert post_order(app, "ord_1")[0] == 200
    # Another process unlinks: this one's memory is not told.
    GalleryLink.objects.filter(pk=pictime_link.pk).update(
        status=GalleryLink.Status.UNLINKED, webhook_secret_encrypted=""
    )
    assert post_order(app, "ord_2")[0] == 200  # still remembered (at most CACHE_SECONDS)
    later = link_cache.time.monotonic() + link_cache.CACHE_SECONDS + 1
    monkeypatch.setattr(link_cache.time, "monotonic", lambda: later)
    assert post_order(app, "ord_3")[0] == 401
    assert set(InboxItem.objects.values_list("external_id", flat=True)) == {"ord_1", "ord_2"}
