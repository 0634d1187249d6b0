"""The chunk's look-ups made ahead (engine.Writer.prepare) change no row's outcome: a file
whose rows merge with each other, fill a contact's blank name, add a phone that a later
row gives, and come in namesakes, imports exactly as with every row looked up alone;
and a merge that adds nothing, told without reading the contact again, is recorded
exactly as merge_into records it."""

from __future__ import annotations

import re

from django.db import transaction

from transfers import engine
from transfers.models import ImportRow
from transfers.tests.conftest import csv_bytes

FILE = """First Name,Last Name,Email,Mobile Phone,Address,Town,Postcode
Ann,Lee,ANN@example.com,,,,
Ann,Lee,ann@example.com,07700 900301,,,
,Lee,ann.lee@example.org,,,,
Anna,Lee,,07700 900301,,,
Bob,Stone,bob@example.com,,1 High St,Bath,BA1 1AA
Robert,Stone,,,1 High St,Bath,BA1 1AA
Jo,Marsh,jo@example.com,07700 900302,,,
Jo,Marsh,,07700 900302,,,
Jo,Marsh,,,,,
Cleo,,cleo@example.com,,,,
Cleo,Park,CLEO@example.com,,,,
Cleo,Park,,,,,
"""


class Rollback(Exception):
    pass


def outcomes(do_import, studio) -> list[tuple]:
    """Each row's outcome and reason, contacts named by the line that created them."""
    found: list[tuple] = []
    try:
        with transaction.atomic():
            batch = do_import(csv_bytes(FILE))
            rows = list(ImportRow.objects.filter(batch=batch).order_by("line"))
            made = {r.created_ids.get("contact", [None])[0]: r.line for r in rows}

            def named(text: str) -> str:
                return re.sub(r"#(\d+)", lambda m: f"line {made.get(int(m[1]), m[1])}", text)

            for r in rows:
                merged = made.get(r.merged_contact_id, r.merged_contact_id)
                found.append((r.line, r.outcome, named(r.reason), merged, r.before))
            raise Rollback
    except Rollback:
        pass
    return found


def test_prepared_look_ups_change_no_outcome(do_import, studio, make_contact, monkeypatch):
    make_contact("Ann", "Lee", emails=["ann@example.com"])
    make_contact("Bob", "Stone", addresses=[{"line1": "1 High St", "postcode": "BA1 1AA"}])
    make_contact("", "Lee", emails=["ann.lee@example.org"])
    prepared = outcomes(do_import, studio)
    monkeypatch.setattr(engine.Writer, "prepare", lambda self, records, probes=None: None)
    alone = outcomes(do_import, studio)
    assert prepared == alone
    assert [row[1] for row in prepared].count("merge") >= 5


def test_a_merge_that_adds_nothing_is_told_without_reading_the_contact_again(
    do_import, studio, make_contact, monkeypatch
):
    """engine.adds_nothing: the same outcome, reason and undo record as merge_into's, also
    for a row whose address the contact has (stored with the country the file leaves out)."""
    make_contact("Ann", "Lee", emails=["ann@example.com"], tags=["VIP"])
    home = {"line1": "1 High St", "city": "Bath", "postcode": "BA1 1AA", "country": "GB"}
    make_contact("Bob", "Stone", addresses=[home], tags=["Wedding"])
    make_contact("", "Lee", emails=["ann.lee@example.org"])
    merged = []
    merge_into = engine.merge_into
    monkeypatch.setattr(
        engine, "merge_into", lambda c, incoming: merged.append(incoming) or merge_into(c, incoming)
    )
    quick = outcomes(do_import, studio)
    assert not any(row["first_name"] == "Robert" for row in merged)  # told without it
    monkeypatch.setattr(engine, "adds_nothing", lambda *args: False)
    slow = outcomes(do_import, studio)
    assert quick == slow
    assert any(row[4].get("tag_ids") for row in quick)
    robert = next(row for row in quick if row[0] == 7)  # Robert Stone
    assert robert[1] == "merge" and "same address" in robert[2]
