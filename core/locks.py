"""Locks across processes, for work that must never run twice at once (one scheduler
among N copies; one poll of a gallery link at a time).

On PostgreSQL: session advisory locks, held by a database session and released by
PostgreSQL the moment that session ends, so a process that dies (kill -9, host lost)
never leaves a lock behind. On SQLite: an exclusive file lock (flock) under
CYAN_VAR_DIR/locks; SQLite serves only processes on the machine that holds its file, and
the kernel drops the lock when the process dies, the same guarantee.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections


def advisory_key(name: str) -> int:
    """A stable signed 64-bit key for `name` (pg_advisory_lock takes a bigint)."""
    digest = hashlib.blake2b(f"cyan:{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _lock_path(name: str, using: str) -> Path:
    """Per database, as PostgreSQL's advisory locks are: two SQLite files side by side
    (a test database beside the app's) never share a lock."""
    database = str(connections[using].settings_dict.get("NAME", ""))
    scope = hashlib.blake2b(database.encode(), digest_size=4).hexdigest()
    directory = Path(getattr(settings, "VAR_DIR", ".")) / "locks"
    directory.mkdir(parents=True, exist_ok=True)
    return directory / f"{scope}-{re.sub(r'[^A-Za-z0-9_.-]', '_', name)}.lock"


def _try_flock(name: str, using: str = DEFAULT_DB_ALIAS) -> int | None:
    """An open descriptor holding the lock, or None when another holder has it."""
    fd = os.open(_lock_path(name, using), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


@contextlib.contextmanager
def try_lock(name: str, using: str = DEFAULT_DB_ALIAS) -> Iterator[bool]:
    """Take `name` without waiting; yields whether this block holds it. On PostgreSQL the
    lock lives on this thread's connection, across the block's own transactions."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        fd = _try_flock(name, using)
        try:
            yield fd is not None
        finally:
            if fd is not None:
                os.close(fd)  # closing the descriptor releases the flock
        return
    key = advisory_key(name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        held = bool(cursor.fetchone()[0])
    try:
        yield held
    finally:
        if held:
            # A broken connection has released it already.
            with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


class HeldLock:
    """A lock held for as long as a process keeps it (the elected scheduler), on a
    connection of its own: Django may close a thread's connection between requests or
    after an error, which would drop an advisory lock silently."""

    def __init__(self, name: str, using: str = DEFAULT_DB_ALIAS) -> None:
        self.name, self.using = name, using
        self._connection = None
        self._fd: int | None = None

    @property
    def postgresql(self) -> bool:
        return connections[self.using].vendor == "postgresql"

    def acquire(self) -> bool:
        """Try once, without waiting."""
        if self.postgresql:
            self._connection = self._connection or connections.create_connection(self.using)
            try:
                with self._connection.cursor() as cursor:
                    cursor.execute("SELECT pg_try_advisory_lock(%s)", [advisory_key(self.name)])
                    held = bool(cursor.fetchone()[0])
            except DatabaseError:
                self.release()
                raise
            if not held:
                self.release()  # no idle session per standby
            return held
        self._fd = self._fd if self._fd is not None else _try_flock(self.name, self.using)
        return self._fd is not None

    def held(self) -> bool:
        """Still ours? On PostgreSQL: while the session lives (a dead database connection
        has lost the lock, and another process may hold it now)."""
        if not self.postgresql:
            return self._fd is not None
        if self._connection is None:
            return False
        try:
            with self._connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                    "AND pid = pg_backend_pid() AND granted",
                )
                return cursor.fetchone()[0] > 0
        except DatabaseError:
            self.release()
            return False

    def release(self) -> None:
        if self._connection is not None:
            # Unlock first: closing ends the session, but the server lets go of its locks
            # a moment later, which another process could still find taken.
            with contextlib.suppress(DatabaseError), self._connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock_all()")
            with contextlib.suppress(DatabaseError):
                self._connection.close()  # ends the session, and with it any lock left
            self._connection = None
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
