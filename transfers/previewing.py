"""The preview: every row's outcome, computed by the run's own code (services.process)
inside a transaction that is rolled back, so nothing is written but the outcomes.

On PostgreSQL the whole file is one transaction: what the preview shows is exactly what
the run will do (while the studio's contacts do not change in between). On SQLite a
write transaction locks the whole database (Cyan opens them IMMEDIATE), and a 50k-row
preview takes minutes: webhooks and pages would wait past their 20 s timeout. There the
preview runs in segments of SQLITE_SEGMENT_SECONDS, each rolled back, so other writers
wait at most that long. A row that an earlier segment's row would merge with cannot see
it then: it is shown as new, with "may merge with line N of this file when it runs"
(found by the same look-up keys the matcher uses); the run itself is exact.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from django.db import connection, transaction

from contacts.matching_lookup import make_probe
from transfers import engine, merging
from transfers.models import ImportBatch, ImportRow, Kind
from transfers.records import Record
from transfers.settling import import_row

SQLITE_SEGMENT_SECONDS = 2.0


class _Rollback(Exception):
    """Raised inside a preview transaction so that nothing it wrote stays."""


def _until(rows: Iterator[Record], deadline: float | None) -> Iterator[Record]:
    """The rows, until the deadline (checked before each row after the first)."""
    first = True
    while first or deadline is None or time.monotonic() < deadline:
        first = False
        try:
            yield next(rows)
        except StopIteration:
            return


def preview_batch(batch: ImportBatch) -> ImportBatch:
    from transfers.services import _counts, process, records

    segment_seconds = SQLITE_SEGMENT_SECONDS if connection.vendor == "sqlite" else None
    rows = iter(records(batch))
    results: list[tuple[Record, merging.Applied]] = []
    seen: dict[tuple[str, str], int] = {}  # key → first line, of earlier segments
    while True:
        deadline = time.monotonic() + segment_seconds if segment_seconds is not None else None
        try:
            with transaction.atomic():
                # Small groups on SQLite: a group's rows are taken before the deadline
                # is checked again, and a segment should end near its deadline.
                segment = process(batch, _until(rows, deadline), group=50 if deadline else 250)
                raise _Rollback
        except _Rollback:
            pass
        if not segment:
            break
        if batch.kind == Kind.CONTACTS and segment_seconds is not None:
            _note_earlier_segments(batch, segment, seen)
        results.extend(segment)
    outcomes = [import_row(batch, record, applied, done=False) for record, applied in results]
    with transaction.atomic():
        ImportRow.objects.filter(batch=batch).delete()
        ImportRow.objects.bulk_create(outcomes, batch_size=1000)
        batch.counts = _counts(batch)
        batch.status = ImportBatch.Status.PREVIEWED
        batch.save(update_fields=["counts", "status"])
    batch.refresh_from_db(fields=["counts", "status"])
    return batch


def _note_earlier_segments(
    batch: ImportBatch, segment: list[tuple[Record, merging.Applied]], seen: dict
) -> None:
    region = batch.studio.country
    for record, applied in segment:
        if applied.outcome == merging.NEW and seen:
            probe = engine.probe_keys(make_probe(record.match_input(), batch.studio))
            lines = sorted({seen[key] for key in probe if key in seen})
            if lines:
                applied.reason += f" It may merge with line {lines[0]} of this file when it runs."
    for record, applied in segment:
        if applied.outcome in (merging.NEW, merging.MERGE):
            for key in engine.stored_keys(record.contact, region):
                seen.setdefault(key, record.line)


__all__ = ["SQLITE_SEGMENT_SECONDS", "preview_batch"]
