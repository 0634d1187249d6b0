"""Registers the shared test kit (testkit/) for every app's tests."""

from __future__ import annotations

import os

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by
# test code in that thread are still synchronous, so Django's guard is lifted for tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytest_plugins = [
    "testkit.fixtures",
    "testkit.standin.fixtures",
    "testkit.standin.shootproof",
    "testkit.shootproof_linking",
    "testkit.caches",
]
