"""The bare project plus Cyan's database connection: no apps, no middleware; one view that
commits one INSERT of the body on PostgreSQL (the physical floor of "accepted durably").

The connection is configured as Cyan configures it (cyan/settings.py: dj_database_url,
persistent connections with health checks), so the comparison isolates Cyan's own work.
"""

import os

import dj_database_url

DEBUG = False
SECRET_KEY = "bench-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz"
ALLOWED_HOSTS = ["127.0.0.1"]
ROOT_URLCONF = "ceiling_insert.urls"
WSGI_APPLICATION = "ceiling_insert.wsgi.application"
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
DATABASES = {
    "default": dj_database_url.parse(
        os.environ["DATABASE_URL"], conn_max_age=60, conn_health_checks=True
    )
}
DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
USE_TZ = True
DATA_UPLOAD_MAX_MEMORY_SIZE = 1_048_576
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
