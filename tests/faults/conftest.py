"""Fixtures of the fault drills: one migrated database and one stand-in for the session
(each drill links its own studio to its own stand-in account), Cyan's processes per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from testkit.standin.server import StandIn, start_standin
from tests.faults.kit import Cyan, Database, control, drill_database

# Webhooks the receiver refused are retried within seconds (Pic-Time's own schedule is
# minutes), so an outage of a few seconds is over before the stand-in gives up.
FAST_RETRIES = "1,1,1,2,2,2,3,3,5,5,5,10,10"


@pytest.fixture(scope="session")
def drill_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    with drill_database(tmp_path_factory.mktemp("drill-db")) as database:
        yield database


@pytest.fixture(scope="session")
def drill_standin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StandIn]:
    standin = start_standin(
        tmp_path_factory.mktemp("drill-pictime"), PICTIME_WEBHOOK_RETRY_SCHEDULE=FAST_RETRIES
    )
    yield standin
    standin.stop()


@pytest.fixture
def cyan(drill_db: Database, drill_standin: StandIn, tmp_path) -> Iterator[Cyan]:
    app = Cyan(database=drill_db, standin=drill_standin, tmp_dir=tmp_path)
    yield app
    app.stop()
    drill_db.forget_background_work()
    control(drill_standin, "POST", "/control/webhooks/mode", {"mode": "normal"})
