"""A chunk's done rows (ImportRow) written as its rows settle, while the importing
process would wait.

A run writes one ImportRow per row: its outcome, reason, undo record and the ids it
created. Written at the chunk's end, 10k of them took ~0.8 s during which nothing else
ran. But a row is settled long before: a merge or a problem when applied, a new contact
once inserted (engine.Writer.flush gives it its id). A Settling is given the chunk's
outcomes as they are applied and writes the settled ones, in file order, in the waits for
the process scoring ahead (transfers.scoring_ahead); `finish` writes the rest. Either way
the chunk's transaction holds them all, so a crash writes none of them, as before.
"""

from __future__ import annotations

from contacts import bulk_insert
from transfers import merging
from transfers.models import ImportBatch, ImportRow
from transfers.records import Record

STEP = 250  # rows per step: a few milliseconds, so an answer that arrives waits little


def import_row(
    batch: ImportBatch, record: Record, applied: merging.Applied, *, done: bool
) -> ImportRow:
    return ImportRow(
        studio_id=batch.studio_id,
        batch=batch,
        line=record.line,
        outcome=applied.outcome,
        reason=applied.reason[:2000],
        label=record.label,
        done=done,
        created_ids=applied.created,
        merged_contact_id=applied.merged_contact_id,
        before=applied.before,
    )


def settled(applied: merging.Applied) -> bool:
    """Whether the row's outcome is final: not a new contact still waiting for its id."""
    return applied.outcome != merging.NEW or bool(applied.created)


class Settling:
    """The done rows of one chunk: `results` grows as its rows are applied (the caller
    appends), `step` writes a few settled ones, `finish` the rest."""

    def __init__(self, batch: ImportBatch) -> None:
        self.batch = batch
        self.results: list[tuple[Record, merging.Applied]] = []
        self.written = 0

    def step(self) -> bool:
        """Write up to STEP settled rows that follow those written; False: none is
        settled yet (a later wait may find some)."""
        end, last = self.written, min(len(self.results), self.written + STEP)
        while end < last and settled(self.results[end][1]):
            end += 1
        return self._write(end)

    def finish(self) -> None:
        """Write every row not written yet (the chunk is applied: all are settled)."""
        self._write(len(self.results))

    def _write(self, end: int) -> bool:
        if end <= self.written:
            return False
        part = self.results[self.written : end]
        bulk_insert.insert(ImportRow, [import_row(self.batch, r, a, done=True) for r, a in part])
        self.written = end
        return True
