"""Properties of the whole order path, through the real API with a real key (issue #9):

* any valid order, pushed any number of times with any keys, in any order of versions,
  then imported, gives exactly one sale whose figures equal the latest version's;
* no two different orders ever share a sale, whatever their ids, providers, accounts,
  and whatever sales the API made with the same references;
* a push with a reused key and a different body stores nothing.

Each example gets a studio of its own (so examples never see each other's rows inside
the test's transaction); example counts are small and the search is derandomized so the
file runs in seconds and the same way every time.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Studio
from accounts.services import create_studio
from api.models import IdempotencyRecord
from api.services import generate_api_key
from contacts.services import create_contact
from galleries.providers.pictime.orders import map_order
from inbox.models import InboxDelivery, InboxItem
from sales.models import Sale
from testkit.api_client import ApiClient
from testkit.payloads import amount, as_minor, random_orders

pytestmark = pytest.mark.django_db

PROPERTY = settings(
    max_examples=12,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PROVIDERS = ["pictime", "shootproof", "theimagefile", "zapier"]
ACCOUNTS = ["acc_a", "acc_b"]
ORDER_IDS = ["ORD-42", "ORD-43"]
KEYS = st.none() | st.sampled_from(["key-1", "key-2", "key-3"])
T0 = dt.datetime(2026, 5, 2, 10, tzinfo=dt.UTC)
_studios = itertools.count(1)


def new_studio() -> tuple[Studio, ApiClient]:
    n = next(_studios)
    studio, _ = create_studio(
        name=f"Property {n}", owner_email=f"prop{n}@example.test", owner_password="pw-12345678"
    )
    return studio, ApiClient(Client(), generate_api_key(studio=studio)[1])


# --- strategies ------------------------------------------------------------------------


def _refunds(draw: st.DrawFn, total_minor: int, currency: str) -> list[dict[str, str]]:
    refunds, left = [], total_minor
    for n in range(draw(st.integers(min_value=0, max_value=2))):
        if left <= 0:
            break
        refund = draw(st.integers(min_value=1, max_value=left))
        left -= refund
        refunds.append(
            {"id": f"ref_{n}", "amount": amount(refund, currency), "reason": "damaged",
             "created_at": "2026-05-03T09:00:00Z"}
        )  # fmt: skip
    return refunds


@st.composite
def order_version(
    draw: st.DrawFn, *, provider: str, account_id: str, order_id: str, updated_at: dt.datetime
) -> dict[str, Any]:
    """A valid order in the normalized schema, as a push sends it: any lines, currency,
    tax mode, discount, shipping, refunds and status (each version its own content)."""
    pictime = draw(random_orders())
    currency = pictime["currency"]
    refunds = _refunds(draw, as_minor(pictime["total"], currency), currency)
    pictime.update(
        id=order_id,
        account_id=account_id,
        updated_at=updated_at.isoformat(),
        refunds=refunds,
        payment_status="partially_refunded" if refunds else "paid",
        status=draw(st.sampled_from(["placed", "in_production", "cancelled"])),
    )
    return {**map_order(pictime).model_dump(mode="json"), "provider": provider}


@st.composite
def order_versions(draw: st.DrawFn, *, order_id: str = "ORD-42") -> list[dict[str, Any]]:
    """1–3 versions of one order, oldest first (strictly later `updated_at` each)."""
    provider = draw(st.sampled_from(PROVIDERS))
    account_id = draw(st.sampled_from(ACCOUNTS))
    hours = draw(st.sets(st.integers(min_value=0, max_value=500), min_size=1, max_size=3))
    return [
        draw(
            order_version(
                provider=provider,
                account_id=account_id,
                order_id=order_id,
                updated_at=T0 + dt.timedelta(hours=hour),
            )
        )
        for hour in sorted(hours)
    ]


# --- helpers ---------------------------------------------------------------------------


def push(api: ApiClient, body: dict[str, Any], key: str | None, kind: str = "orders") -> Any:
    headers = {"Idempotency-Key": key} if key else None
    return api.post(f"/api/v1/inbox/{kind}", body, headers=headers)


def inbox_state(studio: Studio) -> tuple:
    """Everything a push may write, to show that a refused push wrote nothing."""
    items = InboxItem.objects.for_studio(studio).order_by("pk")
    return (
        list(items.values_list("pk", "normalized", "state", "sale_id", "updated_at")),
        InboxDelivery.objects.for_studio(studio).count(),
        IdempotencyRecord.objects.for_studio(studio).count(),
        Sale.objects.for_studio(studio).count(),
    )


def import_via_api(api: ApiClient, item_id: int) -> dict[str, Any]:
    response = api.post(
        f"/api/v1/inbox/{item_id}/import", {"create_contact": True, "shoot": "none"}
    )
    assert response.status_code == 201, response.content
    return response.json()


def _line_figures(lines: list[dict[str, Any]]) -> list[tuple[int, ...]]:
    fields = ("quantity", "unit_price_minor", "discount_minor", "tax_minor", "total_minor")
    return [tuple(line[name] for name in fields) for line in lines]


def figures(sale: dict[str, Any]) -> dict[str, Any]:
    return {
        "currency": sale["currency"],
        "total_minor": sale["total_minor"],
        "tax_minor": sale["tax_minor"],
        "shipping_minor": sale["shipping_minor"],
        "order_discount_minor": sale["order_discount_minor"],
        "paid_minor": sale["paid_minor"],
        "refunded_minor": sale["refunded_minor"],
        "cancelled": sale["status"] == "cancelled",
        "lines": _line_figures(sale["lines"]),
    }


def order_figures(order: dict[str, Any]) -> dict[str, Any]:
    return {
        "currency": order["currency"],
        "total_minor": order["total_minor"],
        "tax_minor": order["tax_minor"],
        "shipping_minor": order["shipping_minor"],
        "order_discount_minor": sum(d["amount_minor"] for d in order["discounts"]),
        "paid_minor": order["amount_paid_minor"],
        "refunded_minor": sum(r["amount_minor"] for r in order["refunds"]),
        "cancelled": order["status"] == "cancelled",
        "lines": _line_figures(order["lines"]),
    }


# --- properties ------------------------------------------------------------------------


@PROPERTY
@given(
    versions=order_versions(),
    pushes=st.lists(st.tuples(st.integers(min_value=0, max_value=2), KEYS), min_size=1, max_size=6),
)
def test_pushes_in_any_order_with_any_keys_then_import_give_the_latest_version(versions, pushes):
    studio, api = new_studio()
    first_use: dict[str, int] = {}
    accepted: set[int] = set()
    for index, key in ((i % len(versions), key) for i, key in pushes):
        before = inbox_state(studio)
        response = push(api, versions[index], key)
        if key is not None and first_use.get(key, index) != index:
            assert response.status_code == 409, response.content
            assert response.json()["error"]["code"] == "idempotency_conflict"
            assert inbox_state(studio) == before
            continue
        assert response.status_code in (200, 201), response.content
        assert (response.get("Idempotent-Replayed") == "true") == (key in first_use)
        if key is not None:
            first_use.setdefault(key, index)
        accepted.add(index)
    latest = versions[max(accepted)]
    item = InboxItem.objects.for_studio(studio).get()
    assert item.normalized == latest
    sale = import_via_api(api, item.pk)
    assert figures(sale) == order_figures(latest)
    assert Sale.objects.for_studio(studio).count() == 1
    assert import_via_api(api, item.pk)["id"] == sale["id"]


IDENTITY = st.tuples(
    st.sampled_from(PROVIDERS), st.sampled_from(ACCOUNTS), st.sampled_from(ORDER_IDS)
)
API_SALE = st.tuples(st.sampled_from(["api", "manual", "pictime"]), st.sampled_from(ORDER_IDS))


@st.composite
def clashing_orders(draw: st.DrawFn) -> list[dict[str, Any]]:
    """2–4 different orders whose ids, providers and accounts overlap as much as possible."""
    identities = draw(st.lists(IDENTITY, min_size=2, max_size=4, unique=True))
    return [
        draw(order_version(provider=p, account_id=a, order_id=o, updated_at=T0))
        for p, a, o in identities
    ]


@PROPERTY
@given(
    orders=clashing_orders(),
    api_sales=st.lists(API_SALE, max_size=3, unique=True),
    steps=st.lists(st.integers(min_value=0, max_value=20), min_size=4, max_size=10),
)
def test_no_two_orders_ever_share_a_sale(orders, api_sales, steps):
    """Interleave, in any order: API sales carrying the same references, pushes, imports,
    un-imports and re-imports. Every order ends with a sale of its own, with its figures."""
    studio, api = new_studio()
    contact = create_contact(studio=studio, first_name="Api", last_name="Client")
    made_by_api: dict[int, tuple[str, int]] = {}
    item_ids: dict[int, int] = {}
    pending_api = list(api_sales)
    for step in steps:
        n = step % len(orders)
        if step % 3 == 0 and pending_api:
            source, ref = pending_api.pop()
            sale = _api_sale(api, contact, source, ref)
            made_by_api[sale["id"]] = (sale["currency"], sale["total_minor"])
        elif n not in item_ids:
            item_ids[n] = push(api, orders[n], None).json()["item"]["id"]
            import_via_api(api, item_ids[n])
        elif step % 2:
            _unimport(studio, item_ids[n])
            import_via_api(api, item_ids[n])
    for n, order in enumerate(orders):
        if n not in item_ids:
            item_ids[n] = push(api, order, None).json()["item"]["id"]
            import_via_api(api, item_ids[n])
    sale_ids = [InboxItem.objects.get(pk=item_ids[n]).sale_id for n in range(len(orders))]
    assert len(set(sale_ids)) == len(orders) and not set(sale_ids) & set(made_by_api)
    for n, sale_id in enumerate(sale_ids):
        assert figures(api.get(f"/api/v1/sales/{sale_id}").json()) == order_figures(orders[n])
    for sale_id, (currency, total) in made_by_api.items():
        kept = api.get(f"/api/v1/sales/{sale_id}").json()
        assert (kept["currency"], kept["total_minor"]) == (currency, total)
    assert Sale.objects.for_studio(studio).count() == len(orders) + len(made_by_api)


def _api_sale(api: ApiClient, contact, source: str, ref: str) -> dict[str, Any]:
    response = api.post(
        "/api/v1/sales",
        {"contact_id": contact.pk, "sale_date": "2026-01-05", "currency": "EUR",
         "source": source, "external_ref": ref,
         "lines": [{"description": "Framing", "unit_price_minor": 12300}]},
    )  # fmt: skip
    assert response.status_code == 201, response.content
    return response.json()


def _unimport(studio: Studio, item_id: int) -> None:
    from inbox.importing import unimport_item

    unimport_item(item=InboxItem.objects.for_studio(studio).get(pk=item_id))


ENQUIRIES = st.builds(
    lambda name, message: {"first_name": name, "email": "lead@example.test", "message": message},
    st.sampled_from(["Lena", "Zoë", "山田"]),
    st.text(min_size=1, max_size=40).filter(str.strip),
)


@PROPERTY
@given(
    pair=st.one_of(
        st.tuples(st.just("orders"), order_versions(), order_versions(order_id="ORD-43")),
        st.tuples(st.just("enquiries"), ENQUIRIES, ENQUIRIES),
    ),
    key=st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=40),
)
def test_a_reused_key_with_a_different_body_stores_nothing(pair, key):
    kind, first, second = pair
    if kind == "orders":
        first, second = first[-1], second[0]
    studio, api = new_studio()
    assert push(api, first, key, kind).status_code == 201
    before = inbox_state(studio)
    refused = push(api, second, key, kind)
    if second == first:
        assert refused.status_code == 201 and refused["Idempotent-Replayed"] == "true"
    else:
        assert refused.status_code == 409, refused.content
        assert refused.json()["error"]["code"] == "idempotency_conflict"
    assert inbox_state(studio) == before


def _with(body: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**body, **changes}


@pytest.mark.parametrize(
    "change",
    [
        # Found by the first property: included tax larger than the line's price.
        lambda o: _with(
            o,
            prices_include_tax=True,
            tax_minor=o["subtotal_minor"] + 1,
            lines=[
                {
                    **o["lines"][0],
                    "tax_minor": o["subtotal_minor"] + 1,
                    "total_minor": o["subtotal_minor"],
                }
            ],
        ),
        # A discount above quantity × price on one line, made up by its tax and by another
        # line, so that every total the order states adds up.
        lambda o: _with(
            o,
            subtotal_minor=990,
            tax_minor=10,
            lines=[
                {
                    **o["lines"][0],
                    "id": "bad",
                    "unit_price_minor": 0,
                    "discount_minor": 10,
                    "tax_minor": 10,
                    "total_minor": 0,
                },
                o["lines"][0],
            ],
        ),
        # Overpaid, then refunded beyond the total.
        lambda o: _with(
            o,
            amount_paid_minor=o["total_minor"] * 2,
            refunds=[
                {
                    "id": "r1",
                    "amount_minor": o["total_minor"] + 1,
                    "refunded_at": "2026-05-03T09:00:00Z",
                }
            ],
        ),
    ],
    ids=["included tax above price", "discount above price", "refunds above total"],
)
def test_the_inbox_refuses_what_import_could_not_store(change):
    studio, api = new_studio()
    base = {**map_order(order_json_one_line()).model_dump(mode="json"), "provider": "zapier"}
    response = push(api, change(base), None)
    assert response.status_code == 422, response.content
    assert InboxItem.objects.for_studio(studio).count() == 0


def order_json_one_line() -> dict[str, Any]:
    from testkit.payloads import order_json

    items = [{"kind": "print", "product": "Print", "quantity": 1, "unit": 1000, "discount": 0,
              "tax": 0}]  # fmt: skip
    return order_json(items=items, shipping=0)


@PROPERTY
@given(
    versions=order_versions(),
    import_after=st.integers(min_value=0, max_value=2),
    replays=st.lists(st.integers(min_value=0, max_value=2), max_size=3),
)
def test_an_import_at_any_point_never_leaves_the_sale_silently_different(
    versions, import_after, replays
):
    """Versions arrive before and after the import, in order and replayed: at the end the
    sale's figures equal the latest version's, or the item names what differs."""
    studio, api = new_studio()
    cut = min(import_after, len(versions) - 1) + 1
    for version in versions[:cut]:
        assert push(api, version, None).status_code in (200, 201)
    item = InboxItem.objects.for_studio(studio).get()
    sale_id = import_via_api(api, item.pk)["id"]
    for index in [*range(cut, len(versions)), *replays]:
        assert push(api, versions[index % len(versions)], None).status_code in (200, 201)
    item.refresh_from_db()
    sale = api.get(f"/api/v1/sales/{sale_id}").json()
    assert item.sale_id == sale_id and item.state == InboxItem.State.IMPORTED
    if figures(sale) != order_figures(versions[-1]):
        assert item.error.startswith("Changed at the gallery after import"), (
            figures(sale),
            order_figures(versions[-1]),
        )
    else:
        assert item.error == ""
    _only_money_of_its_currency(Sale.objects.get(pk=sale_id), versions)


def _only_money_of_its_currency(sale: Sale, versions: list[dict[str, Any]]) -> None:
    """Every refund and payment on the sale came from a version in the sale's currency: an
    amount of another currency's minor units is never written to it (¥5,000 as $50.00)."""
    own = [v for v in versions if v["currency"] == sale.currency]
    told = {(r["id"], r["amount_minor"]) for v in own for r in v["refunds"]}
    for refund in sale.refunds.all():
        assert (refund.external_ref, refund.amount_minor) in told, (refund, versions)
    assert sale.paid_minor <= max(v["amount_paid_minor"] for v in own), (sale, versions)
