"""The ShootProof provider's poll against the real stand-in, counting the requests it
sends: the cheap check is one request, a busy poll reads only the orders the feed names,
a full reconcile reads every order of the window, deletions name their order."""

from __future__ import annotations

import secrets
from collections import Counter
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from galleries.providers.base import PollPlan
from galleries.providers.shootproof import PROVIDER
from galleries.providers.shootproof.client import ProviderRateLimited, ShootProofClient

pytestmark = pytest.mark.standin

CALLBACK = "http://127.0.0.1:8999/galleries/shootproof/callback/"


class Counting(requests.Session):
    def __init__(self) -> None:
        super().__init__()
        self.paths: Counter[str] = Counter()

    def request(self, method, url, *args, **kwargs):  # type: ignore[no-untyped-def]
        path = urlsplit(url).path
        self.paths[path.rsplit("/", 1)[-1] if "/order/" in path else path] += 1
        return super().request(method, url, *args, **kwargs)

    def take(self) -> Counter[str]:
        paths, self.paths = self.paths, Counter()
        return paths


@pytest.fixture
def connected(shootproof_standin, shootproof_account):
    """(client, access token, brand id, session) for the account's first brand."""
    session = Counting()
    client = ShootProofClient(
        base_url=shootproof_standin.url,
        client_id=shootproof_standin.client_id,
        client_secret=shootproof_standin.client_secret,
        session=session,
    )
    verifier = secrets.token_urlsafe(64)
    url = client.authorization_url(redirect_uri=CALLBACK, state="s", code_verifier=verifier)
    user = shootproof_standin.user(shootproof_account["email"], shootproof_account["password"])
    code = parse_qs(urlsplit(user.authorise(url)).query)["code"][0]
    tokens = client.exchange_code(code=code, redirect_uri=CALLBACK, code_verifier=verifier)
    client.entry_links(access_token=tokens.access_token)  # once per process, not per poll
    session.take()
    return client, tokens.access_token, str(shootproof_account["brands"][0]["id"]), session


def place(standin, account, **fields) -> dict:
    body = {"account_email": account["email"], "count": 1, **fields}
    return standin.control("POST", "/control/orders", body).json()["orders"][0]


def poll(connected, cursor: str, *, full: bool = False, minutes: int = 10):
    client, token, brand, _ = connected
    plan = PollPlan(since=datetime.now(UTC) - timedelta(minutes=minutes), full=full, cursor=cursor)
    outcome = PROVIDER.poll(client=client, access_token=token, account_id=brand, plan=plan)
    return outcome, list(outcome.orders)


def test_idle_busy_and_full_polls_cost_what_they_should(
    connected, shootproof_standin, shootproof_account
):
    session = connected[3]
    first, orders = poll(connected, "", full=True)  # the backfill of an empty brand
    assert (orders, first.cursor, first.busy) == ([], "0", False)
    session.take()

    idle, orders = poll(connected, first.cursor)
    assert (orders, idle.busy, idle.cursor) == ([], False, "0")
    assert sum(session.take().values()) == 1  # the notification feed, nothing else

    a = place(shootproof_standin, shootproof_account, seed=1)
    b = place(shootproof_standin, shootproof_account, seed=2)
    busy, orders = poll(connected, idle.cursor)
    assert busy.busy and int(busy.cursor) > 0
    assert sorted(o.raw["order"]["id"] for o in orders) == sorted([a["id"], b["id"]])
    assert all(o.version_key.startswith(f"{connected[2]}:") for o in orders)
    assert sum(session.take().values()) == 1 + 1 + 2 * 2  # feed, one page, items + payments

    c = place(shootproof_standin, shootproof_account, seed=3)  # a and b stay in the window
    _, orders = poll(connected, busy.cursor)
    assert [o.raw["order"]["id"] for o in orders] == [c["id"]]  # a and b are not re-read
    session.take()

    _, orders = poll(connected, busy.cursor, full=True)
    assert len(orders) == 3 and sum(session.take().values()) == 1 + 1 + 2 * 3
    for polled in orders:
        assert PROVIDER.map_order(polled.raw, account_id=connected[2]).order_id


def test_a_refund_and_a_deletion_are_named_by_the_feed(
    connected, shootproof_standin, shootproof_account
):
    a = place(shootproof_standin, shootproof_account, seed=4)
    b = place(shootproof_standin, shootproof_account, seed=5)
    seen, _ = poll(connected, "", full=True)
    shootproof_standin.control("POST", f"/control/orders/{a['id']}/refund", {"amount": 1})
    shootproof_standin.control("DELETE", f"/control/orders/{b['id']}")
    _, orders = poll(connected, seen.cursor)
    refunded = [o for o in orders if o.raw.get("order")]
    assert [o.raw["order"]["id"] for o in refunded] == [a["id"]]
    assert [p["kind"] for p in refunded[0].raw["payments"]].count("refund") == 1
    deletions = [o for o in orders if o.raw.get("deleted")]
    assert [PROVIDER.order_id_of(d.raw) for d in deletions] == [str(b["id"])]
    assert deletions[0].updated_at is None  # a deletion does not move the mark


def test_a_429_raises_with_retry_after_and_then_passes(connected, shootproof_standin):
    shootproof_standin.set_fault("rate_limit", seconds=42, count=1)
    with pytest.raises(ProviderRateLimited) as limited:
        poll(connected, "0")
    assert limited.value.retry_after == 42
    outcome, _ = poll(connected, "0")
    assert outcome.cursor is not None


def test_a_feed_longer_than_the_poll_reads_lists_the_whole_window(
    connected, shootproof_standin, shootproof_account, monkeypatch
):
    import galleries.providers.shootproof as shootproof

    seen, _ = poll(connected, "", full=True)
    placed = [place(shootproof_standin, shootproof_account, seed=20 + i)["id"] for i in range(3)]
    monkeypatch.setattr(shootproof, "NOTIFICATION_ROWS", 1)
    monkeypatch.setattr(shootproof, "MAX_NOTIFICATION_PAGES", 2)  # reads 2 of the 3 new
    outcome, orders = poll(connected, seen.cursor)
    assert sorted(o.raw["order"]["id"] for o in orders) == sorted(placed)
    assert int(outcome.cursor) > int(seen.cursor)
