"""Fixtures of the REST API tests: a key for the studio, and a client that sends it."""

from __future__ import annotations

import pytest
from django.test import Client

from api.services import generate_api_key
from testkit.api_client import ApiClient
from testkit.factories import make_contact


@pytest.fixture
def api_key_and_raw(studio):
    return generate_api_key(studio=studio, name="Tests")


@pytest.fixture
def raw_key(api_key_and_raw) -> str:
    return api_key_and_raw[1]


@pytest.fixture
def api(client, raw_key) -> ApiClient:
    return ApiClient(client, raw_key)


@pytest.fixture
def ann(studio):
    return make_contact(studio, "Ann", "Lee")


@pytest.fixture
def other_api(other_studio) -> ApiClient:
    return ApiClient(Client(), generate_api_key(studio=other_studio)[1])
