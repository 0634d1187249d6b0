"""A chunk's done rows written in the importing process's waits (transfers.settling) are
the rows it would have written at the chunk's end: every field, the ids a row created and
merged into included; a new contact's row is never written before the contact has its id."""

from __future__ import annotations

import re

import pytest

from transfers import services, settling
from transfers.merging import MERGE, NEW, PROBLEM, Applied
from transfers.models import ImportRow
from transfers.records import Record
from transfers.tests.test_batch_equals_alone import crowd, generated_file
from transfers.tests.test_reading_ahead import rolled_back_run, slow_foresee

__all__ = ["crowd"]  # the fixture, used by name


@pytest.fixture
def written_in_waits(monkeypatch) -> list[int]:
    """How many rows each step of Settling wrote (the waits' share)."""
    counts: list[int] = []
    step = settling.Settling.step

    def counting(self):
        before = self.written
        wrote = step(self)
        counts.append(self.written - before)
        return wrote

    monkeypatch.setattr(settling.Settling, "step", counting)
    return counts


def _done_rows(studio, data: bytes, size: int) -> list[tuple]:
    """Every done row of a run in chunks of `size`, every field; a contact the run created
    is named by the line that created it (ids differ between runs); then rolled back."""
    with rolled_back_run(studio, data, size) as batch:
        rows = list(ImportRow.objects.filter(batch=batch).order_by("line"))
    made = {pk: f"line {r.line}" for r in rows for pk in r.created_ids.get("contact", [])}
    return [
        (
            r.line,
            r.outcome,
            re.sub(r"#(\d+)", lambda m: f"#{made.get(int(m[1]), m[1])}", r.reason),
            r.label,
            r.done,
            {kind: len(ids) for kind, ids in r.created_ids.items()},
            made.get(r.merged_contact_id, r.merged_contact_id),
            r.before,
        )
        for r in rows
    ]


def test_rows_written_in_the_waits_are_those_written_at_the_end(
    crowd, written_in_waits, monkeypatch
):
    data = generated_file(7, rows=150)
    monkeypatch.setattr(settling, "STEP", 5)
    slow_foresee(monkeypatch)
    monkeypatch.setenv("CYAN_IMPORT_AHEAD", "0")  # no waits: all written at the chunks' end
    at_the_end = _done_rows(crowd, data, size=50)
    assert sum(written_in_waits) == 0
    assert {row[1] for row in at_the_end} >= {NEW, MERGE}
    assert all(row[5] == {"contact": 1} for row in at_the_end if row[1] == NEW)
    monkeypatch.setenv("CYAN_IMPORT_AHEAD", "1")
    in_the_waits = _done_rows(crowd, data, size=50)
    assert in_the_waits == at_the_end
    assert sum(written_in_waits) > 30  # most rows were written while the child scored


def _record(line: int) -> Record:
    return Record(line=line, values={}, contact={"first_name": f"Row {line}"})


def test_a_new_contact_waiting_for_its_id_holds_the_rows_after_it(studio):
    batch = services.upload(
        studio=studio, kind="contacts", file_name="g.csv", data=generated_file(3, rows=5)
    )
    rows = settling.Settling(batch)
    waiting = Applied(NEW, "New contact.")
    rows.results += [(_record(2), Applied(MERGE, "Merged.", merged_contact_id=None))]
    rows.results += [(_record(3), waiting), (_record(4), Applied(PROBLEM, "No name."))]
    assert rows.step() is True
    assert list(ImportRow.objects.filter(batch=batch).values_list("line", flat=True)) == [2]
    assert rows.step() is False  # line 3 has no contact id yet, so neither it nor line 4
    waiting.created = {"contact": [123]}  # inserted (engine.Writer.flush)
    assert rows.step() is True
    stored = ImportRow.objects.filter(batch=batch).order_by("line")
    assert [(r.line, r.outcome, r.created_ids) for r in stored] == [
        (2, MERGE, {}),
        (3, NEW, {"contact": [123]}),
        (4, PROBLEM, {}),
    ]
    rows.finish()
    assert ImportRow.objects.filter(batch=batch).count() == 3  # nothing written twice


def test_finish_writes_every_row_left(studio):
    batch = services.upload(
        studio=studio, kind="contacts", file_name="g.csv", data=generated_file(3, rows=5)
    )
    rows = settling.Settling(batch)
    rows.results += [(_record(line), Applied(MERGE, "Merged.")) for line in range(2, 9)]
    assert rows.step() is True
    rows.results += [(_record(9), Applied(NEW, "New contact.", created={"contact": [5]}))]
    rows.finish()
    lines = ImportRow.objects.filter(batch=batch).order_by("line").values_list("line", flat=True)
    assert list(lines) == list(range(2, 10))
