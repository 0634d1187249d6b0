"""The control API and the management commands."""

from __future__ import annotations

import io
import unicodedata

import pytest
from django.core.management import CommandError, call_command
from standin import webhooks
from standin.models import Order

from .test_orders import check_totals

pytestmark = pytest.mark.django_db


def test_control_api_needs_the_control_token(client, demo):
    response = client.post("/control/orders", {}, content_type="application/json")
    assert response.status_code == 401
    wrong = client.post(
        "/control/orders", {}, content_type="application/json", HTTP_AUTHORIZATION="Bearer x"
    )
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "unauthorized"


def test_create_account_with_galleries_then_log_in(control, client):
    response = control.post(
        "/control/accounts",
        {
            "email": "Nour@Studio.test",
            "password": "s3cret!",
            "name": "Nour Studio",
            "currency": "EUR",
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert body["email"] == "nour@studio.test" and body["currency"] == "EUR"
    assert len(body["galleries"]) == 2
    duplicate = control.post(
        "/control/accounts", {"email": "nour@studio.test", "password": "s3cret!", "name": "N"}
    )
    assert duplicate.status_code == 400
    login = client.post("/login/", {"username": "nour@studio.test", "password": "s3cret!"})
    assert login.status_code == 302 and login["Location"] == "/dashboard/"
    assert "Nour Studio" in client.get("/dashboard/").content.decode()


def test_random_orders_are_realistic_and_from_many_scripts(control, demo):
    response = control.post(
        "/control/orders", {"account_email": demo.email, "count": 60, "seed": 7}
    )
    assert response.status_code == 201
    data = response.json()["data"]
    assert len(data) == 60
    scripts = set()
    for order in data:
        check_totals(order)
        name = order["client"]["first_name"] + order["client"]["last_name"]
        scripts |= {unicodedata.name(ch).split()[0] for ch in name if ch.isalpha()}
        assert "@" in order["client"]["email"] and order["client"]["email"].isascii()
    assert {"LATIN", "CJK", "CYRILLIC", "GREEK"} <= scripts and len(scripts) >= 6
    kinds = {item["kind"] for order in data for item in order["items"]}
    assert kinds == {"print", "album", "wall_art", "digital", "package"}
    assert {o["payment_collected_by"] for o in data} == {"pictime", "photographer"}


def test_same_seed_same_orders(control):
    for n in (1, 2):
        control.post(
            "/control/accounts",
            {"email": f"s{n}@x.test", "password": "secret", "name": f"S{n}", "galleries": 1},
        )
    one = control.post("/control/orders", {"account_email": "s1@x.test", "count": 3, "seed": 42})
    two = control.post("/control/orders", {"account_email": "s2@x.test", "count": 3, "seed": 42})

    def key(o):
        return (o["client"]["email"], o["total"], [i["product"] for i in o["items"]])

    assert [key(o) for o in one.json()["data"]] == [key(o) for o in two.json()["data"]]


def test_one_explicit_order(control, demo):
    gallery = demo.galleries.get(slug="lena-vogel-senior")
    response = control.post(
        "/control/orders",
        {
            "account_email": demo.email,
            "gallery_id": gallery.public_id,
            "currency": "JPY",
            "client": {
                "first_name": "陽子",
                "last_name": "山田",
                "email": "yoko@example.jp",
                "phone": "+81 90-1234-5678",
                "address": {"line1": "1-2-3 Shibuya", "city": "Tokyo", "country": "JP"},
            },
            "items": [
                {"sku": "print-8x10", "quantity": 3, "options": {"paper": "matte"}},
                {"kind": "digital", "product": "Custom slideshow", "unit_price": "4500"},
            ],
            "discount_code": "WELCOME15",
            "tax_rate": "10",
            "tax_included": True,
            "payment_collected_by": "photographer",
        },
    )
    assert response.status_code == 201, response.content
    order = response.json()["data"][0]
    check_totals(order)
    assert order["gallery"]["id"] == gallery.public_id and order["currency"] == "JPY"
    assert order["client"]["last_name"] == "山田"
    assert order["billing_address"]["city"] == "Tokyo"
    assert [i["unit_price"] for i in order["items"]] == ["3750", "4500"]
    assert order["items"][0]["options"] == {"size": "8x10", "paper": "matte"}
    assert order["items"][1]["digital"] is True
    assert order["promotions"][0]["amount"] == "2250" and order["discounts"] == []
    assert order["tax"] == {
        "amount": order["tax"]["amount"],
        "rate": "10.00",
        "included_in_prices": True,
    }
    assert order["payment_collected_by"] == "photographer" and order["fees"]["platform_fee"] == "0"


def test_bad_explicit_orders_are_400(control, demo):
    cases = [
        {"items": [{"sku": "nope"}]},
        {"items": [{"kind": "print", "product": "P", "unit_price": "1.234"}]},
        {"count": 0},
        {"currency": "XYZ"},
        {"client": {"first_name": "A", "email": "bad"}},
    ]
    for case in cases:
        response = control.post("/control/orders", {"account_email": demo.email, **case})
        assert response.status_code == 400, case
        assert response.json()["error"]["message"]
    assert control.post("/control/orders", {"account_email": "no@x"}).status_code == 404
    assert not Order.objects.exists()


def test_refund_cancel_and_status_over_control(control, demo):
    order = control.post("/control/orders", {"account_email": demo.email, "seed": 1}).json()
    oid = order["data"][0]["id"]
    too_much = control.post(f"/control/orders/{oid}/refund", {"amount": "999999.00"})
    assert too_much.status_code == 400 and "left to refund" in too_much.json()["error"]["message"]
    bad = control.post(f"/control/orders/{oid}/refund", {"amount": "1.001"})
    assert bad.status_code == 400
    part = control.post(f"/control/orders/{oid}/refund", {"amount": "1.00", "reason": "Scratch"})
    assert part.json()["payment_status"] == "partially_refunded"
    moved = control.post(f"/control/orders/{oid}/status", {"status": "in_production"})
    assert moved.json()["status"] == "in_production"
    cancelled = control.post(f"/control/orders/{oid}/cancel")
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["payment_status"] == "refunded"
    assert control.post(f"/control/orders/{oid}/cancel").status_code == 400
    assert control.post("/control/orders/ord_missing/refund").status_code == 404
    assert control.get(f"/control/orders/{oid}").json()["id"] == oid


def test_mode_flush_and_deliveries_json(control, demo, receiver):
    webhooks.subscribe(account=demo, application=None, url=receiver.url)
    assert control.post("/control/webhooks/mode", {"mode": "paused"}).json() == {
        "mode": "paused",
        "previous": "normal",
    }
    control.post("/control/orders", {"account_email": demo.email, "count": 2, "seed": 3})
    held = control.post("/control/webhooks/flush").json()
    assert held["attempted"] == 0 and held["pending"] == 2
    assert control.post("/control/webhooks/mode", {"mode": "bogus"}).status_code == 400
    control.post("/control/webhooks/mode", {"mode": "normal"})
    flushed = control.post("/control/webhooks/flush").json()
    assert flushed["attempted"] == 2 and flushed["outcomes"] == {"succeeded": 2}
    rows = control.get("/control/deliveries", {"account_email": demo.email}).json()["data"]
    assert [d["status"] for d in rows] == ["succeeded", "succeeded"]
    attempt = rows[0]["attempts"][0]
    assert attempt["status_code"] == 200 and attempt["outcome"] == "succeeded"
    assert {"at", "duration_ms", "error", "number"} <= set(attempt)
    assert control.get("/control/webhooks/mode").json() == {"mode": "normal"}


def test_management_commands(demo):
    out = io.StringIO()
    call_command("place_orders", "--account", demo.email, "--count", "2", "--seed", "5", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 2
    oid = lines[0].split()[0]
    out = io.StringIO()
    call_command("refund_order", oid, "--amount", "1.00", stdout=out)
    assert "partially_refunded" in out.getvalue()
    with pytest.raises(CommandError, match="decimal places"):
        call_command("refund_order", oid, "--amount", "0.001")
    call_command("cancel_order", oid, stdout=io.StringIO())
    assert Order.objects.get(public_id=oid).status == "cancelled"
    with pytest.raises(CommandError):
        call_command("cancel_order", oid)
    with pytest.raises(CommandError):
        call_command("place_orders", "--account", "nobody@x.test")


def test_an_unexpected_failure_is_a_json_500_not_an_html_page(control, demo, client, monkeypatch):
    """A missing runtime module (faker once) or any other bug must reach the caller as JSON."""
    from standin import orders

    def broken(_request):
        raise ModuleNotFoundError("No module named 'faker'")

    monkeypatch.setattr(orders, "place_order", broken)
    client.raise_request_exception = False
    response = control.post("/control/orders", {"account_email": demo.email, "count": 1})
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"]["code"] == "server_error"
