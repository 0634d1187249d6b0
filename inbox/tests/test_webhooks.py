import io
import json
from datetime import UTC, datetime, timedelta

import pytest

from inbox.models import InboxDelivery, InboxItem
from testkit.payloads import event_body, order_json, signed_headers

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
def test_unknown_account_looks_like_a_bad_signature_and_malformed_json(client, pictime_link):
    """An unsigned caller cannot tell a linked account from an unknown one."""
    other = "whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODk="
    answers = []
    for account_id in ("acc_nobody", "acc_demo"):
        body = event_body(order_json(account_id=account_id))
        response = post(client, body, signed_headers(body, secret=other))
        answers.append((response.status_code, response.json()))
    assert answers[0] == answers[1]
    assert answers[0][0] == 401 and answers[0][1]["error"]["code"] == "bad_signature"
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


@pytest.mark.django_db
@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", ""])
def test_a_delivery_that_is_not_json_is_refused_as_unsupported(client, pictime_link, content_type):
    body = event_body(order_json())
    response = client.post(URL, data=body, content_type=content_type, **signed_headers(body))
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"
    assert InboxItem.objects.count() == 0


def chunked(body: bytes, *, terminated: bool = True) -> dict:
    """What gunicorn hands Django for a chunked request: no Content-Length, the decoded
    body on wsgi.input, and its promise that the stream ends with the body."""
    extra = {
        "CONTENT_LENGTH": "",
        "HTTP_TRANSFER_ENCODING": "chunked",
        "wsgi.input": io.BytesIO(body),
    }
    return {**extra, "wsgi.input_terminated": True} if terminated else extra


@pytest.mark.django_db
def test_a_chunked_delivery_is_read_and_stored(client, pictime_link):
    body = event_body(order_json())
    response = post(client, body, {**signed_headers(body), **chunked(body.encode())})
    assert response.status_code == 200, response.content
    assert InboxItem.objects.get().raw_payload == body


@pytest.mark.django_db
def test_a_chunked_delivery_over_the_cap_is_refused(client, pictime_link):
    body = json.dumps({"data": {"account_id": "acc_demo"}, "pad": "x" * 1_100_000})
    response = post(client, body, {**signed_headers(body), **chunked(body.encode())})
    assert response.status_code == 413
    assert InboxItem.objects.count() == 0


@pytest.mark.django_db
def test_a_chunked_delivery_a_server_cannot_bound_asks_for_a_length(client, pictime_link):
    body = event_body(order_json())
    headers = {**signed_headers(body), **chunked(body.encode(), terminated=False)}
    assert post(client, body, headers).status_code == 411


@pytest.mark.django_db
def test_a_stale_delivery_for_a_linked_account_looks_like_an_unknown_account(client, pictime_link):
    old = datetime.now(UTC) - timedelta(minutes=30)
    answers = []
    for account_id in ("acc_demo", "acc_nobody"):
        body = event_body(order_json(account_id=account_id))
        answers.append(post(client, body, signed_headers(body, timestamp=old)).json())
    assert answers[0] == answers[1]


@pytest.mark.django_db
def test_an_overlong_webhook_id_is_kept_and_still_dedupes(client, pictime_link):
    body = event_body(order_json())
    headers = signed_headers(body, msg_id="msg_" + "x" * 400)
    assert post(client, body, headers).json()["duplicate"] is False
    assert post(client, body, headers).json()["duplicate"] is True
    assert InboxDelivery.objects.get().delivery_key.startswith("sha256:")
