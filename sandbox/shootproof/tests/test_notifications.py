"""The notification feed: ShootProof's cheap change feed (it has no webhooks)."""

from __future__ import annotations

import pytest

from .conftest import body

pytestmark = pytest.mark.django_db


def _feed(api, brand, **params) -> dict:
    response = api.get(f"/studio/brand/{brand.id}/notification", params)
    assert response.status_code == 200
    return body(response)


def test_every_change_leaves_a_notification_newest_first(api, brands, control):
    a, b = control.orders(count=2, seed=9)
    control.post(f"/control/orders/{a['id']}/status", {"status": "processing"})
    control.post(f"/control/orders/{a['id']}/refund", {"amount": 1})
    control.post(f"/control/orders/{b['id']}/cancel")
    control.delete(f"/control/orders/{b['id']}")
    feed = _feed(api, brands[0])
    assert feed["type"] == "notification-list"
    got = [(n["notificationType"], n["orderId"]) for n in feed["items"]]
    assert got == [
        ("order-deleted", b["id"]),
        ("order-cancelled", b["id"]),
        ("order-refunded", a["id"]),
        ("order-updated", a["id"]),
        ("order-placed", b["id"]),
        ("order-placed", a["id"]),
    ]
    ids = [n["id"] for n in feed["items"]]
    assert ids == sorted(ids, reverse=True) and all(isinstance(i, int) for i in ids)
    assert feed["meta"]["totalItems"] == 6
    assert all(n["dismissed"] is False and n["message"] for n in feed["items"])


def test_each_brand_has_its_own_feed(api, brands, control):
    control.orders(brand_id=brands[1].id, count=1, seed=1)
    assert _feed(api, brands[0])["items"] == []
    assert len(_feed(api, brands[1])["items"]) == 1


def test_dismissed_notifications_move_to_the_dismissed_list(api, brands, control):
    control.orders(count=2, seed=1)
    newest = _feed(api, brands[0])["items"][0]
    response = api.post(newest["links"]["dismiss"]["href"])
    assert response.status_code == 200 and body(response)["dismissed"] is True
    assert [n["id"] for n in _feed(api, brands[0])["items"]] == [newest["id"] - 1]
    dismissed = _feed(api, brands[0], filterDismissed="true")["items"]
    assert [n["id"] for n in dismissed] == [newest["id"]]
    missing = api.post(f"/studio/brand/{brands[0].id}/notification/1/dismiss")
    assert missing.status_code == 404


def test_the_feed_pages(api, brands, control):
    control.orders(count=5, seed=1)
    page = _feed(api, brands[0], rows=2, page=2)
    assert page["meta"] == {"currentPage": 2, "rows": 2, "totalItems": 5, "totalPages": 3}
    assert "next" in page["links"] and "prev" in page["links"]
