"""ShootProofClient's edges against a tiny local HTTP server with canned answers: errors
(problem+json, 429 with and without Retry-After, 401), timeouts, template expansion and
the cadence. The whole contract runs against the real stand-in in
test_shootproof_standin.py."""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from galleries.providers.base import ProviderAuthError, ProviderError, ProviderUnreachable
from galleries.providers.shootproof import PROVIDER
from galleries.providers.shootproof.client import (
    ProviderRateLimited,
    ShootProofClient,
    expand,
    retry_after_seconds,
)
from testkit.standin.server import free_port

PROBLEM = "application/problem+json"


class Canned:
    """Answers (status, body, headers, delay) per path; records the paths asked."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, object, dict, float]] = {}
        self.asked: list[str] = []
        canned = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                canned.asked.append(self.path)
                status, body, headers, delay = canned.routes.get(
                    urlsplit(self.path).path, (404, {"title": "Not Found"}, {}, 0)
                )
                time.sleep(delay)
                data = json.dumps(body).encode()
                self.send_response(status)
                for name, value in {"Content-Type": PROBLEM, **headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        class QuietServer(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: object, client_address: object) -> None:
                pass  # a client that timed out on purpose closed the connection

        self.server = QuietServer(("127.0.0.1", free_port()), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def client(self, **kwargs: object) -> ShootProofClient:
        return ShootProofClient(base_url=self.url, client_id="c", client_secret="s", **kwargs)


@pytest.fixture
def canned():
    server = Canned()
    yield server
    server.server.shutdown()
    server.server.server_close()


ENTRY = {"type": "studio", "links": {"brand": {"href": "/studio/brand{/id}", "templated": True}}}


def test_a_problem_document_becomes_an_error_with_its_title_and_detail(canned):
    canned.routes["/studio"] = (
        503,
        {"type": "about:blank", "title": "Service Unavailable", "status": 503,
         "detail": "Maintenance.", "info": {"errors": ["try later"]}},
        {}, 0,
    )  # fmt: skip
    with pytest.raises(ProviderError) as raised:
        canned.client().list_accounts(access_token="t")
    assert raised.value.status == 503
    assert "Service Unavailable: Maintenance.: try later" in raised.value.message


def test_401_is_an_auth_error(canned):
    canned.routes["/studio"] = (401, {"title": "Unauthorized", "status": 401}, {}, 0)
    with pytest.raises(ProviderAuthError):
        canned.client().list_accounts(access_token="expired")


@pytest.mark.parametrize(("header", "expected"), [({"Retry-After": "37"}, 37), ({}, None)])
def test_429_carries_retry_after(canned, header, expected):
    canned.routes["/studio"] = (429, {"title": "Too Many Requests"}, header, 0)
    with pytest.raises(ProviderRateLimited) as raised:
        canned.client().list_accounts(access_token="t")
    assert raised.value.retry_after == expected and raised.value.status == 429


def test_brands_are_read_through_the_entry_points_template_page_by_page(canned):
    canned.routes["/studio"] = (200, ENTRY, {}, 0)
    canned.routes["/studio/brand"] = (
        200,
        {"type": "brand-list", "items": [{"id": 1201, "name": "Juniper Lane Photography"}],
         "links": {"next": {"href": "/studio/brand2?page=2"}}},
        {}, 0,
    )  # fmt: skip
    canned.routes["/studio/brand2"] = (
        200, {"items": [{"id": 1202, "name": "Juniper Lane Weddings", "email": "w@x"}]}, {}, 0
    )  # fmt: skip
    accounts = canned.client().list_accounts(access_token="t")
    assert [(a.id, a.name) for a in accounts] == [
        ("1201", "Juniper Lane Photography"),
        ("1202", "Juniper Lane Weddings"),
    ]
    assert canned.asked == ["/studio", "/studio/brand", "/studio/brand2?page=2"]


def test_a_slow_answer_is_unreachable_not_a_hang(canned):
    canned.routes["/studio"] = (200, ENTRY, {}, 2)
    with pytest.raises(ProviderUnreachable):
        canned.client(timeout=0.2).list_accounts(access_token="t")


def test_nobody_listening_is_unreachable():
    client = ShootProofClient(base_url=f"http://127.0.0.1:{free_port()}", timeout=1)
    with pytest.raises(ProviderUnreachable):
        client.list_accounts(access_token="t")


def test_templates_expand_the_forms_the_contract_uses():
    assert expand("/studio/brand{/id}", id=1201) == "/studio/brand/1201"
    assert expand("/studio/brand{/id}") == "/studio/brand"
    assert expand("/studio/brand{/id}", id="a/b") == "/studio/brand/a%2Fb"
    assert expand("/o{?page,rows}", page=2, rows=None) == "/o?page=2"
    assert expand("/o?x=1{&page}", page=3) == "/o?x=1&page=3"
    assert expand("/e/{id}", id=7) == "/e/7"


def test_retry_after_as_seconds_or_a_date():
    assert retry_after_seconds("120") == 120
    assert retry_after_seconds(None) is None and retry_after_seconds("soon") is None
    assert retry_after_seconds("²") is None  # isdigit() is true for it, int() refuses it
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=90), usegmt=True)
    assert 85 <= retry_after_seconds(later) <= 91


def test_the_cadence_doubles_when_quiet_up_to_the_ceiling(settings):
    settings.CYAN_SHOOTPROOF_POLL_SECONDS = 120
    settings.CYAN_SHOOTPROOF_POLL_MAX_SECONDS = 900
    delay = PROVIDER.next_poll_delay(busy=False, previous=None)
    seen = [delay]
    for _ in range(5):
        delay = PROVIDER.next_poll_delay(busy=False, previous=delay)
        seen.append(delay)
    assert [d.total_seconds() for d in seen] == [120, 240, 480, 900, 900, 900]
    assert PROVIDER.next_poll_delay(busy=True, previous=timedelta(seconds=900)) == timedelta(
        seconds=120
    )
    settings.CYAN_SHOOTPROOF_POLL_SECONDS = 1
    assert PROVIDER.next_poll_delay(busy=True, previous=None) == timedelta(seconds=1)
