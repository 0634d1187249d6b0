import json
from datetime import UTC, datetime, timedelta

import pytest

from inbox.models import InboxDelivery, InboxItem
from inbox.tests.conftest import event_body, signed_headers
from inbox.tests.pictime_payloads import order_json

URL = "/galleries/webhooks/pictime/"


def post(client, body, headers):
    return client.post(URL, data=body, content_type="application/json", **headers)


@pytest.mark.django_db
def test_signed_order_lands_in_the_inbox_exactly_once(client, pictime_link):
    body = event_body(order_json())
    headers = signed_headers(body, msg_id="msg_1")
    first = post(client, body, headers)
    assert first.status_code == 200 and first.json()["duplicate"] is False
    duplicate = post(client, body, headers)
    assert duplicate.status_code == 200 and duplicate.json()["duplicate"] is True
    item = InboxItem.objects.get()
    assert item.studio_id == pictime_link.studio_id
    assert item.raw_payload == body  # verbatim
    assert InboxDelivery.objects.count() == 1
    pictime_link.refresh_from_db()
    assert pictime_link.last_order_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("mutate", "status", "code"),
    [
        (lambda body, h: (body.replace("Ada", "Eve"), h), 401, "bad_signature"),
        (lambda body, h: (body, {**h, "HTTP_WEBHOOK_SIGNATURE": "v1,AAAA"}), 401, "bad_signature"),
        (lambda body, h: (body, {k: v for k, v in h.items() if k != "HTTP_WEBHOOK_SIGNATURE"}),
         401, "unsigned"),
        (lambda body, h: (body, {}), 401, "unsigned"),
    ],
    ids=["tampered body", "forged signature", "signature missing", "no headers"],
)  # fmt: skip
def test_forged_or_unsigned_requests_store_nothing(client, pictime_link, mutate, status, code):
    good = event_body(order_json())
    body, headers = mutate(good, signed_headers(good))
    response = post(client, body, headers)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert InboxItem.objects.count() == 0 and InboxDelivery.objects.count() == 0


@pytest.mark.django_db
def test_stale_timestamp_is_refused(client, pictime_link):
    body = event_body(order_json())
    old = datetime.now(UTC) - timedelta(minutes=30)
    response = post(client, body, signed_headers(body, timestamp=old))
    assert response.status_code == 401
    assert InboxItem.objects.count() == 0


@pytest.mark.django_db
def test_wrong_secret_is_refused(client, pictime_link):
    body = event_body(order_json())
    other = "whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODk="
    assert post(client, body, signed_headers(body, secret=other)).status_code == 401


@pytest.mark.django_db
def test_unknown_account_and_malformed_json(client, pictime_link):
    body = event_body(order_json(account_id="acc_nobody"))
    response = post(client, body, signed_headers(body))
    assert response.status_code == 404 and response.json()["error"]["code"] == "unknown_account"
    response = post(client, "{not json", signed_headers("{not json"))
    assert response.status_code == 400 and response.json()["error"]["code"] == "malformed_json"
    assert InboxItem.objects.count() == 0


@pytest.mark.django_db
def test_body_over_one_megabyte_is_refused(client, pictime_link):
    body = json.dumps({"data": {"account_id": "acc_demo"}, "pad": "x" * 1_100_000})
    response = post(client, body, signed_headers(body))
    assert response.status_code == 413
    assert InboxItem.objects.count() == 0


@pytest.mark.django_db
def test_signed_but_unreadable_order_is_kept_as_needs_attention(client, pictime_link):
    broken = order_json()
    broken["total"] = "1.00"  # does not add up
    body = event_body(broken)
    response = post(client, body, signed_headers(body))
    assert response.status_code == 200
    item = InboxItem.objects.get()
    assert item.state == "needs_attention"
    assert "total_minor" in item.error
    assert item.raw_payload == body
    assert item.external_id == "ord_1001"


@pytest.mark.django_db
def test_a_refund_event_updates_the_item(client, pictime_link):
    created = event_body(order_json())
    post(client, created, signed_headers(created))
    refunded = event_body(order_json(refunds=[500], updated_at="2026-05-04T10:00:00Z"),
                          "order.refunded")  # fmt: skip
    post(client, refunded, signed_headers(refunded))
    item = InboxItem.objects.get()
    assert item.normalized["refunds"][0]["amount_minor"] == 500
    assert list(item.deliveries.values_list("event_type", flat=True)) == [
        "order.created",
        "order.refunded",
    ]


@pytest.mark.django_db
def test_a_garbage_content_length_is_refused_not_a_server_error(client, pictime_link):
    body = event_body(order_json())
    response = client.post(
        URL,
        data=body,
        content_type="application/json",
        CONTENT_LENGTH="lots",
        **signed_headers(body),
    )
    assert 400 <= response.status_code < 500
    assert InboxItem.objects.count() == 0
