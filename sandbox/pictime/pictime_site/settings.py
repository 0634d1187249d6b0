"""Settings of the Pic-Time stand-in. Everything configurable comes from PICTIME_* variables."""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def _env_list(name: str, default: str) -> list[str]:
    return [item for item in os.environ.get(name, default).replace(",", " ").split() if item]


def _retry_schedule(raw: str) -> list[float]:
    return [float(part) for part in raw.split(",") if part.strip()]


PICTIME_PORT = int(os.environ.get("PICTIME_PORT", "8001"))
PICTIME_BASE_URL = os.environ.get("PICTIME_BASE_URL", f"http://127.0.0.1:{PICTIME_PORT}").rstrip(
    "/"
)
PICTIME_DB = os.environ.get("PICTIME_DB", str(BASE_DIR / "var" / "pictime.sqlite3"))
Path(PICTIME_DB).parent.mkdir(parents=True, exist_ok=True)
PICTIME_CLIENT_ID = os.environ.get("PICTIME_CLIENT_ID", "cyan-demo-client")
PICTIME_CLIENT_SECRET = os.environ.get("PICTIME_CLIENT_SECRET", "cyan-demo-secret")
PICTIME_REDIRECT_URIS = _env_list(
    "PICTIME_REDIRECT_URIS",
    "http://127.0.0.1:8000/galleries/pictime/callback/ "
    "http://localhost:8000/galleries/pictime/callback/",
)
PICTIME_ACCESS_TOKEN_SECONDS = int(os.environ.get("PICTIME_ACCESS_TOKEN_SECONDS", "3600"))
PICTIME_CONTROL_TOKEN = os.environ.get("PICTIME_CONTROL_TOKEN", "standin-control")
PICTIME_WEBHOOK_RETRY_SCHEDULE = _retry_schedule(
    os.environ.get("PICTIME_WEBHOOK_RETRY_SCHEDULE", "1,5,30,120,600")
)
PICTIME_WEBHOOK_TIMEOUT = float(os.environ.get("PICTIME_WEBHOOK_TIMEOUT", "10"))
PICTIME_WORKER_ENABLED = os.environ.get("PICTIME_WORKER", "1") != "0"
PICTIME_DEMO_EMAIL = "photographer@pictime.test"
PICTIME_DEMO_PASSWORD = "pictime-demo"

SECRET_KEY = os.environ.get(
    "PICTIME_SECRET_KEY", "pictime-standin-dev-only-secret-key-not-for-production-use"
)
DEBUG = os.environ.get("PICTIME_DEBUG", "0") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver", *_env_list("PICTIME_HOSTS", "")]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "oauth2_provider",
    "standin",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "pictime_site.urls"
WSGI_APPLICATION = "pictime_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": PICTIME_DB,
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

# Cookies are not port-scoped: Cyan (port 8000) and the stand-in share 127.0.0.1, so the
# stand-in's cookies get their own names or the two sites would log each other out.
SESSION_COOKIE_NAME = "pictime_sessionid"
CSRF_COOKIE_NAME = "pictime_csrftoken"
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/dashboard/"
LOGOUT_REDIRECT_URL = "/login/"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = None  # whitenoise serves straight from the app's static/ (no collectstatic)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "oauth2_provider.AccessToken"
OAUTH2_PROVIDER_REFRESH_TOKEN_MODEL = "oauth2_provider.RefreshToken"
OAUTH2_PROVIDER_ID_TOKEN_MODEL = "oauth2_provider.IDToken"
OAUTH2_PROVIDER_GRANT_MODEL = "oauth2_provider.Grant"
OAUTH2_PROVIDER = {
    "SCOPES": {
        "account:read": "See your Pic-Time account name and email address",
        "orders:read": "See the orders your clients place in your galleries",
        "webhooks:write": "Be notified when orders are placed, refunded or cancelled",
    },
    "DEFAULT_SCOPES": ["account:read", "orders:read", "webhooks:write"],
    "ACCESS_TOKEN_EXPIRE_SECONDS": PICTIME_ACCESS_TOKEN_SECONDS,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 120,
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_GRACE_PERIOD_SECONDS": 0,
    "PKCE_REQUIRED": True,
    "REQUEST_APPROVAL_PROMPT": "force",
    "ALLOWED_REDIRECT_URI_SCHEMES": ["http", "https"],
    # RFC 8252 7.3: http://127.0.0.1/... (and, with this, http://localhost/...) redirect
    # URIs match on any port, so one registration serves Cyan on whatever port it runs.
    "ALLOW_LOCALHOST_LOOPBACK": True,
    "OAUTH2_VALIDATOR_CLASS": "standin.oauth.StandinOAuth2Validator",
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s [pictime] %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("PICTIME_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
