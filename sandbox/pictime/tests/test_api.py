"""The resource API: auth errors, account, galleries, orders with cursors, webhooks."""

from __future__ import annotations

import pytest
from standin import orders
from standin.bootstrap import create_account
from standin.models import Order

from .helpers import place

pytestmark = pytest.mark.django_db


def test_missing_and_unknown_tokens_get_401_json(client, tokens):
    missing = client.get("/api/v1/orders")
    assert missing.status_code == 401
    assert missing.json() == {
        "error": {"code": "unauthorized", "message": missing.json()["error"]["message"]}
    }
    assert missing["WWW-Authenticate"].startswith("Bearer")
    unknown = client.get("/api/v1/orders", HTTP_AUTHORIZATION="Bearer nope")
    assert unknown.status_code == 401
    assert unknown.json()["error"]["code"] == "invalid_token"


def test_missing_scope_gets_403(oauth, client):
    limited = oauth.tokens(scope="account:read")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {limited['access_token']}"}
    assert client.get("/api/v1/account", **headers).status_code == 200
    response = client.get("/api/v1/orders", **headers)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "insufficient_scope"


def test_account(api, demo):
    body = api.get("/api/v1/account").json()
    assert body["id"] == demo.public_id and body["id"].startswith("acc_")
    assert body["email"] == "photographer@pictime.test"
    assert body["name"] == "Rosa Lindqvist Photography"


def test_galleries(api):
    data = api.get("/api/v1/galleries").json()["data"]
    assert len(data) == 5
    first = data[0]
    assert first["id"].startswith("gal_")
    assert first["url"] == "http://127.0.0.1:8001/g/maya-jonas-wedding"
    assert first["event_date"] == "2026-06-14"


def _all_pages(api, params: dict) -> list[list[str]]:
    pages, cursor = [], None
    while True:
        query = dict(params, **({"cursor": cursor} if cursor else {}))
        body = api.get("/api/v1/orders", query).json()
        pages.append([o["id"] for o in body["data"]])
        cursor = body["next_cursor"]
        if cursor is None:
            return pages


def test_orders_cursor_pagination_is_complete_and_ordered(api, demo):
    placed = [place(demo, seed=n).public_id for n in range(7)]
    pages = _all_pages(api, {"limit": 3})
    assert [len(p) for p in pages] == [3, 3, 1]
    assert [oid for page in pages for oid in page] == placed


def test_order_updated_mid_pagination_is_seen_again_not_lost(api, demo):
    placed = [place(demo, seed=n) for n in range(5)]
    first = api.get("/api/v1/orders", {"limit": 2}).json()
    orders.refund_order(order=placed[0], amount=100)
    rest, cursor = [], first["next_cursor"]
    while cursor:
        body = api.get("/api/v1/orders", {"limit": 2, "cursor": cursor}).json()
        rest += [o["id"] for o in body["data"]]
        cursor = body["next_cursor"]
    assert rest == [o.public_id for o in placed[2:]] + [placed[0].public_id]


def test_updated_since_returns_only_later_changes(api, demo):
    old = [place(demo, seed=n) for n in range(3)]
    body = api.get("/api/v1/orders").json()
    since = body["data"][-1]["updated_at"]
    new = place(demo, seed=9)
    orders.cancel_order(order=old[0])
    got = api.get("/api/v1/orders", {"updated_since": since}).json()["data"]
    ids = [o["id"] for o in got]
    assert ids == [old[2].public_id, new.public_id, old[0].public_id]
    assert got[-1]["status"] == "cancelled"


def test_updated_since_accepts_offsets_and_rejects_garbage(api, demo):
    place(demo)
    ok = api.get("/api/v1/orders", {"updated_since": "2000-01-01T00:00:00+00:00"})
    assert ok.status_code == 200 and len(ok.json()["data"]) == 1
    future = api.get("/api/v1/orders", {"updated_since": "2999-01-01T00:00:00Z"})
    assert future.json() == {"data": [], "next_cursor": None}
    bad = api.get("/api/v1/orders", {"updated_since": "yesterday"})
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "invalid_updated_since"


def test_bad_cursor_and_limit_are_400(api):
    assert api.get("/api/v1/orders", {"cursor": "garbage!"}).status_code == 400
    assert api.get("/api/v1/orders", {"limit": "101"}).status_code == 400
    assert api.get("/api/v1/orders", {"limit": "0"}).status_code == 400
    assert api.get("/api/v1/orders", {"limit": "100"}).status_code == 200


def test_order_detail_and_other_accounts_orders_are_404(api, demo):
    mine = place(demo)
    other = create_account(email="other@pictime.test", password="secret1", name="Other")
    theirs = place(other)
    detail = api.get(f"/api/v1/orders/{mine.public_id}")
    assert detail.status_code == 200 and detail.json()["number"] == mine.number
    missing = api.get(f"/api/v1/orders/{theirs.public_id}")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    assert Order.objects.count() == 2


def test_webhook_subscriptions_create_list_delete(api, receiver):
    created = api.post("/api/v1/webhooks", {"url": receiver.url})
    assert created.status_code == 201
    body = created.json()
    assert body["id"].startswith("we_") and body["url"] == receiver.url
    assert body["secret"].startswith("whsec_")
    again = api.post("/api/v1/webhooks", {"url": receiver.url}).json()
    assert again["id"] != body["id"] and again["secret"] != body["secret"]
    listed = api.get("/api/v1/webhooks").json()["data"]
    assert [e["id"] for e in listed] == [body["id"], again["id"]] and "secret" not in listed[0]
    assert api.get(f"/api/v1/webhooks/{body['id']}").json()["url"] == receiver.url
    assert api.delete(f"/api/v1/webhooks/{body['id']}").status_code == 204
    assert api.delete(f"/api/v1/webhooks/{body['id']}").status_code == 404
    assert [e["id"] for e in api.get("/api/v1/webhooks").json()["data"]] == [again["id"]]


def test_webhook_subscription_validates_url_and_json(api):
    bad = api.post("/api/v1/webhooks", {"url": "ftp://x"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_url"
    assert api.post("/api/v1/webhooks", {}).status_code == 400


def test_unknown_api_path_and_wrong_method(api):
    assert api.get("/api/v1/nothing").status_code == 404
    assert api.post("/api/v1/orders", {}).status_code == 405


def test_unknown_control_path_is_json_404(control):
    response = control.get("/control/nothing")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
