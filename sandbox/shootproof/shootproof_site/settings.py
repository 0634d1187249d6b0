"""Settings of the ShootProof stand-in; everything configurable comes from SHOOTPROOF_*."""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def _env_list(name: str, default: str) -> list[str]:
    return [item for item in os.environ.get(name, default).replace(",", " ").split() if item]


SHOOTPROOF_PORT = int(os.environ.get("SHOOTPROOF_PORT", "8002"))
SHOOTPROOF_BASE_URL = os.environ.get(
    "SHOOTPROOF_BASE_URL", f"http://127.0.0.1:{SHOOTPROOF_PORT}"
).rstrip("/")
SHOOTPROOF_DB = os.environ.get("SHOOTPROOF_DB", str(BASE_DIR / "var" / "shootproof.sqlite3"))
Path(SHOOTPROOF_DB).parent.mkdir(parents=True, exist_ok=True)
SHOOTPROOF_CLIENT_ID = os.environ.get("SHOOTPROOF_CLIENT_ID", "cyan-demo-client")
SHOOTPROOF_CLIENT_SECRET = os.environ.get("SHOOTPROOF_CLIENT_SECRET", "cyan-demo-secret")
# A loopback redirect URI registered without a port matches any port (RFC 8252 §7.3).
SHOOTPROOF_REDIRECT_URIS = _env_list(
    "SHOOTPROOF_REDIRECT_URIS",
    "http://127.0.0.1/galleries/shootproof/callback/ "
    "http://localhost/galleries/shootproof/callback/",
)
# Two weeks, as ShootProof documents (developer.shootproof.com, Authorization guide).
SHOOTPROOF_ACCESS_TOKEN_SECONDS = int(os.environ.get("SHOOTPROOF_ACCESS_TOKEN_SECONDS", "1209600"))
SHOOTPROOF_CONTROL_TOKEN = os.environ.get("SHOOTPROOF_CONTROL_TOKEN", "standin-control")
# A print-store order can be cancelled this long after it was placed.
SHOOTPROOF_CANCEL_WINDOW_SECONDS = int(os.environ.get("SHOOTPROOF_CANCEL_WINDOW_SECONDS", "1800"))
SHOOTPROOF_DEMO_EMAIL = "photographer@shootproof.test"
SHOOTPROOF_DEMO_PASSWORD = "shootproof-demo"

SECRET_KEY = os.environ.get(
    "SHOOTPROOF_SECRET_KEY", "shootproof-standin-dev-only-secret-key-not-for-production-use"
)
DEBUG = os.environ.get("SHOOTPROOF_DEBUG", "0") == "1"
ALLOWED_HOSTS = [
    "127.0.0.1",
    "localhost",
    "[::1]",
    "testserver",
    *_env_list("SHOOTPROOF_HOSTS", ""),
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "oauth2_provider",
    "spstandin",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "spstandin.faults.FaultMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "shootproof_site.urls"
WSGI_APPLICATION = "shootproof_site.wsgi.application"

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
        "NAME": SHOOTPROOF_DB,
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

# Cookies are not port-scoped: Cyan (8000), Pic-Time's stand-in (8001) and this one share
# 127.0.0.1, so each site's cookies get their own names or they would log each other out.
SESSION_COOKIE_NAME = "shootproof_sessionid"
CSRF_COOKIE_NAME = "shootproof_csrftoken"
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
        "studio": "Read and manage your studio's brands, galleries and orders",
        "studio.order.read-write": "Read and update your orders",
        "studio.read-only": "Read your studio's brands, galleries and orders",
    },
    "DEFAULT_SCOPES": ["studio"],
    "ACCESS_TOKEN_EXPIRE_SECONDS": SHOOTPROOF_ACCESS_TOKEN_SECONDS,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 300,
    # A refresh returns a new refresh token; the old one is refused at once (no grace).
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_GRACE_PERIOD_SECONDS": 0,
    "PKCE_REQUIRED": False,  # ShootProof documents none; accepted (and checked) if sent
    "REQUEST_APPROVAL_PROMPT": "force",
    "ALLOWED_REDIRECT_URI_SCHEMES": ["http", "https"],
    "ALLOW_LOCALHOST_LOOPBACK": True,
    "OAUTH2_VALIDATOR_CLASS": "spstandin.oauth.StandinOAuth2Validator",
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [shootproof] %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SHOOTPROOF_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
