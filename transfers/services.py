"""Every write of an import: upload, mapping, preview, run (in chunks), and saved mappings.

Undo is in transfers/undo.py. The run is idempotent per row (batch + line): a row is
written and marked done in one transaction, so a run that crashed resumes where it
stopped and never writes a row twice.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from itertools import islice
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from accounts.models import Studio
from transfers import dates, engine, merging, reading_ahead
from transfers import mapping as mappings
from transfers.models import ImportBatch, ImportRow, Kind, SavedMapping
from transfers.presets import PRESETS
from transfers.reading import Table, UnreadableFile, read_table
from transfers.reading_ahead import ReadAhead
from transfers.records import Record, read_record
from transfers.settling import Settling

Status = ImportBatch.Status
# Rows per chunk: one transaction, and one group of look-ups (engine.Writer.prepare). A
# larger group shares more of its candidates (common surnames) and its statements: on the
# import benchmark's studio of 100k, 1000 rows read 31 candidates per row, 4000 rows 16
# (a 10k-row import: 27 % faster than chunks of 1000, peak memory +50 MB). 10000 rows:
# one fork per 10k rows (transfers.scoring_ahead) and half the chunks' fixed costs; the
# 50k benchmark ran ~10 % faster than with 5000 (peak memory ~480 MB); the bar moves every
# ~12 s.
CHUNK = 10000
DATE_FIELDS = {Kind.CONTACTS: "created_date", Kind.SHOOTS: "date", Kind.SALES: "date"}


@transaction.atomic
def upload(
    *, studio: Studio, kind: str, file_name: str, data: bytes, created_by: str = ""
) -> ImportBatch:
    """A new batch from the file, with a proposed mapping; ValidationError (nothing
    saved) when the file cannot be read."""
    if kind not in Kind.values:
        raise ValidationError({"kind": f"“{kind}” is not contacts, shoots or sales."})
    try:
        table = read_table(data, file_name)
    except UnreadableFile as exc:
        raise ValidationError({"file": str(exc)}) from None
    return ImportBatch.objects.create(
        studio=studio,
        kind=kind,
        file_name=(file_name or "upload")[:255],
        file_bytes=data,
        file_format=table.file_format,
        headers=table.headers,
        row_count=len(table.rows),
        mapping=mappings.propose(table.headers, kind),
        options={"bad_rows": ImportBatch.BadRows.SKIP, "date_order": ""},
        created_by=created_by[:254],
    )


_last_table: dict[tuple[int, int], Table] = {}


def table_of(batch: ImportBatch) -> Table:
    """The batch's table; the last one read is kept, as a run reads it once per chunk."""
    key = (batch.pk or 0, len(batch.file_bytes))
    if key not in _last_table:
        _last_table.clear()
        _last_table[key] = read_table(bytes(batch.file_bytes), batch.file_name)
    return _last_table[key]


def _locked(batch: ImportBatch) -> ImportBatch:
    """The batch as stored (a task may have moved it on), locked; the caller's object is
    refreshed too."""
    fresh = ImportBatch.objects.select_for_update().select_related("studio").get(pk=batch.pk)
    batch.refresh_from_db()
    return fresh


def _editable(batch: ImportBatch) -> None:
    if batch.status not in (Status.UPLOADED, Status.PREVIEWED, Status.FAILED):
        raise ValidationError("This import has started: its mapping can no longer change.")


@transaction.atomic
def set_mapping(
    *,
    batch: ImportBatch,
    mapping: Mapping[str, str] | None = None,
    date_order: str | None = None,
    bad_rows: str | None = None,
) -> ImportBatch:
    """Change the mapping and options; a changed batch must be previewed again."""
    batch = _locked(batch)
    _editable(batch)
    if mapping is not None:
        cleaned = {str(k): v for k, v in mapping.items() if v}
        if problems := mappings.check(cleaned, batch.kind, len(batch.headers)):
            raise ValidationError({"mapping": problems})
        batch.mapping = cleaned
    if date_order is not None:
        if date_order not in ("", dates.DMY, dates.MDY):
            raise ValidationError({"date_order": "Choose dmy or mdy."})
        batch.options["date_order"] = date_order
    if bad_rows is not None:
        if bad_rows not in ImportBatch.BadRows.values:
            raise ValidationError({"bad_rows": "Choose skip or refuse."})
        batch.options["bad_rows"] = bad_rows
    batch.status = Status.UPLOADED
    batch.save(update_fields=["mapping", "options", "status"])
    return batch


def use_mapping(*, batch: ImportBatch, name: str) -> ImportBatch:
    """Apply a built-in preset or one of the studio's saved mappings, by name."""
    preset = PRESETS.get(name) if batch.kind == Kind.CONTACTS else None
    if preset is None:
        saved = (
            SavedMapping.objects.for_studio(batch.studio).filter(kind=batch.kind, name=name).first()
        )
        if saved is None:
            raise ValidationError({"mapping": f"No mapping called “{name}”."})
        preset = saved.fields_by_header
    proposed = mappings.propose(batch.headers, batch.kind, preset)
    return set_mapping(batch=batch, mapping=proposed)


