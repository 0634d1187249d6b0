"""The control API: studios, orders, and the rules of cancel, refund, status and delete."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from .conftest import body

pytestmark = pytest.mark.django_db


def test_control_needs_its_token(client, db):
    response = client.post("/control/accounts", {}, content_type="application/json")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_create_a_studio_with_brands(control):
    response = control.post(
        "/control/accounts",
        {"email": "New@Studio.test", "password": "secret-pw", "brands": ["North", "South"]},
    )
    assert response.status_code == 201
    data = body(response)
    assert data["email"] == "new@studio.test" and data["password"] == "secret-pw"
    assert [b["name"] for b in data["brands"]] == ["North", "South"]
    assert all(isinstance(b["id"], int) and len(b["events"]) == 2 for b in data["brands"])
    again = control.post("/control/accounts", {"email": "new@studio.test", "password": "x" * 8})
    assert again.status_code == 400 and "already exists" in body(again)["detail"]


def test_a_studio_with_nothing_given_gets_a_login_made_up(control, client):
    data = body(control.post("/control/accounts", {}))
    assert data["email"].endswith("@shootproof.test") and len(data["password"]) >= 6
    assert len(data["brands"]) == 1
    assert client.login(username=data["email"], password=data["password"])


def test_orders_need_a_known_account_and_brand(control):
    response = control.post("/control/orders", {"account_email": "nobody@x.test"})
    assert response.status_code == 404
    response = control.post(
        "/control/orders", {"account_email": "photographer@shootproof.test", "brand_id": 1}
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"count": 0}, "count"),
        ({"currency": "XXX"}, "currency"),
        ({"items": [{"name": "Print", "unitPrice": "1.234"}]}, "items[0]"),
        ({"client": {"name": "", "email": "a@b.test"}}, "customerName"),
        ({"client": {"name": "Ann", "email": "not-an-email"}}, "customerEmail"),
        ({"created_at": "yesterday"}, "created_at"),
        ({"created_at": "2999-01-01T00:00:00Z"}, "created_at"),
    ],
)
def test_bad_orders_are_refused_with_the_field_named(control, extra, field):
    response = control.post(
        "/control/orders", {"account_email": "photographer@shootproof.test", **extra}
    )
    assert response.status_code == 400, response.content
    assert field in body(response)["info"]["errors"]


def test_a_client_given_as_first_and_last_name(control):
    (order,) = control.orders(
        client={"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"}
    )
    assert order["customerName"] == "Ada Lovelace"


def test_cancel_within_thirty_minutes_refunds_what_was_paid(control):
    (order,) = control.orders(count=1, seed=4)
    response = control.post(f"/control/orders/{order['id']}/cancel")
    assert response.status_code == 200
    cancelled = body(response)
    assert cancelled["status"] == "cancelled" and cancelled["cancelledAt"]
    assert cancelled["amountRefunded"] == order["amountPaid"]
    assert cancelled["paymentStatus"] == "refunded"
    assert cancelled["updatedAt"] > order["updatedAt"]
    again = control.post(f"/control/orders/{order['id']}/cancel")
    assert again.status_code == 409


def test_cancel_after_thirty_minutes_is_a_409(control):
    (order,) = control.orders(count=1, seed=4)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=31), tick=False):
        response = control.post(f"/control/orders/{order['id']}/cancel")
    assert response.status_code == 409
    assert "30 minutes" in body(response)["detail"]
    assert body(control.get(f"/control/orders/{order['id']}"))["status"] == "open"


def test_an_order_placed_long_ago_cannot_be_cancelled(control):
    long_ago = (timezone.now() - dt.timedelta(hours=2)).isoformat()
    (order,) = control.orders(count=1, seed=4, created_at=long_ago)
    assert order["createdAt"].startswith(long_ago[:16])
    assert order["updatedAt"] == order["createdAt"]  # placed then, unchanged since
    assert control.post(f"/control/orders/{order['id']}/cancel").status_code == 409


def test_a_shipped_order_cannot_be_cancelled(control):
    (order,) = control.orders(count=1, seed=4)
    control.post(f"/control/orders/{order['id']}/status", {"status": "shipped"})
    assert control.post(f"/control/orders/{order['id']}/cancel").status_code == 409


def test_partial_then_full_refund(api, control):
    (order,) = control.orders(
        items=[{"name": "Print", "unitPrice": 100}],
        tax_rate=0,
        shipping=0,
        adjustment=0,
        amount_paid=100,
    )
    first = body(control.post(f"/control/orders/{order['id']}/refund", {"amount": 30}))
    assert first["amountRefunded"] == 30.0 and first["paymentStatus"] == "partially-refunded"
    assert first["balanceDue"] == 30.0
    too_much = control.post(f"/control/orders/{order['id']}/refund", {"amount": 70.01})
    assert too_much.status_code == 400
    rest = body(control.post(f"/control/orders/{order['id']}/refund", {"reason": "damaged"}))
    assert rest["amountRefunded"] == 100.0 and rest["paymentStatus"] == "refunded"
    payments = body(api.get(order["links"]["payments"]["href"]))["items"]
    assert [(p["kind"], p["amount"]) for p in payments] == [
        ("payment", 100.0),
        ("refund", 30.0),
        ("refund", 70.0),
    ]
    assert payments[-1]["reason"] == "damaged"
    assert control.post(f"/control/orders/{order['id']}/refund").status_code == 409


def test_a_refund_amount_must_fit_the_currency(control):
    (order,) = control.orders(count=1, seed=1)
    response = control.post(f"/control/orders/{order['id']}/refund", {"amount": "1.001"})
    assert response.status_code == 400 and "amount" in body(response)["info"]["errors"]


def test_status_moves_forward_only(control):
    (order,) = control.orders(count=1, seed=1)
    path = f"/control/orders/{order['id']}/status"
    assert body(control.post(path, {"status": "processing"}))["status"] == "processing"
    assert control.post(path, {"status": "open"}).status_code == 409
    assert control.post(path, {"status": "lost"}).status_code == 400


def test_delete_makes_the_order_404_and_gone_from_the_list(api, brands, control):
    keep, gone = control.orders(count=2, seed=1)
    response = control.delete(f"/control/orders/{gone['id']}")
    assert body(response) == {"id": gone["id"], "deleted": True}
    assert api.get(gone["links"]["self"]["href"]).status_code == 404
    assert api.get(gone["links"]["items"]["href"]).status_code == 404
    listed = body(api.get(f"/studio/brand/{brands[0].id}/order"))
    assert [o["id"] for o in listed["items"]] == [keep["id"]]
    assert control.delete(f"/control/orders/{gone['id']}").status_code == 404
    (new,) = control.orders(count=1, seed=1)
    assert new["id"] > gone["id"]  # ids are never reused


def test_place_orders_command(demo, brands):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command(
        "place_orders", "--count", "2", "--seed", "1", f"--brand={brands[1].id}", stdout=out
    )
    assert len(out.getvalue().splitlines()) == 2
    assert brands[1].orders.count() == 2


def test_explicit_items_are_placed_whatever_the_seed(control):
    """A random deposit, figured on random lines, once exceeded a small explicit order's
    total (a 400 one seed in thirty): explicit items are paid in full unless payments are
    given too."""
    for seed in range(60):
        response = control.post(
            "/control/orders",
            {"account_email": "photographer@shootproof.test", "seed": seed, "currency": "USD",
             "items": [{"productType": "print", "name": "8x10 Print", "unitPrice": 25,
                        "quantity": 2}]},
        )  # fmt: skip
        assert response.status_code == 201, (seed, response.content)
        (order,) = body(response)["orders"]
        assert order["amountPaid"] == order["total"] and order["balanceDue"] == 0
