"""Fixtures of the REST API tests (the client `api` and its key are the kit's)."""

from __future__ import annotations

import pytest

from testkit.factories import make_contact


@pytest.fixture
def ann(studio):
    return make_contact(studio, "Ann", "Lee")
