"""An import group's rows scored ahead, in a second process.

Scoring (contacts.matching_evidence) is a third of an import's time, and it runs in
one process while the machine's other cores wait. Once transfers.engine.Writer has
looked up a group's candidates (contacts.matching_batch.Lookups), a forked child goes
through the group's rows in file order as the parent will: it scores each row, and
builds the new contact of each row it finds new and adds it to its copy of the look-ups
(contacts.services.build_contacts; nothing written). It sends every row's answer back
through a pipe, a few rows at a time. The parent still applies the rows one by one: it
takes the child's answer for a row when the child's look-ups gave that row the Hits the
parent's give now. They differ only where the parent did what the child could not see
(Lookups.taint): a merge that wrote to a contact (read again, so its lists and rows
changed), or a row the two decided differently (one built a contact the other did not:
its keys' lists). Any such row, or one the child has not answered yet, is scored by the
parent as before; a contact both built has the same provisional id in both (one per
row), and the parent's inserts only rename it (Lookups.real_ids; `translate`).

The child never touches the database: it uses only what fork gave it, a statement in it
raises (the row is then left to the parent), it leaves with os._exit (no cleanup that
could close the parent's connection) and it is killed at the end of the group.
CYAN_IMPORT_AHEAD: "1" always, "0" never; unset, wherever fork exists, this process may
use more than one core and a group has MIN_ROWS rows or more (a refused fork: no child).
(The worker process has other threads, its heartbeat: a lock one of them held at the
fork would stay held in the child; the child takes none of theirs, and the parent waits
for it WAIT seconds at most before going on alone.)
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import pickle
import signal
import warnings
from collections.abc import Callable, Sequence
from enum import Enum
from multiprocessing import Pipe
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from django.db import connection
from django.db.models import Model
from django.db.models.base import ModelState

from contacts.matching import Candidate, MatchResult
from contacts.matching_batch import Lookups
from contacts.matching_lookup import Probe
from contacts.models import Contact, ContactAddress, ContactEmail, ContactPhone
from contacts.services import Built

logger = logging.getLogger(__name__)
PIPE_BYTES = 1 << 20  # the most Linux gives an unprivileged process (pipe-max-size)
BATCH = 8  # rows per message: the first answers arrive soon, and a message costs little
WAIT = 5.0  # seconds to wait for a row's answer before going on without the child


MIN_ROWS = 200  # a smaller group (the SQLite preview's segments) is not worth a fork


def wanted(rows: int) -> bool:
    """Whether to score a group of `rows` rows ahead (the module docstring)."""
    setting = os.environ.get("CYAN_IMPORT_AHEAD", "").strip()
    if setting in ("0", "1"):
        return setting == "1" and hasattr(os, "fork")
    return hasattr(os, "fork") and rows >= MIN_ROWS and usable_cores() > 1


def usable_cores() -> int:
    """The cores this process may use: its CPU affinity, and a container's CPU quota
    (cgroup v2 cpu.max), which affinity does not show."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    cores = cores or 1
    with contextlib.suppress(OSError, ValueError):
        quota, period = Path(CPU_MAX).read_text().split()[:2]
        if quota != "max":
            cores = min(cores, max(1, int(quota) // int(period)))
    return cores


CPU_MAX = "/sys/fs/cgroup/cpu.max"


def start(
    lookups: Lookups,
    lines: Sequence[int],
    foresee: Callable[[int], Answer],
    diverged: Callable[[int], None],
    idle: Callable[[], bool] | None = None,
) -> Ahead | None:
    """An Ahead, or None when the system refuses the fork (memory, a process limit): the
    rows are then scored here, as they would be without it."""
    try:
        return Ahead(lookups, lines, foresee, diverged, idle)
    except OSError as exc:
        logger.warning("Scoring ahead is off for this group: %s", exc)
        return None


# A row's answer: its candidates' ids (None: the parent must score it), the outcome (as
# `pack` gives it), and the new contact the row built (`pack_built`; None: none).
Answer = tuple[tuple[int, ...] | None, tuple[Any, ...] | None, tuple[Any, ...] | None]


def pack(result: MatchResult) -> tuple[Any, ...]:
    """What the importing process reads of a MatchResult (transfers.engine: the outcome,
    why, and the best candidate, its contact by id), as plain values, cheap to send."""
    best = result.best
    if best is None:
        return result.outcome, result.why, None
    fields = (best.score, best.reasons, best.certain, best.log_odds, best.basis, best.warning)
    return result.outcome, result.why, (best.contact.pk, *fields, best.conflicts)


def pack_built(built: Built) -> tuple[Any, ...]:
    """A contact built by contacts.services.build_contacts (and its detail rows) as plain
    values: each instance's attributes (a choice as its value)."""
    contact, (emails, phones, addresses, tags) = built
    rows = tuple(
        None if group is None else [_attributes(row) for row in group]
        for group in (emails, phones, addresses)
    )
    return _attributes(contact), rows, tags


def unpack_built(values: tuple[Any, ...]) -> Built:
    """The instances pack_built was given, as new unsaved ones."""
    contact, rows, tags = values
    groups = [
        None if group is None else [_instance(model, attributes) for attributes in group]
        for model, group in zip((ContactEmail, ContactPhone, ContactAddress), rows, strict=True)
    ]
    return _instance(Contact, contact), (*groups, tags)


def _attributes(instance: Model) -> dict[str, Any]:
    return {
        name: value.value if isinstance(value, Enum) else value
        for name, value in instance.__dict__.items()
        if name != "_state"
    }


def _instance(model: type[Model], attributes: dict[str, Any]) -> Any:
    # As Django unpickles an instance: no __init__ (its defaults are in `attributes`).
    instance = model.__new__(model)
    instance.__dict__.update(attributes)
    instance._state = ModelState()
    return instance


class Ahead:
    """The child scoring one group's rows; `answer` gives a row's answer when it holds."""

    def __init__(
        self,
        lookups: Lookups,
        lines: Sequence[int],
        foresee: Callable[[int], Answer],
        diverged: Callable[[int], None],
        idle: Callable[[], bool] | None = None,
    ) -> None:
        """`foresee(line)`: in the child, the row's Answer (building its contact);
        `diverged(line)`: in the parent, taint what the row's contact changed; `idle()`:
        a little of other work for the parent while it waits for an answer (False:
        none now, so this wait blocks; transfers.reading_ahead, transfers.settling)."""
        self.lookups = lookups
        self.diverged = diverged
        self.idle = idle
        self.answers: dict[int, Answer] = {}
        self.early: dict[int, bool] = {}  # rows decided before the child answered them
        self.taken = self.left = 0  # rows whose answer was the child's / scored here
        lookups.mark()
        reader, writer = Pipe(duplex=False)
        _widen(writer)
        try:
            with warnings.catch_warnings():
                # "This process is multi-threaded, use of fork() may lead to deadlocks in
                # the child": the worker's heartbeat thread. The child takes no lock such
                # a thread could hold (no database, no logging); a stuck one is left (WAIT).
                warnings.simplefilter("ignore", DeprecationWarning)
                self.pid = os.fork()
        except OSError:
            reader.close()
            writer.close()
            raise
        if self.pid == 0:  # the child
            reader.close()
            _foresee_all(writer, lines, foresee)  # never returns
        writer.close()
        self.reader: Connection | None = reader

    def answer(self, line: int, probe: Probe) -> MatchResult | None:
        """The child's answer for this row, if it has one and the row's Hits are still
        those it scored; None: score the row here."""
        if line not in self.answers:
            self._receive(until=line)
        ids, packed, _built = self.answers.get(line, (None, None, False))
        if ids is None or packed is None or not self.lookups.unchanged(probe, ids):
            self.left += 1
            return None
        self.taken += 1
        return self._unpack(packed)

    def _unpack(self, packed: tuple[Any, ...]) -> MatchResult:
        """The answer (its best candidate only), the contact as the look-ups here read it
        (under its real id when inserted since)."""
        outcome, why, best = packed
        if best is None:
            return MatchResult(outcome, why=why)
        pk, *rest = best
        contact = self.lookups.contacts.contact(self.lookups.real_ids.get(pk, pk))
        return MatchResult(outcome, [Candidate(contact, *rest)], why=why)

    def built(self, line: int) -> Built | None:
        """The new contact the child built for this row (the answer taken was its)."""
        values = self.answers.get(line, (None, None, None))[2]
        return None if values is None else unpack_built(values)

    def translate(self, result: MatchResult) -> None:
        """The contacts the answer names under their real ids (inserted since)."""
        real = self.lookups.real_ids
        for candidate in result.candidates:
            candidate.contact.pk = real.get(candidate.contact.pk, candidate.contact.pk)

    def decided(self, line: int, built: bool) -> None:
        """The parent applied this row (built a contact or not): if the child did
        otherwise, what it believed of later rows no longer holds there."""
        if line in self.answers:
            if (self.answers.pop(line)[2] is not None) != built:
                self.diverged(line)
        else:
            self.early[line] = built

    def _receive(self, until: int | None = None) -> None:
        """Take every message waiting; with `until`, wait (WAIT at most, then go on
        without the child) for that row's answer: the child answers every row in order,
        and scoring a row in both processes would cost more than waiting for it."""
        try:
            while self.reader is not None:
                if not self.reader.poll(0):
                    if until is None or until in self.answers:
                        return
                    if self.idle is not None and self.idle():
                        continue  # did a little while waiting: look again
                    if not self.reader.poll(WAIT):
                        logger.warning("The scoring process did not answer in %ss.", WAIT)
                        self._close_reader()  # stuck: the rows left are scored here
                        return
                for line, *answer in pickle.loads(self.reader.recv_bytes()):
                    if line in self.early:
                        if self.early.pop(line) != (answer[2] is not None):
                            self.diverged(line)
                    else:
                        self.answers[line] = tuple(answer)
        except (EOFError, OSError):
            if until is not None and until not in self.answers:  # ended before this row
                logger.info("The scoring process ended early; the rest is scored here.")
            self._close_reader()

    def _close_reader(self) -> None:
        if self.reader is not None:
            self.reader.close()
            self.reader = None

    def close(self) -> None:
        """End the child (done or not) and reap it."""
        self._close_reader()
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        self.answers, self.early = {}, {}


def _widen(end: Connection) -> None:
    """Room in the pipe for ~1500 rows' answers (~680 bytes a row; Linux, elsewhere the
    default 64 KiB, ~95 rows): the child then runs on while the parent is busy with a
    flush or a merge, instead of stopping, and waiting for it later is rarer."""
    size = getattr(fcntl, "F_SETPIPE_SZ", None)
    if size is not None:
        with contextlib.suppress(OSError):
            fcntl.fcntl(end.fileno(), size, PIPE_BYTES)


def _foresee_all(
    writer: Connection, lines: Sequence[int], foresee: Callable[[int], Answer]
) -> None:
    """In the child: every row's Answer, in order, BATCH rows per message."""
    code = 0
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        with connection.execute_wrapper(_no_statements):
            batch: list[tuple[Any, ...]] = []
            for line in lines:
                try:
                    batch.append((line, *foresee(line)))
                except _Refused:
                    return  # the child's copy can no longer follow: the parent goes on alone
                if len(batch) >= BATCH:
                    writer.send_bytes(pickle.dumps(batch, pickle.HIGHEST_PROTOCOL))
                    batch = []
            if batch:
                writer.send_bytes(pickle.dumps(batch, pickle.HIGHEST_PROTOCOL))
    except BaseException:  # the parent scores what is missing
        code = 1
    finally:
        os._exit(code)


class _Refused(Exception):
    """A statement in the child (which must not use the parent's connection)."""


def _no_statements(*args: Any) -> None:
    raise _Refused("The scoring process does not use the database.")
