"""The next chunk's rows read while the importing process waits (transfers.reading_ahead)
are the rows it would have read: a run that read ahead writes what a run that did not
writes, row for row; what was read for one mapping or studio country is not used for
another; a row that fails to read ahead is read again when its chunk comes."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import transaction

from contacts.models import Contact
from transfers import engine, reading_ahead, services
from transfers.models import ImportBatch, ImportRow
from transfers.tests.test_batch_equals_alone import crowd, generated_file

__all__ = ["crowd"]  # the fixture, used by name


def slow_foresee(monkeypatch):
    """The child scores each row slowly, so that the parent waits for it (and reads)."""
    foresee = engine.Writer._foresee

    def slow(self, record):
        time.sleep(0.01)
        return foresee(self, record)

    monkeypatch.setattr(engine.Writer, "_foresee", slow)


@pytest.fixture
def taken(monkeypatch):
    """The rows each chunk took from what the previous one read ahead."""
    lines: list[int] = []
    take = reading_ahead.ReadAhead.take

    def counting(self, batch, order, line):
        found = take(self, batch, order, line)
        if found is not None:
            lines.append(line)
        return found

    monkeypatch.setattr(reading_ahead.ReadAhead, "take", counting)
    return lines


class Rollback(Exception):
    pass


@contextmanager
def rolled_back_run(studio, data: bytes, size: int) -> Iterator[ImportBatch]:
    """An import of `data` run in chunks of `size`, for the block to read; then undone
    (rolled back)."""
    try:
        with transaction.atomic():
            batch = services.upload(studio=studio, kind="contacts", file_name="g.csv", data=data)
            services.start_run(batch=batch, enqueue=False)
            while services.run_chunk(batch_id=batch.pk, size=size):
                pass
            yield batch
            raise Rollback
    except Rollback:
        pass


def run(studio, data: bytes, size: int) -> list:
    """Run an import in chunks of `size`: every row's outcome, reason and label, and the
    studio's contacts as they end (names, emails, phones); then undone (rolled back)."""
    found = []
    with rolled_back_run(studio, data, size) as batch:
        rows = ImportRow.objects.filter(batch=batch).order_by("line")
        found.append([(r.line, r.outcome, _named(r.reason), r.label, r.done) for r in rows])
        found.append(sorted(_contact(c) for c in Contact.objects.filter(studio=studio)))
    return found


def _named(reason: str) -> str:
    return re.sub(r"#\d+", "#", reason)  # ids differ between runs


def _contact(c: Contact) -> tuple:
    emails = sorted(c.emails.values_list("email_normalized", flat=True))
    return c.first_name, c.last_name, emails, sorted(c.phones.values_list("e164", flat=True))


def test_a_run_that_reads_ahead_writes_what_one_that_does_not_writes(crowd, taken, monkeypatch):
    data = generated_file(4, rows=120)
    monkeypatch.setattr(reading_ahead, "STEP", 4)
    slow_foresee(monkeypatch)
    monkeypatch.setenv("CYAN_IMPORT_AHEAD", "0")  # no waits: nothing read ahead
    plain = run(crowd, data, size=40)
    assert taken == []
    assert {row[1] for row in plain[0]} >= {"new", "merge"}
    monkeypatch.setenv("CYAN_IMPORT_AHEAD", "1")
    ahead = run(crowd, data, size=40)
    assert ahead == plain
    assert len(taken) > 20  # the later chunks' rows were mostly read ahead
    assert min(taken) > 41  # never the first chunk's


def test_rows_read_for_another_setting_are_read_again(studio):
    batch = services.upload(
        studio=studio, kind="contacts", file_name="g.csv", data=generated_file(1, rows=20)
    )
    table = services.table_of(batch)
    ahead = reading_ahead.reading_ahead(batch, table.rows, "dmy")
    while ahead.step():
        pass
    line = table.rows[3][0]
    read = services._read(batch, line, table.rows[3][1], "dmy")
    assert ahead.records[line] == read
    assert ahead.take(batch, "mdy", line) is None  # another date order
    batch.mapping = {**batch.mapping, "0": ""}
    assert ahead.take(batch, "dmy", line) is None  # another mapping
    batch.refresh_from_db()
    batch.studio.country = "US" if batch.studio.country != "US" else "GB"
    assert ahead.take(batch, "dmy", line) is None  # another country (phones, probes)
    batch.studio.refresh_from_db()
    record, probe = ahead.take(batch, "dmy", line)
    assert record == read and probe is not None


def test_a_row_that_fails_to_read_ahead_is_read_again(studio, monkeypatch):
    batch = services.upload(
        studio=studio, kind="contacts", file_name="g.csv", data=generated_file(2, rows=10)
    )
    rows = services.table_of(batch).rows

    def broken(*args, **kwargs):
        raise RuntimeError("unreadable")

    monkeypatch.setattr(reading_ahead, "read_record", broken)
    ahead = reading_ahead.reading_ahead(batch, rows, "dmy")
    assert ahead.step() is False
    assert ahead.step() is False  # it stops reading
    assert ahead.take(batch, "dmy", rows[0][0]) is None
    assert ImportBatch.objects.filter(pk=batch.pk).exists()
