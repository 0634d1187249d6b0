"""Importing contacts: outcomes (new / merge / problem), merges inside the file, the
matcher's rule (never a merge on a name alone), bad rows left out or the import refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from contacts.models import Contact
from transfers import services
from transfers.models import ImportBatch, ImportRow

HEADER = "First Name,Last Name,E-mail Address,Mobile Phone,Zip,Tags\n"


def outcomes(batch):
    return dict(ImportRow.objects.filter(batch=batch).values_list("line", "outcome"))


def test_preview_writes_nothing_and_says_what_each_row_will_do(studio, make_contact, do_import):
    make_contact("Jane", "Smith", emails=["jane@example.com"])
    data = (
        HEADER
        + "Jane,Smith,JANE@example.com,,BA1 1AA,vip\n"  # line 2: same email + first name
        + "John,Smith,,,,\n"  # line 3: nobody like him
        + "Bad,Email,not-an-email,,,\n"  # line 4
        + "Jane,Smith,,,,\n"  # line 5: a name alone is never a merge
    ).encode()
    batch = do_import(data, run=False)
    assert batch.status == ImportBatch.Status.PREVIEWED
    assert outcomes(batch) == {2: "merge", 3: "new", 4: "problem", 5: "new"}
    assert batch.counts == {"merge": 1, "new": 2, "problem": 1}
    assert "not a valid email" in ImportRow.objects.get(batch=batch, line=4).reason
    assert "possibly the same as Jane Smith" in ImportRow.objects.get(batch=batch, line=5).reason
    assert Contact.objects.filter(studio=studio).count() == 1  # nothing written


def test_run_creates_merges_and_leaves_bad_rows_out(studio, make_contact, do_import):
    jane = make_contact("Jane", "Smith", emails=["jane@example.com"])
    data = (
        HEADER
        + "Jane,Smith,jane@example.com,07700 900123,,vip\n"
        + "Bad,Email,nope,,,\n"
        + "Ann,Lee,ann@example.com,,,\n"
    ).encode()
    batch = do_import(data)
    assert batch.status == ImportBatch.Status.DONE
    assert batch.rows_done == 3
    jane.refresh_from_db()
    assert list(jane.phones.values_list("e164", flat=True)) == ["+447700900123"]
    assert list(jane.tags.values_list("name", flat=True)) == ["vip"]
    names = set(Contact.objects.filter(studio=studio).values_list("first_name", flat=True))
    assert names == {"Jane", "Ann"}
    ann = Contact.objects.get(first_name="Ann")
    assert ann.source == Contact.Source.IMPORT


def test_rows_of_one_file_that_are_one_person_merge(studio, do_import):
    data = (
        HEADER
        + "Mia,Wong,mia@example.com,,,\n"
        + "Mia,Wong,MIA@example.com,07700 900555,,\n"  # same email and first name: merge
        + "Mia,Wong,,,,\n"  # name alone: a new contact (reported as possibly the same)
    ).encode()
    batch = do_import(data, run=False)
    assert outcomes(batch) == {2: "new", 3: "merge", 4: "new"}
    services.start_run(batch=batch)
    mias = Contact.objects.filter(studio=studio, first_name="Mia")
    assert mias.count() == 2
    merged = mias.get(emails__email_normalized="mia@example.com")
    assert list(merged.phones.values_list("e164", flat=True)) == ["+447700900555"]


def test_a_merge_by_name_and_address_without_a_country_adds_no_second_address(
    studio, make_contact, do_import
):
    home = {"line1": "12 Mill Lane", "city": "Bath", "postcode": "BA2 4QT"}
    ada = make_contact("Ada", "Quill", addresses=[{**home, "country": "GB"}])
    data = (
        b"First Name,Last Name,Address,Town,Postcode\n"
        b"Ada,Quill,12 Mill Lane,Bath,BA2 4QT\n"  # the file has no country: the studio's
        b"Ada,Quill,12 mill lane,BATH,ba24qt\n"
    )
    batch = do_import(data)
    assert outcomes(batch) == {2: "merge", 3: "merge"}
    rows = ImportRow.objects.filter(batch=batch)
    assert {row.merged_contact_id for row in rows} == {ada.pk}
    assert all(not any(row.created_ids.values()) for row in rows)  # nothing for undo to remove
    assert list(ada.addresses.values_list("line1", "country")) == [("12 Mill Lane", "GB")]


def test_refuse_mode_writes_nothing_when_a_row_is_bad(studio, do_import):
    data = (HEADER + "Ann,Lee,ann@example.com,,,\n" + "Bad,Row,nope@,,,\n").encode()
    batch = do_import(data, run=False, bad_rows="refuse")
    with pytest.raises(ValidationError, match=r"lines 3"):
        services.start_run(batch=batch)
    assert not Contact.objects.filter(studio=studio).exists()


def test_unreadable_file_is_refused_with_a_clear_message(studio):
    with pytest.raises(ValidationError, match="no data rows"):
        services.upload(studio=studio, kind="contacts", file_name="c.csv", data=b"First Name\n")
    with pytest.raises(ValidationError, match="could not be opened"):
        services.upload(
            studio=studio, kind="contacts", file_name="c.xlsx", data=b"PK\x03\x04garbage"
        )
    assert not ImportBatch.objects.exists()


def test_phones_are_read_in_the_studios_country(studio_factory, do_import):
    us_studio, _ = studio_factory("US Studio", country="US")
    data = b"Name,Phone\nAl Jones,(212) 555-0142\n"
    do_import(data, on_studio=us_studio)
    contact = Contact.objects.get(studio=us_studio)
    assert (contact.first_name, contact.last_name) == ("Al", "Jones")
    assert list(contact.phones.values_list("e164", flat=True)) == ["+12125550142"]


def test_never_touches_another_studio(studio, other_studio, make_contact, do_import):
    theirs = make_contact("Jane", "Smith", emails=["jane@example.com"], studio=other_studio)
    batch = do_import((HEADER + "Jane,Smith,jane@example.com,07700 900123,,\n").encode())
    assert outcomes(batch) == {2: "new"}
    theirs.refresh_from_db()
    assert not theirs.phones.exists()
    assert Contact.objects.filter(studio=studio).count() == 1


def test_on_sqlite_a_long_preview_runs_in_segments_and_says_what_may_merge(
    studio, do_import, monkeypatch
):
    """Every row its own segment (a 0-second budget): the database is never locked for
    the whole preview; a row whose twin is in an earlier segment says it may merge."""
    from django.db import connection

    from transfers import previewing

    if connection.vendor != "sqlite":
        pytest.skip("segments are SQLite's")
    monkeypatch.setattr(previewing, "SQLITE_SEGMENT_SECONDS", 0.0)
    data = (HEADER + "Mia,Wong,mia@example.com,,,\n" + "Mia,Wong,MIA@example.com,,,\n").encode()
    batch = do_import(data, run=False)
    assert outcomes(batch) == {2: "new", 3: "new"}
    assert "may merge with line 2 of this file" in ImportRow.objects.get(batch=batch, line=3).reason
    services.start_run(batch=batch)  # the run is exact
    assert outcomes(batch) == {2: "new", 3: "merge"}
