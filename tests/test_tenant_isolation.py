"""A user of studio A gets 404 for every object URL of studio B, in the UI and the API,
and B's objects are unchanged afterwards."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from api.services import generate_api_key
from contacts.services import create_contact
from galleries.providers.pictime.orders import map_order
from inbox.intake import take_in_normalized
from invoicing import schedules
from sales.services import LineInput, SaleInput, add_refund, create_sale
from shoots.services import create_shoot
from testkit.payloads import order_json


@pytest.fixture
def studio_b_objects(other_studio_and_owner):
    studio_b = other_studio_and_owner[0]
    contact = create_contact(
        studio=studio_b, first_name="Bea", last_name="Other", emails=["bea@example.test"]
    )
    shoot = create_shoot(
        studio=studio_b,
        title="B wedding",
        shoot_type="wedding",
        starts_at=datetime(2026, 6, 1, 12, tzinfo=UTC),
        status="confirmed",
        contacts=[(contact, "client")],
    )
    sale = create_sale(
        studio=studio_b,
        data=SaleInput(
            contact=contact,
            shoot=shoot,
            sale_date=date(2026, 6, 2),
            currency="USD",
            lines=[
                LineInput(
                    description="Album", product_kind="album", quantity=1, unit_price_minor=50000
                )
            ],
        ),
    )
    item = take_in_normalized(
        studio=studio_b,
        order=map_order(order_json()),
        raw_payload="{}",
        channel="webhook",
        delivery_key="msg_b",
    ).item
    payment = schedules.record_payment(sale=sale, amount_minor=20000, paid_on=date(2026, 6, 3))
    refund = add_refund(sale=sale, amount_minor=5000, refunded_on=date(2026, 6, 4))
    template, _ = schedules.save_template(
        studio=studio_b,
        name="B plan",
        steps=[
            {
                "kind": "remaining",
                "due": {"offset": 0, "unit": "days", "relative_to": "invoice_date"},
            }
        ],
    )
    return {
        "contact": contact,
        "shoot": shoot,
        "sale": sale,
        "item": item,
        "payment": payment,
        "refund": refund,
        "template": template,
    }


UI_GETS = [
    ("contacts:detail", "contact"),
    ("contacts:edit", "contact"),
    ("contacts:delete", "contact"),
    ("shoots:detail", "shoot"),
    ("shoots:edit", "shoot"),
    ("shoots:delete", "shoot"),
    ("sales:detail", "sale"),
    ("sales:edit", "sale"),
    ("sales:delete", "sale"),
    ("sales:cancel", "sale"),
    ("inbox:detail", "item"),
    ("invoicing:edit_payment", "payment"),
    ("invoicing:delete_payment", "payment"),
    ("invoicing:edit_refund", "refund"),
    ("invoicing:delete_refund", "refund"),
    ("invoicing:delete_template", "template"),
]
UI_POSTS = [
    ("contacts:edit", "contact"),
    ("contacts:delete", "contact"),
    ("shoots:edit", "shoot"),
    ("shoots:delete", "shoot"),
    ("shoots:status", "shoot"),
    ("sales:edit", "sale"),
    ("sales:delete", "sale"),
    ("sales:cancel", "sale"),
    ("sales:add_payment", "sale"),
    ("sales:add_refund", "sale"),
    ("inbox:dismiss", "item"),
    ("invoicing:delete_payment", "payment"),
    ("invoicing:delete_refund", "refund"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "kind"), UI_GETS)
def test_ui_get_of_another_studios_object_is_404(auth_client, studio_b_objects, url_name, kind):
    url = reverse(url_name, args=[studio_b_objects[kind].pk])
    assert auth_client.get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "kind"), UI_POSTS)
def test_ui_post_to_another_studios_object_is_404_and_changes_nothing(
    auth_client, studio_b_objects, url_name, kind
):
    url = reverse(url_name, args=[studio_b_objects[kind].pk])
    response = auth_client.post(url, {"status": "cancelled", "amount": "1.00", "first_name": "X"})
    assert response.status_code == 404
    obj = studio_b_objects[kind]
    assert type(obj).objects.filter(pk=obj.pk).exists()
    fresh = type(obj).objects.get(pk=obj.pk)
    assert getattr(fresh, "status", None) == getattr(obj, "status", None)
    assert getattr(fresh, "state", None) == getattr(obj, "state", None)
    assert getattr(fresh, "first_name", None) == getattr(obj, "first_name", None)


@pytest.mark.django_db
def test_lists_never_show_another_studios_rows(auth_client, studio_b_objects):
    for url_name in ("contacts:list", "shoots:list", "sales:list", "inbox:list"):
        body = auth_client.get(reverse(url_name)).content.decode()
        assert "Bea" not in body and "B wedding" not in body and "Ada Lovelace" not in body


API_PATHS = [("contacts", "contact"), ("shoots", "shoot"), ("sales", "sale")]


@pytest.mark.django_db
@pytest.mark.parametrize(("resource", "kind"), API_PATHS)
def test_api_get_and_patch_of_another_studios_object_is_404(
    client, studio, studio_b_objects, resource, kind
):
    key = generate_api_key(studio=studio)[1]
    headers = {"Authorization": f"Bearer {key}"}
    url = f"/api/v1/{resource}/{studio_b_objects[kind].pk}"
    get = client.get(url, headers=headers)
    assert get.status_code == 404 and get.json()["error"]["code"] == "not_found"
    patch = client.patch(url, '{"notes": "x"}', content_type="application/json", headers=headers)
    assert patch.status_code == 404
