from __future__ import annotations

import pytest

from events.models import EVENT_NAMES
from events.services import create_endpoint


@pytest.fixture
def endpoint_and_secret(studio, receiver):
    return create_endpoint(studio=studio, url=receiver.url, events=list(EVENT_NAMES))


@pytest.fixture
def endpoint(endpoint_and_secret):
    return endpoint_and_secret[0]


@pytest.fixture
def secret(endpoint_and_secret):
    return endpoint_and_secret[1]
