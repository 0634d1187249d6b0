"""The next chunk's rows read while the importing process would wait.

A run reads each chunk's rows (transfers.records.read_record) and makes their probes
(contacts.matching_lookup.make_probe) before it can look their candidates up: ~0.7 s per
10k rows during which nothing else runs. But while a chunk is applied, the importing
process waits, now and then, for the process scoring ahead (transfers.scoring_ahead)
to answer a row. A ReadAhead does the next chunk's reading in those waits, a few rows at
a time (`step`), and the next chunk takes what it read (`take`); a row it did not reach
is read then, as before. Reading is the same either way: the same function of the row's
cells, the batch's mapping, the studio and the date order.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from itertools import islice

from accounts.models import Studio
from contacts import matching_lookup
from contacts.matching_lookup import Probe
from transfers.models import ImportBatch, Kind
from transfers.records import Record, read_record

logger = logging.getLogger(__name__)
STEP = 16  # rows per step: a few milliseconds, so an answer that arrives waits little


def _key(batch: ImportBatch, order: str) -> tuple:
    """What the rows read depend on: a ReadAhead serves only the batch and settings it
    was made for (a changed studio country or mapping reads again)."""
    studio = batch.studio
    return (batch.pk, len(batch.file_bytes), repr(batch.mapping), order, studio.country)


class ReadAhead:
    """Rows (line, cells) of the next chunk, read and probed on demand."""

    def __init__(self, batch: ImportBatch, rows: Sequence[tuple[int, list[str]]], order: str):
        self.key = _key(batch, order)
        self.kind, self.mapping, self.order = batch.kind, batch.mapping, order
        self.studio: Studio = batch.studio
        self.rows = iter(rows)
        self.records: dict[int, Record] = {}
        self.probes: dict[int, Probe] = {}

    def step(self) -> bool:
        """Read a few more rows; False when none is left (or reading one failed: that
        row is read again, and fails, where it would have without reading ahead)."""
        read = False
        try:
            for line, cells in islice(self.rows, STEP):
                record = read_record(
                    line,
                    cells,
                    kind=self.kind,
                    mapping=self.mapping,
                    studio=self.studio,
                    date_order=self.order,
                )
                if self.kind == Kind.CONTACTS and not record.problems:
                    self.probes[line] = matching_lookup.make_probe(
                        record.match_input(), self.studio
                    )
                self.records[line] = record
                read = True
        except Exception:
            logger.warning("Reading ahead stopped; the next chunk reads its rows.", exc_info=True)
            self.rows = iter(())
            return False
        return read

    def take(self, batch: ImportBatch, order: str, line: int) -> tuple[Record, Probe | None] | None:
        """The row's record and probe if read ahead for this batch as it is now."""
        if self.key != _key(batch, order) or line not in self.records:
            return None
        return self.records.pop(line), self.probes.pop(line, None)


_ahead: dict[int, ReadAhead] = {}  # batch id → the next chunk's rows (the last batch run)


def reading_ahead(
    batch: ImportBatch, rows: Sequence[tuple[int, list[str]]], order: str
) -> ReadAhead:
    """A ReadAhead for these rows, kept for the batch's next chunk (in this process)."""
    _ahead.clear()
    ahead = _ahead[batch.pk] = ReadAhead(batch, rows, order)
    return ahead


def read_before(batch: ImportBatch) -> ReadAhead | None:
    """What the batch's previous chunk read ahead in this process, if anything."""
    return _ahead.pop(batch.pk, None)


def forget() -> None:
    """Drop what was read ahead (a run that failed: its rows may not come again here)."""
    _ahead.clear()
