"""`cyan import …` and `cyan export …` (management commands `import` and `export`; the
`cyan` entry point passes any other command to manage.py, so cyan/cli.py needs no hook).

The CLI runs the import in its own process, chunk by chunk, with a progress bar on
stderr, and prints the batch id last on stdout. A run it did not finish (Ctrl-C, a
crash) is finished by `cyan import resume BATCH_ID`: rows already done are skipped.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TextIO

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from accounts.models import Studio, User
from transfers import exporting, selectors, services, undo
from transfers.models import ImportBatch, ImportRow

BAR = 30


def studio_of(email: str) -> tuple[Studio, User]:
    user = User.objects.select_related("studio").filter(email__iexact=email.strip()).first()
    if user is None:
        raise CommandError(f"No user with the email {email!r}.")
    if user.studio is None:
        raise CommandError(f"{email} does not belong to a studio.")
    return user.studio, user


def _messages(exc: ValidationError) -> str:
    return "; ".join(exc.messages)


def import_file(
    *, kind: str, path: str, email: str, mapping: str = "", dry_run: bool = False,
    date_order: str = "", bad_rows: str = "", out: TextIO, err: TextIO,
) -> ImportBatch:  # fmt: skip
    studio, user = studio_of(email)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise CommandError(f"Cannot read {path}: {exc.strerror}.") from None
    try:
        batch = services.upload(
            studio=studio, kind=kind, file_name=Path(path).name, data=data, created_by=user.email
        )
        if mapping:
            batch = services.use_mapping(batch=batch, name=mapping)
        services.set_mapping(batch=batch, date_order=date_order or None, bad_rows=bad_rows or None)
        batch.refresh_from_db()
        if services.date_order_question(batch) == "ambiguous" and not date_order:
            raise CommandError(
                "The dates could be day/month or month/day: say which with --date-order dmy|mdy."
            )
        err.write(f"Previewing {batch.row_count} rows of {batch.file_name}…\n")
        batch.status = ImportBatch.Status.PREVIEWING
        batch.save(update_fields=["status"])
        batch = services.preview(batch=batch)
        _summary(batch, err)
        if dry_run:
            err.write("Dry run: nothing was written.\n")
            return batch
        services.start_run(batch=batch, enqueue=False)
    except ValidationError as exc:
        raise CommandError(_messages(exc)) from None
    return run_with_progress(batch, err)


def run_with_progress(batch: ImportBatch, err: TextIO) -> ImportBatch:
    last_draw = 0.0
    while services.run_chunk(batch_id=batch.pk):
        batch.refresh_from_db()
        if time.monotonic() - last_draw > 0.2:
            _draw(batch, err)
            last_draw = time.monotonic()
    batch.refresh_from_db()
    _draw(batch, err)
    err.write("\n")
    _summary(batch, err, ran=True)
    return batch


def _draw(batch: ImportBatch, err: TextIO) -> None:
    p = selectors.progress(batch)
    filled = BAR * p.percent // 100
    left = f" · {p.seconds_left} s left" if p.seconds_left is not None else ""
    err.write(
        f"\r[{'#' * filled}{'.' * (BAR - filled)}] {p.done}/{p.total} rows · "
        f"{p.rows_per_second:.0f} rows/s{left}   "
    )
    err.flush()


def _summary(batch: ImportBatch, err: TextIO, ran: bool = False) -> None:
    counts = batch.counts
    verb = "Imported" if ran else "Preview"
    err.write(
        f"{verb}: {counts.get('new', 0)} new, {counts.get('merge', 0)} merged, "
        f"{counts.get('problem', 0)} with problems (left out).\n"
    )
    problems = selectors.batch_rows(batch=batch, outcome=ImportRow.Outcome.PROBLEM)[:20]
    for row in problems:
        err.write(f"  line {row.line}: {row.reason}\n")


def resume_batch(*, batch_id: int, email: str, err: TextIO) -> ImportBatch:
    studio, _user = studio_of(email)
    batch = _batch(studio, batch_id)
    try:
        services.resume(batch=batch, enqueue=False)
    except ValidationError as exc:
        raise CommandError(_messages(exc)) from None
    return run_with_progress(batch, err)


def _batch(studio: Studio, batch_id: int) -> ImportBatch:
    try:
        return selectors.get_batch(studio=studio, pk=batch_id)
    except ImportBatch.DoesNotExist:
        raise CommandError(f"This studio has no import {batch_id}.") from None


def undo_import(*, batch_id: int, email: str, err: TextIO) -> list[str]:
    studio, _user = studio_of(email)
    batch = _batch(studio, batch_id)
    try:
        kept = undo.undo_batch(batch=batch)
    except ValidationError as exc:
        raise CommandError(_messages(exc)) from None
    err.write(f"Import {batch.pk} undone.\n")
    for line in kept:
        err.write(f"  kept: {line}\n")
    return kept


def export(*, what: str, email: str, file_format: str, path: str) -> int:
    studio, _user = studio_of(email)
    if what != "contacts":
        raise CommandError("Only contacts can be exported so far.")
    try:
        data = exporting.export_contacts(studio, file_format)
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    if path == "-":
        sys.stdout.buffer.write(data)
    else:
        Path(path).write_bytes(data)
    return len(data)