@transaction.atomic
def save_mapping(*, batch: ImportBatch, name: str) -> SavedMapping:
    """Keep the batch's mapping under `name` (replacing one of that name)."""
    name = " ".join((name or "").split())[:100]
    if not name:
        raise ValidationError({"name": "Give the mapping a name."})
    saved, _ = SavedMapping.objects.update_or_create(
        studio=batch.studio,
        kind=batch.kind,
        name=name,
        defaults={"fields_by_header": mappings.by_header(batch.headers, batch.mapping)},
    )
    return saved


def date_order_question(batch: ImportBatch, table: Table | None = None) -> str:
    """What the file's date column says about its order (transfers.dates.column_order)."""
    column = next((k for k, v in batch.mapping.items() if v == DATE_FIELDS[batch.kind]), None)
    if column is None:
        return ""
    table = table or table_of(batch)
    position = int(column)
    return dates.column_order(
        cells[position] for _line, cells in table.rows if position < len(cells)
    )


def effective_date_order(batch: ImportBatch, table: Table | None = None) -> str:
    chosen = batch.options.get("date_order", "")
    if chosen:
        return chosen
    found = date_order_question(batch, table)
    return found if found in (dates.DMY, dates.MDY) else ""


def records(batch: ImportBatch, *, skip_lines: set[int] | None = None) -> Iterator[Record]:
    table = table_of(batch)
    order = effective_date_order(batch, table)
    for line, cells in table.rows:
        if skip_lines and line in skip_lines:
            continue
        yield _read(batch, line, cells, order)


def _read(batch: ImportBatch, line: int, cells: list[str], order: str) -> Record:
    return read_record(
        line, cells, kind=batch.kind, mapping=batch.mapping, studio=batch.studio, date_order=order
    )


def _chunk_rows(
    batch: ImportBatch, done: set[int], size: int
) -> tuple[list[Record], dict[int, Any], ReadAhead]:
    """The next `size` rows not done (with the probes read ahead for them), and a
    ReadAhead of the `size` after them (transfers.reading_ahead)."""
    table = table_of(batch)
    order = effective_date_order(batch, table)
    waiting = [(line, cells) for line, cells in table.rows if line not in done]
    before = reading_ahead.read_before(batch)
    chunk, probes = [], {}
    for line, cells in waiting[:size]:
        taken = before.take(batch, order, line) if before else None
        if taken is None:
            chunk.append(_read(batch, line, cells, order))
            continue
        record, probe = taken
        chunk.append(record)
        if probe is not None:
            probes[line] = probe
    return chunk, probes, reading_ahead.reading_ahead(batch, waiting[size : 2 * size], order)


# --- preview ------------------------------------------------------------------------------


@transaction.atomic
def start_preview(*, batch: ImportBatch) -> ImportBatch:
    """Queue the preview (the worker computes it; tests run it in-line)."""
    from transfers.tasks import preview_task

    batch = _locked(batch)
    _editable(batch)
    if problems := mappings.check(batch.mapping, batch.kind, len(batch.headers)):
        raise ValidationError({"mapping": problems})
    batch.status, batch.error = Status.PREVIEWING, ""
    batch.save(update_fields=["status", "error"])
    preview_task.enqueue(batch.pk)
    return batch


def preview(*, batch: ImportBatch) -> ImportBatch:
    """Every row's outcome, nothing written but the outcomes (transfers.previewing)."""
    from transfers.previewing import preview_batch

    return preview_batch(batch)


def process(
    batch: ImportBatch,
    rows: Iterable[Record],
    *,
    group: int = CHUNK,
    probes: Mapping[int, Any] | None = None,
    idle: Callable[[], bool] | None = None,
    done: list[tuple[Record, merging.Applied]] | None = None,
) -> list[tuple[Record, merging.Applied]]:
    """Apply the rows in order (the caller holds the transaction); each row's outcome is
    appended to `done` (returned) as it is applied. Contacts go through engine.Writer
    (new ones inserted in bulk, the candidates of `group` rows looked up together;
    `probes` made already, `idle` work for its waits, which may read `done`); shoots and
    sales one by one."""
    done = [] if done is None else done
    if batch.kind == Kind.CONTACTS:
        with cyclic_gc_paused():
            writer = engine.Writer(batch.studio, idle=idle)
            rows = iter(rows)
            try:
                while part := list(islice(rows, group)):
                    writer.prepare(part, probes)  # the look-ups of the whole group at once
                    for record in part:
                        done.append((record, writer.apply(record)))
            finally:
                writer.close()
            writer.flush()
        return done
    done.extend((record, _apply_safely(batch, record)) for record in rows)
    return done


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while contacts rows are applied.

    A group holds its candidates (~80k contacts' rows, names and addresses for 5000
    rows) and makes a model instance or two per row: the collector's full passes, each
    walking every object the process holds, took 11 % of an import's time (2.0 s of
    17.4 s for 10k rows; gc.callbacks). run_chunk pauses it for its whole chunk. The
    rows' garbage is freed by reference counting as usual; what sits in cycles waits
    for the collector, on again at the end."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _apply_safely(batch: ImportBatch, record: Record) -> merging.Applied:
    """apply_row in a savepoint: a row the services refuse is a problem, not a crash."""
    try:
        with transaction.atomic():
            return engine.apply_row(batch.studio, batch.kind, record)
    except ValidationError as exc:
        return merging.Applied(merging.PROBLEM, "; ".join(exc.messages))


