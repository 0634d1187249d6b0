"""Undo (created removed, merged put back, what a later change prevents kept and said),
a run that crashed part-way resumed without duplicates, and export → import round trip."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from contacts.models import Contact
from transfers import exporting, services, undo
from transfers.models import ImportBatch, ImportRow

HEADER = "First Name,Last Name,Email,Phone,Tags,Notes\n"


def test_undo_removes_created_and_reverts_merged(studio, make_contact, do_import):
    jane = make_contact("Jane", "Smith", emails=["jane@example.com"], notes="Met at a fair.")
    data = (
        HEADER
        + "Jane,Smith,jane@example.com,07700 900123,vip,Prefers mornings\n"
        + "Ann,Lee,ann@example.com,,,\n"
    ).encode()
    batch = do_import(data)
    jane.refresh_from_db()
    assert jane.phones.count() == 1 and "Prefers mornings" in jane.notes
    kept = undo.undo_batch(batch=batch)
    assert kept == []
    jane.refresh_from_db()
    assert not jane.phones.exists()
    assert not jane.tags.exists()
    assert jane.notes == "Met at a fair."
    assert list(Contact.objects.filter(studio=studio)) == [jane]
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.UNDONE


def test_undo_keeps_a_created_contact_that_now_has_a_sale_and_says_so(studio, make_sale, do_import):
    batch = do_import((HEADER + "Ann,Lee,ann@example.com,,,\nBo,Ek,bo@example.com,,,\n").encode())
    ann = Contact.objects.get(studio=studio, first_name="Ann")
    make_sale(ann)
    kept = undo.undo_batch(batch=batch)
    assert kept == ["Line 2: Ann Lee now has 1 sale, so the contact was kept."]
    assert list(Contact.objects.filter(studio=studio).values_list("first_name", flat=True)) == [
        "Ann"
    ]
    batch.refresh_from_db()
    assert batch.undo_report == kept


def test_undo_keeps_a_later_edit_of_a_merged_contact(studio, make_contact, do_import):
    from contacts.services import update_contact

    jane = make_contact("Jane", "", emails=["jane@example.com"])
    batch = do_import((HEADER + "Jane,Smith,jane@example.com,,,\n").encode())
    jane.refresh_from_db()
    assert jane.last_name == "Smith"
    update_contact(contact=jane, last_name="Smith-Jones")
    kept = undo.undo_batch(batch=batch)
    jane.refresh_from_db()
    assert jane.last_name == "Smith-Jones"
    assert kept == [
        "Line 2: Jane Smith-Jones's last name was edited after the import; the edit was kept."
    ]


def test_undo_only_within_30_days(studio, do_import):
    batch = do_import((HEADER + "Ann,Lee,ann@example.com,,,\n").encode())
    later = time_machine.travel(batch.finished_at + dt.timedelta(days=31))
    with later, pytest.raises(ValidationError, match="30 days"):
        undo.undo_batch(batch=batch)
    assert Contact.objects.filter(studio=studio).count() == 1


def test_a_crashed_run_resumes_without_duplicates(studio, do_import):
    """The first chunk is written, then the worker dies (the task is simply not run on);
    a fresh run of the task finishes the rest and writes no row twice."""
    lines = "".join(f"P{n},Person,p{n}@example.com,,,\n" for n in range(7))
    batch = do_import((HEADER + lines).encode(), run=False)
    batch.status = ImportBatch.Status.RUNNING
    batch.save()
    assert services.run_chunk(batch_id=batch.pk, size=3) is True
    assert Contact.objects.filter(studio=studio).count() == 3
    batch.refresh_from_db()
    assert batch.rows_done == 3
    from transfers.tasks import run_task

    run_task.call(batch.pk)  # what the worker's recovery does: run the task again
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE and batch.rows_done == 7
    assert Contact.objects.filter(studio=studio).count() == 7
    assert ImportRow.objects.filter(batch=batch, done=True).count() == 7
    assert set(ImportRow.objects.filter(batch=batch).values_list("outcome", flat=True)) == {"new"}


def _snapshot(studio):
    return sorted(
        (
            p["first_name"], p["last_name"], p["company"], tuple(p["emails"]), tuple(p["phones"]),
            tuple(tuple(sorted(a.items())) for a in p["addresses"]), tuple(sorted(p["tags"])),
            p["notes"], p["source"],
        )
        for p in exporting.people(studio)
    )  # fmt: skip


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "vcf"])
def test_export_then_import_into_a_fresh_studio_gives_the_same_data(
    file_format, studio, studio_factory, make_contact, do_import
):
    make_contact(
        "Jane",
        "Smith",
        emails=["jane@example.com", "js@work.example"],
        phones=["07700 900123"],
        addresses=[{"line1": "1 High St", "city": "Bath", "postcode": "BA1 1AA", "country": "GB"}],
        tags=["vip", "wedding"],
        notes="Line one\nLine two",
        company="Smith & Co",
    )
    make_contact("Zoë", "Müller", emails=["zoe@example.com"], notes='=HYPERLINK("x")')
    make_contact("", "", company="Acme Weddings", phones=["+1 212 555 0142"])
    data = exporting.export_contacts(studio, file_format)
    fresh, _ = studio_factory("Fresh", country="GB")
    batch = do_import(data, name=f"contacts.{file_format}", on_studio=fresh)
    assert batch.counts == {"new": 3}
    expected = _snapshot(studio)
    if file_format == "vcf":  # a vCard has no source field: imported contacts say "import"
        expected = sorted((*row[:-1], "import") for row in expected)
    assert _snapshot(fresh) == expected


def test_a_crash_inside_a_chunk_loses_the_chunk_whole_and_resume_finishes(
    studio, do_import, monkeypatch
):
    """The process dies while writing row 5 of a chunk (the exception stands in for the
    kill): the chunk's transaction is lost whole, the batch says it failed, and resuming
    writes every row exactly once."""
    from transfers import engine

    lines = "".join(f"P{n},Person,p{n}@example.com,,,\n" for n in range(8))
    batch = do_import((HEADER + lines).encode(), run=False)
    real_apply = engine.Writer.apply
    calls = {"n": 0}

    def dies_on_the_fifth_row(self, record):
        calls["n"] += 1
        if calls["n"] == 5:
            raise ConnectionError("worker killed")
        return real_apply(self, record)

    monkeypatch.setattr(engine.Writer, "apply", dies_on_the_fifth_row)
    services.start_run(batch=batch, enqueue=False)
    assert services.run_chunk(batch_id=batch.pk, size=3) is True  # rows 1-3 written
    with pytest.raises(ConnectionError):
        services.run(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED and "worker killed" in batch.error
    assert batch.rows_done == 3
    assert Contact.objects.filter(studio=studio).count() == 3  # the broken chunk left nothing

    services.resume(batch=batch)  # the page's Resume button; the task runs in-line here
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE and batch.rows_done == 8
    emails = Contact.objects.filter(studio=studio).values_list("emails__email", flat=True)
    assert sorted(emails) == sorted(f"p{n}@example.com" for n in range(8))


def test_undo_keeps_what_the_studio_did_after_the_import(studio, make_contact, do_import):
    """A tag added by hand to a merged contact stays (only the import's tag goes); a
    contact the import created and the studio then edited is kept, and said."""
    from contacts.services import update_contact

    jane = make_contact("Jane", "Smith", emails=["jane@example.com"], tags=["old"])
    data = HEADER + "Jane,Smith,jane@example.com,,vip,\nAnn,Lee,ann@example.com,,,\n"
    batch = do_import(data.encode())
    jane.refresh_from_db()
    update_contact(contact=jane, tags=["old", "vip", "by hand"])
    ann = Contact.objects.get(studio=studio, first_name="Ann")
    update_contact(contact=ann, company="Lee Studio")
    kept = undo.undo_batch(batch=batch)
    assert sorted(jane.tags.values_list("name", flat=True)) == ["by hand", "old"]
    assert kept == ["Line 3: Ann Lee was edited after the import, so the contact was kept."]
    assert Contact.objects.filter(pk=ann.pk).exists()
