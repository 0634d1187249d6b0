"""Orders over the Studio API: the ORDER shape and its arithmetic, items, payments,
paging meta and links, sorting and filters."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from .conftest import body

pytestmark = pytest.mark.django_db

ORDER_KEYS = {
    "type",
    "id",
    "orderNumber",
    "eventId",
    "eventName",
    "eventDate",
    "status",
    "paymentStatus",
    "customerName",
    "customerEmail",
    "customerPhone",
    "billingAddress",
    "shippingAddress",
    "currencyCode",
    "subtotal",
    "adjustment",
    "shipping",
    "tax",
    "total",
    "amountPaid",
    "amountRefunded",
    "balanceDue",
    "createdAt",
    "updatedAt",
    "cancelledAt",
    "links",
}


def D(value) -> Decimal:
    return Decimal(str(value))


def _orders_path(brand) -> str:
    return f"/studio/brand/{brand.id}/order"


def test_order_has_every_field_and_its_totals_add_up(api, brands, control):
    placed = control.orders(count=20, seed=42)
    for order in placed:
        assert set(order) == ORDER_KEYS
        assert isinstance(order["id"], int) and order["orderNumber"] == str(order["id"])
        assert D(order["total"]) == (
            D(order["subtotal"]) - D(order["adjustment"]) + D(order["shipping"]) + D(order["tax"])
        )
        assert D(order["balanceDue"]) == (
            D(order["total"]) - D(order["amountPaid"]) + D(order["amountRefunded"])
        )
        assert datetime.fromisoformat(order["createdAt"]).utcoffset() is not None
        items = body(api.get(order["links"]["items"]["href"]))["items"]
        assert sum(D(i["total"]) for i in items) == D(order["subtotal"])
        for item in items:
            assert D(item["total"]) == D(item["unitPrice"]) * item["quantity"] - D(item["discount"])
        payments = body(api.get(order["links"]["payments"]["href"]))["items"]
        assert sum(D(p["amount"]) for p in payments if p["kind"] == "payment") == D(
            order["amountPaid"]
        )
    statuses = {o["paymentStatus"] for o in control.orders(count=100, seed=1)}
    assert statuses == {"paid", "partially-paid", "unpaid"}


def test_the_same_seed_gives_the_same_orders(control):
    one = control.orders(count=3, seed=7)
    two = control.orders(count=3, seed=7)
    keys = ("customerName", "customerEmail", "total", "eventId")
    assert [[o[k] for k in keys] for o in one] == [[o[k] for k in keys] for o in two]


def test_explicit_client_items_and_amounts(api, brands, control):
    event = brands[1].events.order_by("id").first()
    (order,) = control.orders(
        brand_id=brands[1].id,
        event_id=event.id,
        client={"name": "Mary Ann van der Berg", "email": "mary@example.com", "phone": None},
        items=[
            {
                "productType": "print",
                "name": "8x10 Print",
                "photoName": "IMG_0423.jpg",
                "options": {"finish": "Lustre"},
                "quantity": 2,
                "unitPrice": 25,
            },
            {"productType": "digital", "name": "Digital Download", "unitPrice": 70},
        ],
        adjustment=10,
        shipping=8.5,
        tax_rate=0,
        currency="USD",
    )
    assert order["customerName"] == "Mary Ann van der Berg"
    assert order["eventId"] == event.id and order["eventName"] == event.name
    assert (order["subtotal"], order["adjustment"], order["shipping"]) == (120.0, 10.0, 8.5)
    assert order["total"] == 118.5 and order["currencyCode"] == "USD"
    item = body(api.get(order["links"]["items"]["href"]))["items"][0]
    assert item == {
        "type": "order-item",
        "id": item["id"],
        "productType": "print",
        "name": "8x10 Print",
        "photoName": "IMG_0423.jpg",
        "options": {"finish": "Lustre"},
        "quantity": 2,
        "unitPrice": 25.0,
        "discount": 0.0,
        "total": 50.0,
    }


def test_amounts_follow_the_currency_exponent(control):
    (yen,) = control.orders(count=1, seed=3, currency="JPY")
    assert all(isinstance(yen[k], int) for k in ("subtotal", "total", "tax"))
    (dinar,) = control.orders(
        currency="BHD", items=[{"name": "Print", "unitPrice": "12.345"}], tax_rate=0, shipping=0
    )
    assert dinar["subtotal"] == 12.345


def test_unpaid_order(control):
    (order,) = control.orders(count=1, seed=1, amount_paid=0)
    assert order["paymentStatus"] == "unpaid" and order["amountPaid"] == 0
    assert order["balanceDue"] == order["total"]


def test_paging_meta_and_next_links(api, brands, control):
    control.orders(count=7, seed=1)
    first = body(api.get(_orders_path(brands[0]), {"rows": 3}))
    assert first["meta"] == {"currentPage": 1, "rows": 3, "totalItems": 7, "totalPages": 3}
    seen = [o["id"] for o in first["items"]]
    page = first
    while "next" in page["links"]:
        page = body(api.get(page["links"]["next"]["href"]))
        seen += [o["id"] for o in page["items"]]
    assert page["meta"]["currentPage"] == 3 and len(seen) == 7 == len(set(seen))
    assert "prev" in page["links"]
    beyond = body(api.get(_orders_path(brands[0]), {"rows": 3, "page": 9}))
    assert beyond["items"] == [] and beyond["meta"]["totalItems"] == 7


@pytest.mark.parametrize("params", [{"rows": 0}, {"rows": 101}, {"page": 0}, {"page": "x"}])
def test_bad_paging_is_a_400(api, brands, params):
    response = api.get(_orders_path(brands[0]), params)
    assert response.status_code == 400
    assert set(body(response)["info"]["errors"]) == set(params)


def test_sorting(api, brands, control):
    placed = control.orders(count=4, seed=2)
    ids = [o["id"] for o in placed]
    oldest = placed[0]["id"]
    control.post(f"/control/orders/{oldest}/status", {"status": "processing"})
    path = _orders_path(brands[0])
    assert [o["id"] for o in body(api.get(path))["items"]] == ids[::-1]  # createdAt desc
    asc = body(api.get(path, {"sortBy": "id", "sortType": "asc"}))["items"]
    assert [o["id"] for o in asc] == ids
    by_update = body(api.get(path, {"sortBy": "updatedAt", "sortType": "desc"}))["items"]
    assert by_update[0]["id"] == oldest
    response = api.get(path, {"sortBy": "total"})
    assert response.status_code == 400 and "sortBy" in body(response)["info"]["errors"]


def test_filters(api, brands, control):
    events = list(brands[0].events.order_by("id"))
    a = control.orders(
        event_id=events[0].id,
        client={"name": "Ada Lovelace", "email": "ada@example.com"},
        items=[{"name": "Print", "unitPrice": 10}],
        shipping=0,
        tax_rate=0,
        amount_paid=10,
    )[0]
    b = control.orders(
        event_id=events[1].id,
        client={"name": "Grace Hopper", "email": "grace@example.net"},
        amount_paid=0,
    )[0]
    control.post(f"/control/orders/{a['id']}/status", {"status": "shipped"})
    path = _orders_path(brands[0])

    def ids(**params) -> set[int]:
        return {o["id"] for o in body(api.get(path, params))["items"]}

    assert ids(filterOrderStatus="shipped") == {a["id"]}
    assert ids(filterOrderStatus="open,shipped") == {a["id"], b["id"]}
    assert ids(filterPaymentStatus="unpaid") == {b["id"]}
    assert ids(filterEventId=events[1].id) == {b["id"]}
    assert ids(searchCustomerEmail="GRACE@") == {b["id"]}
    assert ids(filterOrderId=str(a["id"])) == {a["id"]}
    assert ids(searchCustomerName="lovelace") == {a["id"]}
    response = api.get(path, {"filterOrderStatus": "lost"})
    assert response.status_code == 400
    assert "filterOrderStatus" in body(response)["info"]["errors"]


def test_an_order_of_another_brand_is_404(api, brands, control):
    (order,) = control.orders(brand_id=brands[1].id, count=1, seed=1)
    assert api.get(f"{_orders_path(brands[1])}/{order['id']}").status_code == 200
    assert api.get(f"{_orders_path(brands[0])}/{order['id']}").status_code == 404
