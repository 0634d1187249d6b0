"""Encryption at rest for provider secrets (OAuth tokens, webhook secrets).

MultiFernet over settings.CYAN_FERNET_KEYS (newest first): it encrypts with the
first key and decrypts with any, so a new key can be put in front and every
stored value re-encrypted (`manage.py rotate_token_encryption`) before the old
key is dropped.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = ["InvalidToken", "decrypt_secret", "encrypt_secret", "reencrypt_secret"]


def _fernet() -> MultiFernet:
    # Built per call (cheap) so tests and key rotation see the current settings.
    keys = list(getattr(settings, "CYAN_FERNET_KEYS", []) or [])
    if not keys:
        raise ImproperlyConfigured("CYAN_FERNET_KEYS must hold at least one Fernet key.")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(f"CYAN_FERNET_KEYS holds an invalid Fernet key: {exc}") from exc


def encrypt_secret(plaintext: str) -> str:
    """Encrypt with the newest key; an empty secret stays empty (nothing to hide)."""
    if not plaintext:
        return ""
    return _fernet().encrypt(plaintext.encode()).decode("ascii")


def decrypt_secret(ciphertext: str) -> str:
    """Decrypt with whichever configured key matches; raises InvalidToken if none does."""
    if not ciphertext:
        return ""
    return _fernet().decrypt(ciphertext.encode("ascii")).decode()


def reencrypt_secret(ciphertext: str) -> str:
    """Re-encrypt under the newest key (MultiFernet.rotate keeps the original timestamp)."""
    if not ciphertext:
        return ""
    return _fernet().rotate(ciphertext.encode("ascii")).decode("ascii")
