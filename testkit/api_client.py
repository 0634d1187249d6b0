"""A client of Cyan's REST API for tests (Django's test client, JSON, a bearer key)."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client


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

    def delete(self, path: str, headers: dict | None = None) -> Any:
        return self.client.delete(path, headers=self._headers(headers))
