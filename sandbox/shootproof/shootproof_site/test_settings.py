"""Settings for the stand-in's own test suite: fast hashing, a known control token."""

from __future__ import annotations

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SHOOTPROOF_BASE_URL = "http://127.0.0.1:8002"
SHOOTPROOF_CONTROL_TOKEN = "test-control-token"
