"""An order belongs to the link it arrived on: the studio whose webhook secret verified
it, or whose credentials polled it. An order document naming another account is kept in
that studio's Inbox under the link's account, flagged, never filed under the other
account (nor reaching the studio that links it)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from galleries.crypto import encrypt_secret
from galleries.models import GalleryLink
from inbox.intake import take_in
from inbox.models import InboxItem
from testkit.payloads import WEBHOOK_SECRET, event_body, order_json, signed_headers
from testkit.shootproof_payloads import order_document

pytestmark = pytest.mark.django_db
URL = "/galleries/webhooks/pictime/"


@pytest.fixture
def other_link(other_studio) -> GalleryLink:
    return GalleryLink.objects.create(
        studio=other_studio, provider="pictime", provider_account_id="acc_other",
        account_name="Another studio", status=GalleryLink.Status.LINKED,
        linked_at=datetime.now(UTC), webhook_secret_encrypted=encrypt_secret(WEBHOOK_SECRET),
    )  # fmt: skip


def _assert_kept_flagged(studio, other_studio) -> InboxItem:
    item = InboxItem.objects.get()
    assert item.studio_id == studio.pk
    assert item.account_id == "acc_demo"
    assert item.state == InboxItem.State.NEEDS_ATTENTION
    assert "acc_other" in item.error and "acc_demo" in item.error
    assert not InboxItem.objects.filter(studio=other_studio).exists()
    return item


def test_a_webhook_order_naming_another_account_is_kept_flagged_on_the_links_studio(
    client, studio, pictime_link, other_link, other_studio
):
    order = order_json(account_id="acc_other")
    body = json.dumps({"type": "order.created", "timestamp": "2026-05-01T10:00:00Z",
                       "data": {"account_id": "acc_demo", "order": order}})  # fmt: skip
    response = client.post(URL, data=body, content_type="application/json",
                           **signed_headers(body))  # fmt: skip
    assert response.status_code == 200
    _assert_kept_flagged(studio, other_studio)


def test_a_polled_order_naming_another_account_is_kept_flagged(
    studio, pictime_link, other_link, other_studio
):
    raw = order_json(account_id="acc_other")
    take_in(studio=studio, provider="pictime", account_id="acc_demo", raw=raw,
            raw_payload=json.dumps(raw), channel="poll", delivery_key="k1")  # fmt: skip
    _assert_kept_flagged(studio, other_studio)


def test_the_matching_account_is_taken_in_as_usual(client, studio, pictime_link):
    body = event_body(order_json(account_id="acc_demo"))
    assert client.post(URL, data=body, content_type="application/json",
                       **signed_headers(body)).status_code == 200  # fmt: skip
    item = InboxItem.objects.get()
    assert (item.studio_id, item.account_id, item.state) == (studio.pk, "acc_demo", "new")


def test_a_shootproof_order_is_always_filed_under_the_polled_brand(studio):
    """ShootProof's order names no account of its own (only its self link's path): the
    mapper takes the brand the poll asked for, so it cannot land anywhere else."""
    document = order_document()
    document["order"]["links"]["self"]["href"] = "/studio/brand/9999/order/5003001"
    take_in(studio=studio, provider="shootproof", account_id="1201", raw=document,
            raw_payload=json.dumps(document), channel="poll", delivery_key="sp")  # fmt: skip
    item = InboxItem.objects.get()
    assert (item.studio_id, item.account_id, item.state) == (studio.pk, "1201", "new")


@pytest.mark.django_db(transaction=True)
def test_the_batched_intake_keeps_it_flagged_too(
    client, settings, studio, pictime_link, other_link, other_studio
):
    from inbox.tests.test_batch_intake import worker

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}
    }
    order = order_json(account_id="acc_other")
    body = json.dumps({"type": "order.created", "timestamp": "2026-05-01T10:00:00Z",
                       "data": {"account_id": "acc_demo", "order": order}})  # fmt: skip
    assert client.post(URL, data=body, content_type="application/json",
                       **signed_headers(body)).status_code == 200  # fmt: skip
    worker().loop()
    _assert_kept_flagged(studio, other_studio)
