"""Cyan's own system checks: what `cyan check --deploy` flags, and what stops the web
application from starting in production (CYAN_DEBUG=false) with the development keys.

Django's own deploy checks cover cookies, HSTS and DEBUG; these cover Cyan's secrets and
the shared cache its throttles rely on.
"""

from __future__ import annotations

import importlib.util

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

MIN_SECRET_LENGTH = 50
SHARED_CACHE_BACKENDS = (
    "django.core.cache.backends.redis.RedisCache",
    "cyan.cache.SharedDatabaseCache",
)


def secrets_errors() -> list[Error]:
    """The Django secret key and the Fernet keys must be set, and not the in-repo ones."""
    errors = []
    secret = settings.SECRET_KEY
    if secret == settings.DEV_SECRET_KEY or len(set(secret)) < 5 or len(secret) < MIN_SECRET_LENGTH:
        errors.append(
            Error(
                "CYAN_SECRET_KEY is missing, the in-repo development key, or too weak.",
                hint=f"Set CYAN_SECRET_KEY to a random value of {MIN_SECRET_LENGTH}+ characters,"
                " e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))'.",
                id="cyan.E001",
            )
        )
    if _fernet_problem():
        errors.append(
            Error(
                f"CYAN_FERNET_KEYS {_fernet_problem()}.",
                hint="Set CYAN_FERNET_KEYS to your own key(s), newest first: python -c "
                "'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'.",
                id="cyan.E002",
            )
        )
    return errors


def _fernet_problem() -> str:
    keys = list(settings.CYAN_FERNET_KEYS)
    if not keys or settings.DEV_FERNET_KEY in keys:
        return "is missing or holds the in-repo development key"
    for key in keys:
        try:
            Fernet(key)
        except (ValueError, TypeError):
            return "holds a value that is not a Fernet key"
    return ""


@register(Tags.security)
def production_secrets(app_configs: object = None, **kwargs: object) -> list[Error]:
    """In production every management command (migrate, worker, check) stops here."""
    return secrets_errors() if settings.CYAN_PRODUCTION else []


@register(Tags.security, deploy=True)
def deploy_secrets(app_configs: object = None, **kwargs: object) -> list[Error]:
    """`check --deploy` on a development configuration says what production needs."""
    return [] if settings.CYAN_PRODUCTION else secrets_errors()


@register(Tags.caches, deploy=True)
def shared_cache(app_configs: object = None, **kwargs: object) -> list[Error | Warning]:
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith("RedisCache") and importlib.util.find_spec("redis") is None:
        return [
            Error(
                "CYAN_REDIS_URL is set but the 'redis' package is not installed.",
                hint="Install redis (pip install redis) or unset CYAN_REDIS_URL to use the "
                "database cache.",
                id="cyan.E003",
            )
        ]
    if backend not in SHARED_CACHE_BACKENDS:
        return [
            Warning(
                f"The default cache ({backend}) is not shared between processes: login "
                "throttling and the API rate limit would count per process.",
                hint="Use Redis (CYAN_REDIS_URL) or Cyan's database cache.",
                id="cyan.W004",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def demo_provider_secret(app_configs: object = None, **kwargs: object) -> list[Warning]:
    if settings.PICTIME_CLIENT_SECRET == "cyan-demo-secret":
        return [
            Warning(
                "PICTIME_CLIENT_SECRET is the demo stand-in's secret.",
                hint="Set PICTIME_CLIENT_SECRET to the secret of Cyan's Pic-Time app.",
                id="cyan.W005",
            )
        ]
    return []


def refuse_to_start_insecurely() -> None:
    """Called as the web application loads: production never serves with the development
    keys (gunicorn runs no system checks of its own)."""
    if not settings.CYAN_PRODUCTION:
        return
    errors = secrets_errors()
    if errors:
        lines = "\n".join(f"  {e.id}: {e.msg} {e.hint}" for e in errors)
        raise ImproperlyConfigured(
            f"Cyan will not start in production (CYAN_DEBUG=false):\n{lines}"
        )
