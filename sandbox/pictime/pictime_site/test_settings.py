"""Settings for the stand-in's own test suite: fast hashing, short retry schedule."""

from __future__ import annotations

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
PICTIME_WEBHOOK_RETRY_SCHEDULE = [0.2, 0.5, 1.0]
PICTIME_WEBHOOK_TIMEOUT = 3.0
PICTIME_BASE_URL = "http://127.0.0.1:8001"
PICTIME_CONTROL_TOKEN = "test-control-token"
