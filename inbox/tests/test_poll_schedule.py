"""Polling for every provider (inbox.sync, inbox.tasks): when the next poll is due, when a
poll is a full reconcile, what a failed poll keeps, and a 401 in the middle of paging."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from galleries.models import GalleryLink
from galleries.providers import ProviderAuthError, ProviderError
from inbox.models import InboxItem
from inbox.sync import BACKFILL, FULL_SYNC_EVERY, OVERLAP, poll_link
from inbox.tasks import poll_all_links
from testkit.payloads import order_json
from testkit.standin.oauth import link_via_fake

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(studio, owner, fake_pictime, settings) -> GalleryLink:
    from api.services import generate_api_key

    settings.CYAN_POLL_INTERVAL_SECONDS = 300
    generate_api_key(studio=studio)
    link = link_via_fake(studio, owner, fake_pictime)
    link.refresh_from_db()
    return link


def orders(*updated: str) -> list[dict]:
    return [order_json(order_id=f"ord_{i}", updated_at=at) for i, at in enumerate(updated)]


def test_the_first_poll_is_the_90_day_backfill_and_the_next_is_incremental(link, fake_pictime):
    fake_pictime.order_queries.clear()
    fake_pictime.orders = orders("2026-05-01T10:00:00Z")
    before = timezone.now()
    first = poll_link(link=link, full=False)
    assert first.full and first.created + first.fetched >= 1
    assert fake_pictime.order_queries[0] <= before - BACKFILL + timedelta(minutes=1)
    link.refresh_from_db()
    assert link.last_full_sync_at is not None and link.poll_cursor == ""
    second = poll_link(link=link)
    assert not second.full
    assert fake_pictime.order_queries[-1] == link.sync_high_water_mark - OVERLAP


def test_a_day_after_the_last_full_reconcile_the_next_poll_is_full_again(link):
    poll_link(link=link)
    GalleryLink.objects.filter(pk=link.pk).update(
        last_full_sync_at=timezone.now() - FULL_SYNC_EVERY - timedelta(minutes=1)
    )
    link.refresh_from_db()
    assert poll_link(link=link).full
    assert not poll_link(link=link).full


def test_a_poll_says_when_the_next_is_due(link):
    result = poll_link(link=link)
    link.refresh_from_db()
    assert link.poll_delay_seconds == 300
    assert link.next_poll_at == result.next_poll_at
    assert timezone.now() < link.next_poll_at <= timezone.now() + timedelta(seconds=300)


def test_the_round_polls_only_the_links_that_are_due(link, fake_pictime):
    GalleryLink.objects.filter(pk=link.pk).update(next_poll_at=timezone.now() + timedelta(hours=1))
    assert poll_all_links.call(False) == 0
    GalleryLink.objects.filter(pk=link.pk).update(next_poll_at=None)
    fake_pictime.orders = orders("2026-05-01T10:00:00Z")
    assert poll_all_links.call(False) == 1
    # The (in-line) poll ran and set the link's next time: not due at the next round.
    assert InboxItem.objects.count() == 1
    assert poll_all_links.call(False) == 0


def test_a_failed_poll_keeps_the_cursor_retries_the_full_sync_and_waits_for_retry_after(
    link, fake_pictime
):
    GalleryLink.objects.filter(pk=link.pk).update(poll_cursor="kept", last_full_sync_at=None)
    link.refresh_from_db()
    fake_pictime.orders_error = ProviderError(
        "Pic-Time answered 429: slow down", status=429, retry_after=3600
    )
    result = poll_link(link=link)
    link.refresh_from_db()
    assert result.error and link.last_error
    assert link.poll_cursor == "kept" and link.last_full_sync_at is None
    assert link.next_poll_at >= timezone.now() + timedelta(seconds=3500)
    fake_pictime.orders_error = None
    assert poll_link(link=link).error == ""
    link.refresh_from_db()
    assert link.last_full_sync_at is not None and link.last_error == ""


class RevokedAfterFirstPage:
    """The fake, whose access token is rejected (401) once, on the second page."""

    def __init__(self, fake) -> None:
        self.fake = fake
        self.rejected = False

    def __getattr__(self, name):
        return getattr(self.fake, name)

    def list_orders(self, *, access_token, updated_since=None, cursor=None, limit=None):
        if cursor and not self.rejected:
            self.rejected = True
            raise ProviderAuthError("Pic-Time answered 401: expired", status=401)
        return self.fake.list_orders(
            access_token=access_token, updated_since=updated_since, cursor=cursor, limit=1
        )


def test_a_401_in_the_middle_of_paging_refreshes_once_and_loses_nothing(
    link, fake_pictime, monkeypatch
):
    from testkit.fakes import use_client

    use_client(monkeypatch, "pictime", RevokedAfterFirstPage(fake_pictime))
    fake_pictime.orders = orders("2026-05-01T10:00:00Z", "2026-05-02T10:00:00Z")
    refreshes = fake_pictime.refresh_calls
    result = poll_link(link=link)
    assert result.error == ""
    assert fake_pictime.refresh_calls == refreshes + 1
    assert InboxItem.objects.count() == 2


def test_sync_now_is_a_full_reconcile(auth_client, link, fake_pictime):
    poll_link(link=link)
    fake_pictime.order_queries.clear()
    auth_client.post("/inbox/sync/")
    link.refresh_from_db()
    assert fake_pictime.order_queries
    assert fake_pictime.order_queries[0] <= timezone.now() - BACKFILL + timedelta(minutes=1)
