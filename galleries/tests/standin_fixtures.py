"""Session fixtures that start the real Pic-Time stand-in (sandbox/pictime) as a
subprocess; loaded for every app's tests by the root conftest (pytest_plugins)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from galleries.tests.standin import StandIn, start_standin


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
