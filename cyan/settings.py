"""Cyan settings: every deployment-specific value comes from the environment."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from core.rates import InvalidRate, parse_rate

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CYAN_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("CYAN_DEBUG", True)
# Production is CYAN_DEBUG=false, as configured (the test runner later turns DEBUG off on
# its own; that is not production). cyan/checks.py refuses development keys there.
CYAN_PRODUCTION = not DEBUG
# The development defaults keep `make run` zero-configuration; production must set its
# own (cyan/checks.py: `check --deploy` flags them and the web application won't start).
DEV_SECRET_KEY = "dev-only-insecure-key-change-me-in-production-0123456789"
DEV_FERNET_KEY = "ZGV2LW9ubHktZmVybmV0LWtleS1jaGFuZ2UtbWUhISE="
SECRET_KEY = os.environ.get("CYAN_SECRET_KEY") or DEV_SECRET_KEY
ALLOWED_HOSTS = os.environ.get("CYAN_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver").split(
    ","
)
CYAN_PORT = int(os.environ.get("CYAN_PORT", "8000"))
CYAN_BASE_URL = os.environ.get("CYAN_BASE_URL", f"http://127.0.0.1:{CYAN_PORT}")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "ninja",  # only for its offline Swagger UI templates and static files (/api/docs)
    "django_tasks_db",
    "core",
    "cyan",
    "accounts",
    "contacts",
    "shoots",
    "sales",
    "inbox",
    "galleries",
    "api",
    "invoicing",
    "notifications",
    "reports",
    "transfers",
    "events",
]

MIDDLEWARE = [
    # First, so they time and tag everything below (docs/deploy.md).
    "cyan.metrics.RequestMetricsMiddleware",
    "cyan.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.middleware.RefuseUnstorableQuery",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.StudioMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "cyan.urls"
WSGI_APPLICATION = "cyan.wsgi.application"
ASGI_APPLICATION = "cyan.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cyan" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cyan.context_processors.navigation",
            ],
        },
    },
]


def sqlite_database(path: Path) -> dict:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            # WAL lets the worker write while the web process reads.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }


if os.environ.get("DATABASE_URL"):
    # Health checks drop a connection the database or network broke; connect_timeout keeps
    # requests and the worker from hanging while the database is unreachable.
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ["DATABASE_URL"], conn_max_age=60, conn_health_checks=True
        )
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {"default": sqlite_database(VAR_DIR / "cyan.sqlite3")}

# -- The shared cache: login throttling, the API rate limit and the scheduler's heartbeat
# live here, so N web processes share one budget. Redis (Django's RedisCache) when
# CYAN_REDIS_URL is set; otherwise a table in Cyan's own database (created by migrate),
# never per-process memory: `cyan up` alone runs several processes (gunicorn's workers,
# the worker, the scheduler), and a local-memory cache would give each its own budget.
CYAN_REDIS_URL = os.environ.get("CYAN_REDIS_URL", "")
DATABASE_CACHE = {
    "BACKEND": "cyan.cache.SharedDatabaseCache",
    "LOCATION": "cyan_cache",
    # Culling would drop live throttle counters: keep many, expire by time.
    "OPTIONS": {"MAX_ENTRIES": 1_000_000},
}
# Timeouts so a Redis that stops answering fails a request (and /ready's cache check)
# in seconds instead of hanging it.
REDIS_CACHE = {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": CYAN_REDIS_URL,
    "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
}
CACHES = {"default": REDIS_CACHE if CYAN_REDIS_URL else DATABASE_CACHE}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["accounts.backends.EmailBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("CYAN_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
# A strict Content-Security-Policy: scripts and styles come only from Cyan's own static
# files, never inline, so text from outside that slips into a page cannot run. The one
# nonce is for the <style> pygal puts inside the report charts' inline SVG.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on every request without it
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# "intake" holds the processing of accepted webhooks (inbox.accepting): `cyan worker`
# watches it on its own, every CYAN_INTAKE_INTERVAL_SECONDS when idle.
TASK_QUEUES = ["default", "intake"]
TASKS = {
    "default": {
        "BACKEND": os.environ.get("CYAN_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": TASK_QUEUES,
    }
}
CYAN_INTAKE_INTERVAL_SECONDS = float(os.environ.get("CYAN_INTAKE_INTERVAL_SECONDS", "0.1"))

# Fernet keys (comma-separated, newest first) encrypting provider tokens at rest.
# MultiFernet decrypts with any and encrypts with the first, so keys rotate.
CYAN_FERNET_KEYS = [
    k.strip()
    for k in (os.environ.get("CYAN_FERNET_KEYS") or DEV_FERNET_KEY).split(",")
    if k.strip()
]

# Pic-Time (the demo points these at the stand-in in sandbox/pictime).
PICTIME_PORT = int(os.environ.get("PICTIME_PORT", "8001"))
PICTIME_BASE_URL = os.environ.get("PICTIME_BASE_URL", f"http://127.0.0.1:{PICTIME_PORT}")
PICTIME_CLIENT_ID = os.environ.get("PICTIME_CLIENT_ID", "cyan-demo-client")
PICTIME_CLIENT_SECRET = os.environ.get("PICTIME_CLIENT_SECRET", "cyan-demo-secret")

# ShootProof (the demo points these at the stand-in in sandbox/shootproof; the real
# service would be SHOOTPROOF_BASE_URL=https://api.shootproof.com with its own OAuth host).
SHOOTPROOF_PORT = int(os.environ.get("SHOOTPROOF_PORT", "8002"))
SHOOTPROOF_BASE_URL = os.environ.get("SHOOTPROOF_BASE_URL", f"http://127.0.0.1:{SHOOTPROOF_PORT}")
SHOOTPROOF_CLIENT_ID = os.environ.get("SHOOTPROOF_CLIENT_ID", "cyan-demo-client")
SHOOTPROOF_CLIENT_SECRET = os.environ.get("SHOOTPROOF_CLIENT_SECRET", "cyan-demo-secret")

API_PAGE_SIZE = 50
# -- API rate limit: requests per API key in a fixed window (N/sec|min|hour|day), counted
# in the shared cache above, so every web process draws on the one budget. A bad value
# stops every process at startup rather than serving without a limit.
CYAN_API_RATE_LIMIT = os.environ.get("CYAN_API_RATE_LIMIT", "600/min").strip()
try:
    parse_rate(CYAN_API_RATE_LIMIT, name="CYAN_API_RATE_LIMIT")
except InvalidRate as exc:
    raise ImproperlyConfigured(str(exc)) from None
# Failed log-ins (web form) and invalid API keys: how many before a lock, per account (an
# email, or an API key's prefix) and per client address, within CYAN_LOGIN_WINDOW_SECONDS.
CYAN_LOGIN_ACCOUNT_FAILURES = int(os.environ.get("CYAN_LOGIN_ACCOUNT_FAILURES", "10"))
CYAN_LOGIN_ADDRESS_FAILURES = int(os.environ.get("CYAN_LOGIN_ADDRESS_FAILURES", "30"))
CYAN_LOGIN_WINDOW_SECONDS = int(os.environ.get("CYAN_LOGIN_WINDOW_SECONDS", "900"))
# Where the client's address is: REMOTE_ADDR, or e.g. HTTP_X_REAL_IP behind a proxy that
# sets that header (never a header a client can set itself).
CYAN_CLIENT_ADDRESS_META = os.environ.get("CYAN_CLIENT_ADDRESS_META", "REMOTE_ADDR")
# No request Cyan accepts is larger: API pushes and webhooks are refused above 1 MB.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1_048_576
# The polling safety net's period (webhooks are the fast path).
# Outgoing webhooks (events/): private/loopback targets are refused in production (SSRF)
# and allowed in development and tests, where the receivers are local.
CYAN_WEBHOOKS_ALLOW_PRIVATE = env_bool("CYAN_WEBHOOKS_ALLOW_PRIVATE", DEBUG)
CYAN_WEBHOOKS_LEASE_SECONDS = int(os.environ.get("CYAN_WEBHOOKS_LEASE_SECONDS", "60"))
CYAN_WEBHOOKS_SEND_CONCURRENCY = int(os.environ.get("CYAN_WEBHOOKS_SEND_CONCURRENCY", "8"))
CYAN_WEBHOOKS_SWEEP_SECONDS = int(os.environ.get("CYAN_WEBHOOKS_SWEEP_SECONDS", "10"))
CYAN_WEBHOOKS_SECRET_OVERLAP_HOURS = int(os.environ.get("CYAN_WEBHOOKS_SECRET_OVERLAP_HOURS", "24"))
# The Light Blue-compatible endpoint answers -20 to plain HTTP in production, as Light Blue.
CYAN_LIGHTBLUE_REQUIRE_HTTPS = env_bool("CYAN_LIGHTBLUE_REQUIRE_HTTPS", CYAN_PRODUCTION)
CYAN_POLL_INTERVAL_SECONDS = int(os.environ.get("CYAN_POLL_INTERVAL_SECONDS", "300"))
# How often the poll round looks for links whose next poll is due (inbox.tasks).
CYAN_POLL_TICK_SECONDS = int(os.environ.get("CYAN_POLL_TICK_SECONDS", "30"))
# How often the worker sends due payment reminders (invoicing/reminders.py).
CYAN_REMINDER_INTERVAL_SECONDS = int(os.environ.get("CYAN_REMINDER_INTERVAL_SECONDS", "3600"))
# ShootProof has no webhooks: polls every CYAN_SHOOTPROOF_POLL_SECONDS while orders
# arrive, doubling when quiet up to CYAN_SHOOTPROOF_POLL_MAX_SECONDS (docs/galleries-linking.md).
CYAN_SHOOTPROOF_POLL_SECONDS = int(os.environ.get("CYAN_SHOOTPROOF_POLL_SECONDS", "120"))
CYAN_SHOOTPROOF_POLL_MAX_SECONDS = int(os.environ.get("CYAN_SHOOTPROOF_POLL_MAX_SECONDS", "900"))
# A task is abandoned when its worker's heartbeat is older than this (cyan/task_recovery.py).
CYAN_WORKER_LEASE_SECONDS = int(os.environ.get("CYAN_WORKER_LEASE_SECONDS", "60"))

# -- The scheduler (`cyan scheduler`, cyan/scheduler.py): one copy elected by a lock leads;
# every beat it writes its heartbeat to the shared cache and enqueues the jobs that are due.
CYAN_SCHEDULER_BEAT_SECONDS = float(os.environ.get("CYAN_SCHEDULER_BEAT_SECONDS", "10"))
# How often it enqueues: the purge of expired Idempotency-Key records, the pruning of
# finished task results (kept CYAN_TASK_RESULTS_KEEP_DAYS), the early refresh of provider
# tokens (those expiring within two rounds).
CYAN_IDEMPOTENCY_PURGE_SECONDS = int(os.environ.get("CYAN_IDEMPOTENCY_PURGE_SECONDS", "3600"))
CYAN_TASK_RESULTS_PRUNE_SECONDS = int(os.environ.get("CYAN_TASK_RESULTS_PRUNE_SECONDS", "3600"))
CYAN_TASK_RESULTS_KEEP_DAYS = int(os.environ.get("CYAN_TASK_RESULTS_KEEP_DAYS", "14"))
CYAN_TOKEN_REFRESH_SECONDS = int(os.environ.get("CYAN_TOKEN_REFRESH_SECONDS", "300"))

# Observability (cyan/health.py, /ready): a ready task waiting longer than this fails
# the queue check; the elected scheduler beats every CYAN_SCHEDULER_BEAT_SECONDS into the
# shared cache (the scheduler writes it, /ready reads it), stale after three beats.
CYAN_QUEUE_MAX_LAG_SECONDS = int(os.environ.get("CYAN_QUEUE_MAX_LAG_SECONDS", "120"))
# /metrics answers loopback (not through a proxy) and, when set, `Authorization: Bearer
# <this token>` from anywhere (cyan/metrics.py).
CYAN_METRICS_TOKEN = os.environ.get("CYAN_METRICS_TOKEN", "")

# Logs (cyan/logs.py): human-readable lines by default, one JSON object per line with
# CYAN_LOG_FORMAT=json (each with request_id / task_id, and a `cyan.request` line per
# request). Every handler drops secrets from URLs and headers, email addresses, query
# values and customer data quoted in database errors (cyan/log_redaction.py); SQL with
# its parameters is never logged (WARNING).
CYAN_LOG_FORMAT = os.environ.get("CYAN_LOG_FORMAT", "plain").strip().lower()
if CYAN_LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured(f"CYAN_LOG_FORMAT must be plain or json, not {CYAN_LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact": {"()": "cyan.log_redaction.RedactingFilter"},
        "context": {"()": "cyan.logs.ContextFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "cyan.logs.RedactedJsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": CYAN_LOG_FORMAT,
            "filters": ["context", "redact"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("CYAN_LOG_LEVEL", "INFO")},
    "loggers": {
        # A line per request (route, status, time, request id): for JSON logs, where
        # gunicorn's access line is not enough to follow a request.
        "cyan.request": {"level": "INFO" if CYAN_LOG_FORMAT == "json" else "WARNING"},
        # Django's own console handler (DEBUG only) would print its lines a second time,
        # unformatted and unredacted: they go through the console handler above instead.
        "django": {"handlers": [], "level": "INFO"},
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},  # a line per layout step otherwise
        "fontTools": {"level": "WARNING"},
        # A line per task start and finish every few seconds (poll round, webhook sweep)
        # buries what matters; a failed task is still logged (ERROR).
        "django.tasks": {"level": os.environ.get("CYAN_TASKS_LOG_LEVEL", "WARNING")},
    },
}

FORM_RENDERER = "cyan.forms.CyanFormRenderer"

# Email (invoices to clients, payment reminders): the console backend unless an SMTP
# server is configured (CYAN_EMAIL_HOST). Django 6.1's MAILERS, not the EMAIL_* settings.
_EMAIL_HOST = os.environ.get("CYAN_EMAIL_HOST", "")
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": _EMAIL_HOST,
            "port": int(os.environ.get("CYAN_EMAIL_PORT", "25")),
            "username": os.environ.get("CYAN_EMAIL_USER") or None,
            "password": os.environ.get("CYAN_EMAIL_PASSWORD") or None,
            "use_tls": env_bool("CYAN_EMAIL_USE_TLS", False),
            "timeout": 20,
        },
    }
    if _EMAIL_HOST
    else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
}
# How often the worker sends waiting notification emails and the daily new-order email.
CYAN_NOTICES_ROUND_SECONDS = int(os.environ.get("CYAN_NOTICES_ROUND_SECONDS", "300"))
DEFAULT_FROM_EMAIL = os.environ.get("CYAN_EMAIL_FROM", "Cyan <studio@localhost>")
