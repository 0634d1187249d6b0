"""HTML pages: login, dashboard, the public shop, order actions, deliveries."""

from __future__ import annotations

import pytest
from standin.models import Order, WebhookEndpoint

from .helpers import place
from .test_orders import check_totals

pytestmark = pytest.mark.django_db

SHOP = {
    "qty_print_8x10": "2",
    "qty_digital_single": "1",
    "paper": "metallic",
    "cover": "linen",
    "frame": "black",
    "discount_code": "spring10",
    "shipping_method": "Express",
    "tax_rate": "8.00",
    "payment_collected_by": "pictime",
    "first_name": "Zoë",
    "last_name": "Ångström",
    "email": "zoe@example.com",
    "phone": "+46 70 123 45 67",
    "line1": "Storgatan 1",
    "city": "Uppsala",
    "postcode": "753 20",
    "country": "se",
}


def test_home_login_logout(client, demo):
    assert client.get("/").status_code == 200
    assert client.get("/dashboard/").status_code == 302
    bad = client.post("/login/", {"username": demo.email, "password": "wrong"})
    assert bad.status_code == 200 and b"errorlist" in bad.content
    ok = client.post("/login/", {"username": demo.email, "password": "pictime-demo"})
    assert ok["Location"] == "/dashboard/"
    assert client.post("/logout/").status_code == 302
    assert client.get("/dashboard/").status_code == 302


def test_cookies_do_not_collide_with_cyan(client, demo):
    client.post("/login/", {"username": demo.email, "password": "pictime-demo"})
    assert "pictime_sessionid" in client.cookies and "sessionid" not in client.cookies


def test_dashboard_lists_galleries_orders_and_links(client, demo):
    order = place(demo, seed=1)
    client.force_login(demo.user)
    html = client.get("/dashboard/").content.decode()
    assert "Rosa Lindqvist Photography" in html
    assert "Maya &amp; Jonas: Wedding at Hillside Barn" in html
    assert "/g/maya-jonas-wedding/order" in html
    assert order.number in html


def test_gallery_page_and_shop_place_an_order(client, demo):
    assert b"Order prints" in client.get("/g/maya-jonas-wedding").content
    form = client.get("/g/maya-jonas-wedding/order")
    assert form.status_code == 200 and b"Fine Art Print 8x10" in form.content
    response = client.post("/g/maya-jonas-wedding/order", SHOP)
    assert response.status_code == 302, response.content.decode()[:2000]
    order = Order.objects.get()
    assert response["Location"] == f"/g/maya-jonas-wedding/order/{order.public_id}"
    thanks = client.get(response["Location"]).content.decode()
    assert "Thank you, Zoë" in thanks and order.number in thanks
    from standin.serializers import order_json

    data = order_json(order)
    check_totals(data)
    assert data["client"]["last_name"] == "Ångström"
    assert data["billing_address"]["country"] == "SE"
    assert data["shipping"]["method"] == "Express"
    assert data["items"][0]["options"]["paper"] == "metallic"
    assert data["promotions"][0]["code"] == "SPRING10"


def test_shop_validation_messages(client, demo):
    empty = dict(SHOP, qty_print_8x10="0", qty_digital_single="0")
    response = client.post("/g/maya-jonas-wedding/order", empty)
    assert response.status_code == 400
    assert "Choose at least one product." in response.content.decode()
    bad = dict(SHOP, email="not-an-email", discount_code="NOPE")
    response = client.post("/g/maya-jonas-wedding/order", bad)
    assert response.status_code == 400 and b"valid email" in response.content
    code = client.post("/g/maya-jonas-wedding/order", dict(SHOP, discount_code="NOPE"))
    assert b"The discount code NOPE is not valid." in code.content
    assert not Order.objects.exists()
    assert client.get("/g/no-such-gallery/order").status_code == 404


def test_refund_cancel_and_ship_from_the_order_page(client, demo):
    order = place(demo, seed=2, discount_code="")
    client.force_login(demo.user)
    page = client.get(f"/orders/{order.public_id}/")
    assert page.status_code == 200 and b"Refund" in page.content
    too_much = client.post(f"/orders/{order.public_id}/refund", {"amount": "99999"}, follow=True)
    assert b"left to refund" in too_much.content
    client.post(f"/orders/{order.public_id}/refund", {"amount": "1.00", "reason": "x"})
    order.refresh_from_db()
    assert order.payment_status == "partially_refunded"
    client.post(f"/orders/{order.public_id}/status", {"status": "in_production"})
    client.post(f"/orders/{order.public_id}/cancel", {"refund": "1"})
    order.refresh_from_db()
    assert (order.status, order.payment_status) == ("cancelled", "refunded")


def test_other_photographers_cannot_see_an_order(client, demo):
    from standin.bootstrap import create_account

    other = create_account(email="o@x.test", password="secret", name="O")
    order = place(demo, seed=1)
    client.force_login(other.user)
    assert client.get(f"/orders/{order.public_id}/").status_code == 404
    assert client.post(f"/orders/{order.public_id}/cancel").status_code == 404


def test_deliveries_page_shows_attempts(client, demo, receiver):
    from standin import webhooks
    from standin.delivery import process_due

    webhooks.subscribe(account=demo, application=None, url=receiver.url)
    receiver.statuses = [502]
    place(demo, seed=1)
    process_due()
    client.force_login(demo.user)
    html = client.get("/deliveries/").content.decode()
    assert "order.created" in html and "HTTP 502" in html and receiver.url in html


def test_disconnect_app_revokes_tokens_and_webhooks(oauth, tokens, api, receiver):
    api.post("/api/v1/webhooks", {"url": receiver.url})
    dashboard = oauth.client.get("/dashboard/").content.decode()
    assert "Connected apps" in dashboard and "Disconnect" in dashboard
    from oauth2_provider.models import Application

    app = Application.objects.get(name="Cyan")
    oauth.client.post(f"/apps/{app.pk}/disconnect")
    assert api.get("/api/v1/account").status_code == 401
    assert not WebhookEndpoint.objects.filter(disabled_at__isnull=True).exists()


def test_health_and_static(client):
    assert client.get("/health").json() == {"ok": True}
