"""Fixtures of the REST API tests: a key for the studio, and a client that sends it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from api.services import generate_api_key


class ApiClient:
    """Django's test client speaking JSON with `Authorization: Bearer <key>`."""

    def __init__(self, client: Client, key: str | None) -> None:
        self.client, self.key = client, key

    def _headers(self, headers: dict[str, str] | None) -> dict[str, str]:
        base = {"Authorization": f"Bearer {self.key}"} if self.key else {}
        return {**base, **(headers or {})}

    def get(self, path: str, params: dict | None = None, headers: dict | None = None) -> Any:
        return self.client.get(path, params or {}, headers=self._headers(headers))

    def post(self, path: str, data: Any = None, headers: dict | None = None) -> Any:
        body = data if isinstance(data, str) else json.dumps(data)
        return self.client.post(
            path, body, content_type="application/json", headers=self._headers(headers)
        )

    def patch(self, path: str, data: Any = None, headers: dict | None = None) -> Any:
        return self.client.patch(
            path, json.dumps(data), content_type="application/json", headers=self._headers(headers)
        )


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
def other_studio(other_studio_and_owner):
    return other_studio_and_owner[0]


@pytest.fixture
def other_api(other_studio) -> ApiClient:
    return ApiClient(Client(), generate_api_key(studio=other_studio)[1])
