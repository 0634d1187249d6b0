"""The browser side: log in, the studio page, placing an order from an event, and the
photographer's order page (refund, cancel, delete)."""

from __future__ import annotations

import pytest
from spstandin.models import Notification, Order

pytestmark = pytest.mark.django_db


def test_home_and_login_pages(client, demo):
    assert b"Log in" in client.get("/").content
    response = client.post(
        "/login/", {"username": "photographer@shootproof.test", "password": "shootproof-demo"}
    )
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    html = client.get("/dashboard/").content.decode()
    assert "Juniper Lane Photography" in html and "Juniper Lane Weddings" in html


def test_a_wrong_password_is_refused(client, demo):
    response = client.post("/login/", {"username": demo.email, "password": "nope"})
    assert response.status_code == 200 and "id_password" in response.content.decode()


def _shop_data(**extra) -> dict:
    return {
        "qty_print_8x10": "2",
        "qty_digital_single": "1",
        "coupon": "thankyou10",
        "shipping_method": "Standard",
        "payment": "card",
        "name": "Mary Ann van der Berg",
        "email": "mary@example.com",
        "phone": "+44 20 7946 0000",
        "address1": "1 High Street",
        "city": "Bath",
        "postal": "BA1 1AA",
        "country": "gb",
        **extra,
    }


def test_placing_an_order_in_the_browser(client, brands):
    event = brands[1].events.order_by("id").first()
    page = client.get(f"/e/{event.id}/order")
    assert page.status_code == 200 and "8x10 Print" in page.content.decode()
    response = client.post(f"/e/{event.id}/order", _shop_data())
    assert response.status_code == 302
    order = Order.objects.get(event=event)
    assert order.customer_name == "Mary Ann van der Berg"
    assert order.currency == "GBP" and order.adjustment_minor > 0
    assert order.items.count() == 2 and order.payment_status == "paid"
    assert order.billing_address["country"] == "GB"
    assert Notification.objects.filter(order_id=order.id, notification_type="order-placed")
    thanks = client.get(response["Location"]).content.decode()
    assert str(order.id) in thanks


def test_an_order_with_nothing_in_it_is_refused_and_keeps_what_was_typed(client, brands):
    event = brands[0].events.first()
    response = client.post(
        f"/e/{event.id}/order", _shop_data(qty_print_8x10="0", qty_digital_single="0")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose at least one product" in html and "Mary Ann van der Berg" in html
    assert not Order.objects.exists()


def test_the_photographer_refunds_cancels_and_deletes(client, demo, control):
    client.force_login(demo.user)
    a, b = control.orders(count=2, seed=3)
    assert client.get(f"/orders/{a['id']}/").status_code == 200
    client.post(f"/orders/{a['id']}/refund", {"amount": "1.00", "reason": "late"})
    assert Order.objects.get(id=a["id"]).amount_refunded_minor == 100
    client.post(f"/orders/{a['id']}/cancel")
    assert Order.objects.get(id=a["id"]).status == "cancelled"
    client.post(f"/orders/{b['id']}/delete")
    assert not Order.objects.filter(id=b["id"]).exists()


def test_another_studios_order_page_is_404(client, control):
    other = control.post("/control/accounts", {}).json()
    client.login(username=other["email"], password=other["password"])
    (order,) = control.orders(count=1, seed=1)
    assert client.get(f"/orders/{order['id']}/").status_code == 404
