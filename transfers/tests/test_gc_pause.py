"""An import chunk runs with Python's cyclic GC paused (transfers.services.
cyclic_gc_paused), and leaves it as it found it: on again after the chunk, after a
crash inside it, and still off when the caller had it off."""

from __future__ import annotations

import gc

import pytest

from transfers import engine, services


@pytest.fixture
def gc_on():
    gc.enable()
    yield
    gc.enable()


def test_the_collector_is_off_while_rows_apply_and_on_after(gc_on, do_import, monkeypatch):
    seen = []
    apply = engine.Writer.apply

    def watched(self, record):
        seen.append(gc.isenabled())
        return apply(self, record)

    monkeypatch.setattr(engine.Writer, "apply", watched)
    batch = do_import(b"First Name,Last Name,Email\nAnn,Lee,ann@example.com\nBob,Ray,\n")
    assert batch.status == "done"
    assert len(seen) == 4 and not any(seen)  # the preview's two rows, then the run's
    assert gc.isenabled()


def test_on_again_after_a_crash_and_left_off_when_it_was(gc_on):
    with pytest.raises(RuntimeError), services.cyclic_gc_paused():
        assert not gc.isenabled()
        raise RuntimeError
    assert gc.isenabled()
    gc.disable()
    with services.cyclic_gc_paused():
        pass
    assert not gc.isenabled()
