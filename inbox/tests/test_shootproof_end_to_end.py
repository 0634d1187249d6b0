"""A ShootProof order end to end through the real stand-in: linked brand → placed at
ShootProof → polled (notification feed, then the order, its items and payments) → an
Inbox item (provider shootproof, the ShootProof order id) → imported onto the matched
contact and shoot; then a refund, a deletion, an idle poll and a 429 follow it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from api.services import generate_api_key
from contacts.services import create_contact
from galleries.models import GalleryLink
from inbox.importing import bulk_import, import_item
from inbox.models import InboxItem
from inbox.sync import poll_link
from sales.models import Sale
from shoots.services import create_shoot
from testkit.shootproof_linking import link_brand

pytestmark = [pytest.mark.standin, pytest.mark.django_db]

ITEMS = [
    {"productType": "print", "name": "8x10 Print", "unitPrice": 25, "quantity": 2},
    {"productType": "digital", "name": "Digital Download", "unitPrice": 70},
]


def place(standin, account: dict, brand: dict, **fields) -> dict:
    body = {"account_email": account["email"], "brand_id": brand["id"], "count": 1, **fields}
    response = standin.control("POST", "/control/orders", body)
    assert response.status_code in (200, 201), response.text
    return response.json()["orders"][0]


@pytest.fixture
def linked(auth_client, studio, shootproof, shootproof_account) -> GalleryLink:
    generate_api_key(studio=studio)
    link = link_brand(auth_client, shootproof, shootproof_account, index=0)
    first = poll_link(link=link)  # the first poll: a 90-day backfill of an empty brand
    assert first.error == "" and first.fetched == 0
    link.refresh_from_db()
    return link


def test_an_order_is_polled_imported_refunded_and_deleted(
    linked, studio, shootproof, shootproof_account
):
    brand = shootproof_account["brands"][0]
    mary = create_contact(
        studio=studio, first_name="Mary Ann", last_name="van der Berg",
        emails=["maryann@example.com"],
    )  # fmt: skip
    shoot = create_shoot(
        studio=studio, title="Van der Berg wedding", shoot_type="wedding",
        starts_at=datetime(2026, 6, 14, 15, tzinfo=UTC), status="confirmed",
        contacts=[(mary, "client")],
    )  # fmt: skip
    client = {"name": "Mary Ann van der Berg", "email": "MaryAnn@example.com"}
    order = place(shootproof, shootproof_account, brand, client=client, items=ITEMS,
                  currency="USD", shipping=8.5, adjustment=10)  # fmt: skip

    result = poll_link(link=linked)
    assert (result.error, result.created) == ("", 1)
    item = InboxItem.objects.get(studio=studio, external_id=str(order["id"]))
    assert (item.source, item.account_id) == ("shootproof", str(brand["id"]))
    assert item.order.total_minor == round(order["total"] * 100)
    assert item.order.customer.full_name == "Mary Ann van der Berg"

    sale = import_item(item=item)
    assert (sale.contact, sale.shoot, sale.source) == (mary, shoot, "shootproof")
    assert sale.total_minor == item.order.total_minor

    idle = poll_link(link=linked)  # nothing new: the cheap check alone
    assert (idle.error, idle.fetched) == ("", 0)
    again = poll_link(link=linked, full=True)  # "Sync now": the same version, stored once
    assert (again.error, again.fetched, again.created, again.updated) == ("", 1, 0, 0)
    assert item.deliveries.count() == 1

    refund = shootproof.control("POST", f"/control/orders/{order['id']}/refund", {"amount": 5})
    assert refund.status_code == 200, refund.text
    assert poll_link(link=linked).updated == 1
    sale.refresh_from_db()
    assert [r.amount_minor for r in sale.refunds.all()] == [500]

    deleted = shootproof.control("DELETE", f"/control/orders/{order['id']}")
    assert deleted.status_code in (200, 204), deleted.text
    assert poll_link(link=linked).error == ""
    item.refresh_from_db()
    assert (item.order.status, item.order.status_raw) == ("cancelled", "deleted")
    sale.refresh_from_db()
    assert sale.status == Sale.Status.CANCELLED


def test_an_order_placed_and_deleted_between_polls_leaves_nothing(
    linked, studio, shootproof, shootproof_account
):
    order = place(shootproof, shootproof_account, shootproof_account["brands"][0], seed=3)
    shootproof.control("DELETE", f"/control/orders/{order['id']}")
    result = poll_link(link=linked)
    assert (result.error, result.fetched) == ("", 0)
    assert not InboxItem.objects.filter(studio=studio).exists()


def test_a_429_is_shown_on_the_link_and_the_cursor_kept(
    linked, auth_client, studio, shootproof, shootproof_account
):
    cursor = linked.poll_cursor
    place(shootproof, shootproof_account, shootproof_account["brands"][0], seed=4)
    shootproof.set_fault("rate_limit", seconds=600, count=50)
    try:
        result = poll_link(link=linked)
    finally:
        shootproof.set_fault("none")
    linked.refresh_from_db()
    assert "429" in result.error and "429" in linked.last_error
    page = auth_client.get(reverse("galleries:settings")).content.decode()
    assert "Polling failed: ShootProof answered 429" in page  # the studio sees why
    assert linked.poll_cursor == cursor  # the orders behind the feed are still to fetch
    assert (linked.next_poll_at - datetime.now(UTC)).total_seconds() > 500  # Retry-After
    result = poll_link(link=linked)
    linked.refresh_from_db()
    assert (result.error, result.created, linked.last_error) == ("", 1, "")
    assert linked.poll_cursor != cursor


@pytest.mark.django_db(transaction=True)  # auto-import runs once the item has committed
def test_bulk_and_auto_import_take_shootproof_orders_too(
    linked, studio, shootproof, shootproof_account
):
    brand = shootproof_account["brands"][0]
    for first, last, email in [("Ada", "Lovelace", "ada@example.com"),
                               ("Alan", "Turing", "alan@example.com")]:  # fmt: skip
        create_contact(studio=studio, first_name=first, last_name=last, emails=[email])
    ada = place(shootproof, shootproof_account, brand,
                client={"name": "Ada Lovelace", "email": "ada@example.com"})  # fmt: skip
    assert poll_link(link=linked).created == 1
    item = InboxItem.objects.get(studio=studio, external_id=str(ada["id"]))
    result = bulk_import(studio=studio, item_ids=[item.pk])
    assert [sale.contact.last_name for _, sale in result.imported] == ["Lovelace"]

    studio.auto_import_certain_matches = True
    studio.save(update_fields=["auto_import_certain_matches"])
    alan = place(shootproof, shootproof_account, brand,
                 client={"name": "Alan Turing", "email": "alan@example.com"})  # fmt: skip
    linked.refresh_from_db()
    assert poll_link(link=linked).created == 1
    item = InboxItem.objects.get(studio=studio, external_id=str(alan["id"]))
    assert item.state == InboxItem.State.IMPORTED
    assert Sale.objects.get(pk=item.sale_id).contact.last_name == "Turing"


def test_a_5xx_is_shown_with_shootproofs_problem_and_cleared_by_the_next_poll(
    linked, studio, shootproof, shootproof_account
):
    cursor = linked.poll_cursor
    shootproof.set_fault("server_error", count=1)
    try:
        result = poll_link(link=linked)
    finally:
        shootproof.set_fault("none")
    linked.refresh_from_db()
    assert "ShootProof answered 503" in linked.last_error and result.error
    assert linked.poll_cursor == cursor
    assert poll_link(link=linked).error == ""
    linked.refresh_from_db()
    assert linked.last_error == ""
