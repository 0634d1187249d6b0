"""Fixtures for galleries' tests: a fake Pic-Time in memory (unit tests) and the real
stand-in as a subprocess (integration tests marked `standin`).

Later issues reuse them: `from testkit.standin.server import start_standin` starts a
stand-in of their own; the `pictime_standin` fixture (galleries/tests/standin_fixtures.py,
loaded by the root conftest for every app) is one shared per test session."""

from __future__ import annotations

import pytest

from galleries import providers
from testkit.fakes import FakePicTime
from testkit.standin.server import StandIn, point_cyan_at


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


@pytest.fixture
def pictime(settings, pictime_standin: StandIn) -> StandIn:
    """Cyan configured to talk to the shared stand-in."""
    point_cyan_at(settings, pictime_standin)
    return pictime_standin
