"""Fixtures for galleries' tests: a fake Pic-Time in memory (unit tests) and the real
stand-in as a subprocess (integration tests marked `standin`).

Later issues reuse them: `from galleries.tests.standin import start_standin` starts a
stand-in of their own; the `pictime_standin` fixture is one shared per test session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from galleries import providers
from galleries.tests.fakes import FakePicTime
from galleries.tests.standin import StandIn, point_cyan_at, standin_available, start_standin


@pytest.fixture
def fake_pictime(monkeypatch: pytest.MonkeyPatch) -> FakePicTime:
    fake = FakePicTime()
    monkeypatch.setattr(providers, "get_client", lambda provider: fake)
    return fake


@pytest.fixture
def api_key(studio):
    from api.services import generate_api_key

    key, _raw = generate_api_key(studio=studio)
    return key


def _start_or_skip(tmp_path_factory: pytest.TempPathFactory, name: str, **env: str) -> StandIn:
    if not standin_available():
        pytest.skip("The Pic-Time stand-in (sandbox/pictime) is not there yet.")
    return start_standin(tmp_path_factory.mktemp(name), **env)


@pytest.fixture(scope="session")
def pictime_standin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StandIn]:
    """One stand-in for the whole session (its own SQLite file in a temp dir)."""
    standin = _start_or_skip(tmp_path_factory, "pictime")
    yield standin
    standin.stop()


@pytest.fixture(scope="session")
def short_lived_standin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StandIn]:
    """A stand-in whose access tokens live 2 seconds, for tests that need real expiry."""
    standin = _start_or_skip(tmp_path_factory, "pictime-short", PICTIME_ACCESS_TOKEN_SECONDS="2")
    yield standin
    standin.stop()


@pytest.fixture
def pictime(settings, pictime_standin: StandIn) -> StandIn:
    """Cyan configured to talk to the shared stand-in."""
    point_cyan_at(settings, pictime_standin)
    return pictime_standin
