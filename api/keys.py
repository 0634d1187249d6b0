"""The shape of an API key: `cyan_<prefix>_<secret>`, and how it is hashed.

Only the SHA-256 of the whole key is stored. A fast hash is the right choice here
(unlike passwords): the secret is 32 random characters from a 62-letter alphabet
(~190 bits), so guessing it from a leaked hash is infeasible however fast the hash,
while a slow hash (argon2, PBKDF2) would add tens of milliseconds to every API call.
The short prefix is stored in clear so the owner can recognise a key and so the
lookup is one indexed query; the comparison of hashes is constant-time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string

KEY_PREFIX = "cyan"
PREFIX_LENGTH = 8
SECRET_LENGTH = 32
_PREFIX_ALPHABET = string.ascii_lowercase + string.digits
_SECRET_ALPHABET = string.ascii_letters + string.digits


def random_prefix() -> str:
    return "".join(secrets.choice(_PREFIX_ALPHABET) for _ in range(PREFIX_LENGTH))


def random_secret() -> str:
    return "".join(secrets.choice(_SECRET_ALPHABET) for _ in range(SECRET_LENGTH))


def format_key(prefix: str, secret: str) -> str:
    return f"{KEY_PREFIX}_{prefix}_{secret}"


def display_prefix(prefix: str) -> str:
    """What the owner sees to recognise a key they can no longer read in full."""
    return f"{KEY_PREFIX}_{prefix}_…"


def split_key(raw: str) -> tuple[str, str] | None:
    """(prefix, secret) of a well-formed key, or None for anything else."""
    parts = (raw or "").strip().split("_")
    if len(parts) != 3 or parts[0] != KEY_PREFIX:
        return None
    prefix, secret = parts[1], parts[2]
    if len(prefix) != PREFIX_LENGTH or len(secret) != SECRET_LENGTH:
        return None
    return prefix, secret


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.strip().encode()).hexdigest()


def hashes_match(raw: str, stored_hash: str) -> bool:
    # compare_digest takes the same time wherever the strings differ.
    return hmac.compare_digest(hash_key(raw), stored_hash)
