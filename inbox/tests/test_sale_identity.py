"""An imported sale's identity is its Inbox item (provider, account, order id), never the
free-text external_ref that the API, the sale form or another provider can also write
(issue #9.3). Every path that can write external_ref is tried against an import."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction

from contacts.services import create_contact
from galleries.providers.pictime.orders import map_order
from inbox.importing import import_item, unimport_item
from inbox.models import InboxItem
from sales.models import Sale
from testkit.api_client import ApiClient
from testkit.payloads import order_json

pytestmark = pytest.mark.django_db


@pytest.fixture
def bob(studio):
    return create_contact(studio=studio, first_name="Bob", last_name="Other")


def order(
    order_id: str = "ORD-42", provider: str = "theimagefile", account_id: str = "acc_demo"
) -> dict[str, Any]:
    body = map_order(order_json(order_id=order_id, account_id=account_id, currency="USD"))
    return {**body.model_dump(mode="json"), "provider": provider}


# The number the client saw for order ORD-42: an imported sale's reference.
CLIENT_NUMBER = "PT-D-42"


def api_sale(api: ApiClient, contact, source: str = "api", ref: str = CLIENT_NUMBER) -> dict:
    response = api.post(
        "/api/v1/sales",
        {
            "contact_id": contact.pk,
            "sale_date": "2026-01-05",
            "currency": "EUR",
            "source": source,
            "external_ref": ref,
            "lines": [{"description": "Framing", "unit_price_minor": 12300}],
        },
    )
    assert response.status_code == 201, response.content
    return response.json()


def push_and_import(api: ApiClient, body: dict) -> dict:
    pushed = api.post("/api/v1/inbox/orders", body)
    assert pushed.status_code in (200, 201), pushed.content
    item_id = pushed.json()["item"]["id"]
    imported = api.post(f"/api/v1/inbox/{item_id}/import", {"create_contact": True})
    assert imported.status_code == 201, imported.content
    return imported.json()


def assert_is_the_order(sale: dict, body: dict) -> None:
    assert (sale["currency"], sale["total_minor"]) == (body["currency"], body["total_minor"])
    assert sale["refunded_minor"] == sum(r["amount_minor"] for r in body["refunds"])
    assert len(sale["lines"]) == len(body["lines"])


@pytest.mark.parametrize(
    ("sale_source", "provider"),
    [("api", "theimagefile"), ("api", "zapier"), ("pictime", "pictime"), ("manual", "api")],
)
def test_a_sale_made_elsewhere_with_the_order_reference_is_not_the_import(
    api, bob, sale_source, provider
):
    existing = api_sale(api, bob, source=sale_source)
    body = order(provider=provider)
    imported = push_and_import(api, body)
    assert imported["id"] != existing["id"]
    assert_is_the_order(imported, body)
    assert imported["contact_id"] != bob.pk and imported["external_ref"] == CLIENT_NUMBER
    untouched = api.get(f"/api/v1/sales/{existing['id']}").json()
    assert (untouched["currency"], untouched["total_minor"]) == ("EUR", 12300)


def test_the_same_order_id_on_two_accounts_makes_two_sales(api):
    first = push_and_import(api, order(provider="pictime", account_id="acc_a"))
    second = push_and_import(api, order(provider="pictime", account_id="acc_b"))
    assert first["id"] != second["id"]
    assert Sale.objects.count() == 2


def test_the_same_order_id_from_two_push_providers_makes_two_sales(api):
    first = push_and_import(api, order(provider="theimagefile"))
    second = push_and_import(api, order(provider="zapier"))
    assert first["id"] != second["id"] and first["source"] == second["source"] == "api"
    assert Sale.objects.count() == 2


def test_an_api_sale_made_after_the_import_is_its_own_sale(api, bob):
    imported = push_and_import(api, order())
    existing = api_sale(api, bob)
    assert existing["id"] != imported["id"]
    again = api.post("/api/v1/inbox/orders", order())
    item_id = again.json()["item"]["id"]
    reimport = api.post(f"/api/v1/inbox/{item_id}/import", {"create_contact": True})
    assert reimport.json()["id"] == imported["id"]


def test_two_api_sales_with_one_reference_are_still_refused(api, bob):
    api_sale(api, bob)
    response = api.post(
        "/api/v1/sales",
        {"contact_id": bob.pk, "sale_date": "2026-01-06", "external_ref": CLIENT_NUMBER,
         "lines": [{"description": "Again", "unit_price_minor": 100}]},
    )  # fmt: skip
    assert response.status_code == 409 and response.json()["error"]["code"] == "duplicate_sale"


def test_renaming_references_by_patch_never_moves_an_order(api, bob):
    imported = push_and_import(api, order())
    existing = api_sale(api, bob, ref="OTHER")
    moved = api.patch(f"/api/v1/sales/{existing['id']}", {"external_ref": CLIENT_NUMBER})
    assert moved.status_code == 200
    renamed = api.patch(f"/api/v1/sales/{imported['id']}", {"external_ref": "renamed"})
    assert renamed.status_code == 200
    item = InboxItem.objects.get()
    assert item.sale_id == imported["id"]
    assert import_item(item=item).pk == imported["id"]


def test_unimport_then_reimport_makes_the_order_sale_again(api, bob):
    first = push_and_import(api, order())
    item = InboxItem.objects.get()
    unimport_item(item=item)
    existing = api_sale(api, bob)
    again = import_item(item=item, create_contact=True)
    assert again.pk not in (first["id"], existing["id"])
    assert (again.currency, again.total_minor) == ("USD", order()["total_minor"])
    assert not Sale.objects.filter(pk=first["id"]).exists()


def test_two_items_can_never_share_a_sale(api, studio):
    push_and_import(api, order(order_id="A-1"))
    api.post("/api/v1/inbox/orders", order(order_id="B-2"))
    first, second = InboxItem.objects.order_by("pk")
    with pytest.raises(IntegrityError), transaction.atomic():
        InboxItem.objects.filter(pk=second.pk).update(sale_id=first.sale_id)


def test_a_polled_order_of_another_account_with_the_same_id_and_version_is_kept(studio):
    """After re-linking to another account, its order with the same id and updated_at is
    a different order, not a repeated poll delivery."""
    from galleries import providers
    from galleries.models import GalleryLink
    from inbox.sync import PollResult, _take_in_polled

    pictime = providers.get("pictime")
    link = GalleryLink.objects.create(
        studio=studio, provider="pictime", provider_account_id="acc_a", status="linked"
    )
    for account in ("acc_a", "acc_b"):
        link.provider_account_id = account
        link.save()
        raw = order_json(order_id="ORD-42", account_id=account)
        _take_in_polled(link, pictime.polled_order(raw, account_id=account), PollResult())
    accounts = InboxItem.objects.for_studio(studio).values_list("account_id", flat=True)
    assert sorted(accounts) == ["acc_a", "acc_b"]
