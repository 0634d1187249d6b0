"""Rows scored ahead in a forked process (transfers.scoring_ahead) decide exactly as rows
scored in the importing process; a child that fails, dies or hangs only means the
parent scores the rows itself. Over the generated files of test_batch_equals_alone
(namesakes past lowered caps, repeated people, a small flush size), so that some rows
meet contacts an earlier row merged into or built, which the child cannot know about."""

from __future__ import annotations

import fcntl
import os
import time
from multiprocessing import Pipe
from pathlib import Path

import pytest

from contacts.models import Contact
from transfers import engine, scoring_ahead
from transfers.tests.test_batch_equals_alone import crowd, generated_file, outcomes

__all__ = ["crowd"]  # the fixture, used by name


@pytest.fixture
def counted(monkeypatch):
    """How many rows each group took from the child and scored itself."""
    seen: list[tuple[int, int]] = []
    close = scoring_ahead.Ahead.close

    def counting(self):
        seen.append((self.taken, self.left))
        close(self)

    monkeypatch.setattr(scoring_ahead.Ahead, "close", counting)
    return seen


def here_and_ahead(crowd, data, monkeypatch):
    monkeypatch.setenv("CYAN_IMPORT_AHEAD", "0")
    here = outcomes(crowd, data)
    monkeypatch.setenv("CYAN_IMPORT_AHEAD", "1")
    return here, outcomes(crowd, data)


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_rows_scored_ahead_are_decided_as_rows_scored_here(crowd, counted, seed, monkeypatch):
    here, ahead = here_and_ahead(crowd, generated_file(seed, rows=90), monkeypatch)
    assert ahead == here
    taken = sum(t for t, _ in counted)
    left = sum(x for _, x in counted)
    assert taken > 0  # the child's answers were used ...
    assert left > 0  # ... and rows it could not know about were scored here
    assert {row[1] for row in ahead} >= {"new", "merge"}


def test_the_parent_takes_most_answers_from_the_child(crowd, counted, monkeypatch):
    monkeypatch.setenv("CYAN_IMPORT_AHEAD", "1")
    outcomes(crowd, generated_file(11, rows=120))
    taken = sum(t for t, _ in counted)
    left = sum(x for _, x in counted)
    assert taken > 2 * left


def failing_after(line: int, failure):
    """Writer._foresee that does `failure()` (in a child) for the rows from `line` on."""
    foresee = engine.Writer._foresee

    def patched(self, record):
        if record.line >= line:
            failure()
        return foresee(self, record)

    return patched


def test_a_child_that_uses_the_database_is_left_behind(crowd, counted, monkeypatch):
    monkeypatch.setattr(
        engine.Writer, "_foresee", failing_after(20, lambda: Contact.objects.count())
    )
    here, ahead = here_and_ahead(crowd, generated_file(2, rows=60), monkeypatch)
    assert ahead == here
    assert 0 < sum(t for t, _ in counted) < 20
    assert Contact.objects.count() == 14  # the parent's connection is intact


def test_a_child_that_dies_is_done_without(crowd, counted, monkeypatch):
    monkeypatch.setattr(engine.Writer, "_foresee", failing_after(20, lambda: os._exit(3)))
    here, ahead = here_and_ahead(crowd, generated_file(3, rows=60), monkeypatch)
    assert ahead == here
    assert 0 < sum(t for t, _ in counted) < 20


def test_a_stuck_child_is_waited_for_a_while_only(crowd, counted, monkeypatch):
    monkeypatch.setattr(scoring_ahead, "WAIT", 0.2)
    monkeypatch.setattr(engine.Writer, "_foresee", failing_after(20, lambda: time.sleep(60)))
    started = time.monotonic()
    here, ahead = here_and_ahead(crowd, generated_file(4, rows=40), monkeypatch)
    assert ahead == here
    assert 0 < sum(t for t, _ in counted) < 20
    assert time.monotonic() - started < 30  # not the child's minute per group


