"""Fixtures for galleries' tests. The fake Pic-Time in memory (`fake_pictime`) and the
real stand-in as a subprocess (`pictime_standin`, one per session) come from the shared
test kit (testkit/, registered by the root conftest)."""

from __future__ import annotations

import pytest

from testkit.standin.server import StandIn, point_cyan_at


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
