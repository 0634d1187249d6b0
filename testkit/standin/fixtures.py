"""Session fixtures that start the real Pic-Time stand-in (sandbox/pictime) as a
subprocess; loaded for every app's tests by the root conftest (pytest_plugins)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from testkit.standin.oauth import authorise, follow_back
from testkit.standin.server import StandIn, point_cyan_at, start_standin
from testkit.standin.user import StandInUser


def _start(tmp_path_factory: pytest.TempPathFactory, name: str, **env: str) -> StandIn:
    return start_standin(tmp_path_factory.mktemp(name), **env)


@pytest.fixture(scope="session")
def pictime_standin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StandIn]:
    """One stand-in for the whole session (its own SQLite file in a temp dir)."""
    standin = _start(tmp_path_factory, "pictime")
    yield standin
    standin.stop()


@pytest.fixture(scope="session")
def short_lived_standin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StandIn]:
    """A stand-in whose access tokens live 2 seconds, for tests that need real expiry."""
    standin = _start(tmp_path_factory, "pictime-short", PICTIME_ACCESS_TOKEN_SECONDS="2")
    yield standin
    standin.stop()


@pytest.fixture
def account(pictime_standin: StandIn) -> dict:
    """A fresh Pic-Time account per test, so no other test's webhooks or orders mix in."""
    email = f"p{os.urandom(4).hex()}@pictime.test"
    body = {"email": email, "password": "secret-pw", "name": "Hillside Studio", "galleries": 2}
    response = pictime_standin.control("POST", "/control/accounts", body)
    assert response.status_code == 201, response.text
    return {"email": email, "password": "secret-pw", **response.json()}


@pytest.fixture
def linked(settings, live_server, pictime_standin, account, auth_client, studio):
    """The studio linked to `account` at the stand-in through the real OAuth round trip."""
    from api.services import generate_api_key
    from galleries.models import GalleryLink

    generate_api_key(studio=studio)
    # The stand-in registers the loopback callback on 127.0.0.1 (any port, RFC 8252).
    cyan_url = live_server.url.replace("localhost", "127.0.0.1")
    point_cyan_at(settings, pictime_standin, cyan_base_url=cyan_url)
    user = StandInUser(pictime_standin.url, email=account["email"], password=account["password"])
    follow_back(auth_client, authorise(auth_client, pictime_standin, user=user))
    link = GalleryLink.objects.get(studio=studio)
    assert link.status == GalleryLink.Status.LINKED
    yield link
    pictime_standin.control("POST", "/control/webhooks/mode", {"mode": "normal"})