def test_the_setting(monkeypatch, tmp_path):
    monkeypatch.setenv("CYAN_IMPORT_AHEAD", "0")
    assert not scoring_ahead.wanted(5000)
    monkeypatch.setenv("CYAN_IMPORT_AHEAD", "1")
    assert scoring_ahead.wanted(2)  # always, whatever the size (the tests use small groups)
    monkeypatch.delenv("CYAN_IMPORT_AHEAD")
    monkeypatch.setattr(scoring_ahead, "CPU_MAX", str(tmp_path / "none"))
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    assert not scoring_ahead.wanted(5000)  # one core: nothing to gain
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    assert scoring_ahead.wanted(5000)
    assert not scoring_ahead.wanted(scoring_ahead.MIN_ROWS - 1)  # not worth a fork
    quota = tmp_path / "cpu.max"
    monkeypatch.setattr(scoring_ahead, "CPU_MAX", str(quota))
    quota.write_text("100000 100000\n")  # a container given one CPU of the host's two
    assert scoring_ahead.usable_cores() == 1
    assert not scoring_ahead.wanted(5000)
    quota.write_text("max 100000\n")
    assert scoring_ahead.usable_cores() == 2


def test_a_refused_fork_leaves_the_rows_to_the_parent(crowd, counted, monkeypatch):
    def refuse():
        raise OSError(12, "Cannot allocate memory")

    monkeypatch.setattr(os, "fork", refuse)
    here, ahead = here_and_ahead(crowd, generated_file(6, rows=60), monkeypatch)
    assert ahead == here
    assert counted == []  # no child was started


def test_built_contacts_travel_unchanged(studio):
    from contacts import services as contact_services

    people = [
        {
            "first_name": "Zoë",
            "last_name": "O'Brien",
            "emails": ["ZOE@Example.com", "z@example.org"],
            "phones": ["07700 900123"],
            "addresses": [{"line1": "1 High St", "city": "Bath", "postcode": "BA1 1AA"}],
            "tags": ["Wedding"],
            "notes": "Met at a fair",
            "source": "import",
        },
        {"first_name": "Bo"},
    ]
    for built in contact_services.build_contacts(studio=studio, people=people):
        again = scoring_ahead.unpack_built(scoring_ahead.pack_built(built))
        assert attributes(again[0]) == attributes(built[0])
        for rows, rows_again in zip(built[1][:3], again[1][:3], strict=True):
            assert [attributes(r) for r in rows or []] == [attributes(r) for r in rows_again or []]
        assert again[1][3] == built[1][3]
    stored = contact_services.insert_built(
        studio=studio,
        built=[
            scoring_ahead.unpack_built(scoring_ahead.pack_built(b))
            for b in contact_services.build_contacts(studio=studio, people=people)
        ],
    )
    zoe = Contact.objects.get(pk=stored[0].pk)
    assert zoe.display_name.startswith("Zoë")
    assert sorted(zoe.emails.values_list("email_normalized", flat=True)) == [
        "z@example.org",
        "zoe@example.com",
    ]
    assert zoe.phones.get().e164 == "+447700900123"
    assert zoe.addresses.get().postcode == "BA1 1AA"
    assert list(zoe.tags.values_list("name", flat=True)) == ["Wedding"]


def attributes(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


@pytest.mark.skipif(not hasattr(fcntl, "F_GETPIPE_SZ"), reason="pipe sizes are Linux's")
def test_the_pipe_holds_many_rows_answers():
    """The child runs on while the parent is busy (a flush, a merge) only if the pipe has
    room for its answers: 64 KiB by default held ~95 rows'."""
    reader, writer = Pipe(duplex=False)
    try:
        before = fcntl.fcntl(writer.fileno(), fcntl.F_GETPIPE_SZ)
        scoring_ahead._widen(writer)
        after = fcntl.fcntl(reader.fileno(), fcntl.F_GETPIPE_SZ)
    finally:
        reader.close()
        writer.close()
    limit = int(Path("/proc/sys/fs/pipe-max-size").read_text())
    assert after >= before
    if limit >= scoring_ahead.PIPE_BYTES:  # else refused, and left as it was
        assert after == scoring_ahead.PIPE_BYTES