def _counts(batch: ImportBatch) -> dict[str, int]:
    rows = ImportRow.objects.filter(batch=batch).values("outcome").annotate(n=Count("id"))
    return {row["outcome"]: row["n"] for row in rows}


# --- run ----------------------------------------------------------------------------------


@transaction.atomic
def start_run(*, batch: ImportBatch, enqueue: bool = True) -> ImportBatch:
    """Queue the import (enqueue=False: the caller runs the chunks itself, as the CLI
    does); refused (nothing written) when the studio chose "refuse" and a row has a
    problem."""
    from transfers.tasks import run_task

    batch = _locked(batch)
    if batch.status not in (Status.UPLOADED, Status.PREVIEWED):
        raise ValidationError("This import has already run.")
    if problems := mappings.check(batch.mapping, batch.kind, len(batch.headers)):
        raise ValidationError({"mapping": problems})
    if batch.options.get("bad_rows") == ImportBatch.BadRows.REFUSE:
        bad = [r.line for r in records(batch) if r.problems]
        if bad:
            lines = ", ".join(str(n) for n in bad[:20]) + ("…" if len(bad) > 20 else "")
            raise ValidationError(
                f"Nothing was imported: {len(bad)} rows have problems (lines {lines}). "
                "Correct the file, or choose to leave bad rows out."
            )
    # The date order is settled once (each chunk would otherwise scan the whole column).
    batch.options["date_order"] = effective_date_order(batch)
    batch.status, batch.rows_done, batch.error = Status.RUNNING, 0, ""
    batch.started_at, batch.finished_at = timezone.now(), None
    fields = ["options", "status", "rows_done", "error", "started_at", "finished_at"]
    batch.save(update_fields=fields)
    if enqueue:
        run_task.enqueue(batch.pk)
    return batch


def run_chunk(*, batch_id: int, size: int = CHUNK) -> bool:
    """Write the next `size` rows not yet done; True while rows remain.

    The batch row is locked for the chunk, so two workers never run one batch at once.
    """
    with transaction.atomic(), cyclic_gc_paused():  # reading the rows, too
        batch = ImportBatch.objects.select_for_update().select_related("studio").get(pk=batch_id)
        if batch.status != Status.RUNNING:
            return False
        done = set(ImportRow.objects.filter(batch=batch, done=True).values_list("line", flat=True))
        chunk, probes, ahead = _chunk_rows(batch, done, size)
        lines = [record.line for record in chunk]
        ImportRow.objects.filter(batch=batch, line__in=lines).delete()  # the preview's
        rows = Settling(batch)  # the done rows written in the waits, as they settle

        def idle() -> bool:
            return ahead.step() or rows.step()

        process(batch, chunk, probes=probes, idle=idle, done=rows.results)
        rows.finish()
        batch.rows_done = len(done) + len(chunk)
        more = batch.rows_done < batch.row_count and bool(chunk)
        batch.counts = _counts(batch)
        fields = ["rows_done", "counts"]
        if not more:
            batch.status, batch.finished_at = Status.DONE, timezone.now()
            fields += ["status", "finished_at"]
        batch.save(update_fields=fields)
        return more


def run(*, batch_id: int) -> ImportBatch:
    """Every remaining chunk; the batch is FAILED (with the error) if a chunk crashes."""
    try:
        while run_chunk(batch_id=batch_id):
            pass
    except Exception as exc:
        reading_ahead.forget()
        ImportBatch.objects.filter(pk=batch_id, status=Status.RUNNING).update(
            status=Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        raise
    return ImportBatch.objects.get(pk=batch_id)


@transaction.atomic
def resume(*, batch: ImportBatch, enqueue: bool = True) -> ImportBatch:
    """Run a FAILED (crashed) or stalled batch again: rows already done are skipped."""
    from transfers.tasks import run_task

    batch = _locked(batch)
    if batch.status not in (Status.FAILED, Status.RUNNING) or batch.started_at is None:
        raise ValidationError("Only an import that started can be resumed.")
    batch.status, batch.error = Status.RUNNING, ""
    batch.save(update_fields=["status", "error"])
    if enqueue:
        run_task.enqueue(batch.pk)
    return batch


def options_of(batch: ImportBatch) -> dict[str, Any]:
    return {"date_order": effective_date_order(batch), **batch.options}
