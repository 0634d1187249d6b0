"""Candidate generation: indexed look-ups only, a fixed number of queries, each one capped;
and reading the client out of a normalized gallery order."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts import matching_lookup, services
from contacts.matching import MatchInput, find_matches
from contacts.models import Contact

KEY_COLUMN = re.compile(
    r"\b(email_normalized|e164|name_key|surname_key|postcode_key|street_key|gallery_id|"
    r"gallery_url)"
    r"\s*(=|IN)"
)

FULL = MatchInput(
    first_name="Bob",
    last_name="Smith",
    email="bob@example.com",
    phone="07700 900123",
    postcode="BA1 1AA",
    address_line1="1 High St",
    gallery_provider="pictime",
    gallery_id="g-42",
)


@pytest.fixture
def crowd(studio):
    for n in range(6):
        services.create_contact(
            studio=studio,
            first_name="Robert",
            last_name="Smith",
            emails=[f"bob{n}@example.com"],
            phones=["07700 900123"],
            addresses=[{"line1": f"{n} High St", "postcode": "BA1 1AA"}],
        )


def test_a_full_probe_is_one_query_of_capped_lookups_on_indexed_keys(studio, crowd):
    with CaptureQueriesContext(connection) as queries:
        result = find_matches(studio=studio, candidate=FULL)
    assert result.candidates
    assert len(queries) == 1
    lookups = queries[0]["sql"].split(" UNION ALL ")
    assert len(lookups) == 7  # name, surname, email, phone, postcode, street, gallery
    for lookup in lookups:
        # Every look-up filters on a key column and stops at the cap: none reads the
        # contacts table as a whole. The cap keeps the lowest contact ids, so that it is
        # deterministic (contacts.matching_batch reproduces it for a whole import group).
        assert KEY_COLUMN.search(lookup), lookup
        caps = (
            matching_lookup.CANDIDATES_PER_KEY,
            matching_lookup.CANDIDATES_PER_NAME,
            matching_lookup.CANDIDATES_PER_SURNAME,
        )
        assert any(f"LIMIT {cap})" in lookup for cap in caps)
        assert re.search(r"ORDER BY (l\.)?(contact_)?id\b", lookup), lookup


def test_gallery_url_is_looked_up_only_when_the_gallery_id_finds_no_shoot(studio, crowd):
    probe = MatchInput(
        first_name="Bob",
        gallery_provider="pictime",
        gallery_id="g-unknown",
        gallery_url="https://x.pic-time.com/g42",
    )
    with CaptureQueriesContext(connection) as queries:
        find_matches(studio=studio, candidate=probe)
    assert len(queries) == 2
    assert "gallery_url IN" in queries[1]["sql"]


def test_each_key_is_capped(studio, crowd, monkeypatch):
    monkeypatch.setattr(matching_lookup, "CANDIDATES_PER_KEY", 3)
    monkeypatch.setattr(matching_lookup, "_CAPS", {"name": 3, "surname": 2})
    probe = matching_lookup.make_probe(FULL, studio)
    hits = matching_lookup.collect(studio, probe)
    assert {"name", "phone", "postcode"} <= set(hits.capped)
    assert len(hits.contacts) <= 3 * 6


def test_a_capped_look_up_keeps_the_lowest_contact_ids(studio, crowd, monkeypatch):
    """Six Robert Smiths share the phone: a cap of 3 keeps the three oldest, every time."""
    monkeypatch.setattr(matching_lookup, "CANDIDATES_PER_KEY", 3)
    probe = matching_lookup.make_probe(MatchInput(phone="07700 900123"), studio)
    oldest = sorted(c.pk for c in Contact.objects.filter(studio=studio))[:3]
    assert sorted(matching_lookup.collect(studio, probe).contacts) == oldest


def test_the_probe_normalizes_like_the_stored_keys(studio):
    probe = matching_lookup.make_probe(
        MatchInput(
            first_name="Bob", last_name="Smith", email=" BOB@Example.COM", phone="07700 900123"
        ),
        studio,
    )
    assert probe.email == "bob@example.com"
    assert probe.e164 == "+447700900123"
    assert {"bob smith", "robert smith", "smith bob"} <= probe.name_keys
    # Nicknames widen the exact name look-up; the surname look-up keeps the initial given.
    assert probe.surname_keys == {"SM0|b", "BB|s"}


def test_a_mistyped_postcode_still_finds_the_home_by_its_street(studio):
    jane = services.create_contact(
        studio=studio,
        first_name="Jane",
        last_name="Smith",
        addresses=[{"line1": "200 Steinwedel Street", "postcode": "4012"}],
    )
    assert jane.addresses.get().street_key == "200 ste"
    result = find_matches(
        studio=studio,
        candidate=MatchInput(
            first_name="Jane", last_name="Jones", postcode="4021", address_line1="200 Steinwedel St"
        ),
    )
    assert result.best.contact == jane
    assert "same address" in result.best.reasons


def test_without_first_name_every_initial_is_looked_up(studio):
    probe = matching_lookup.make_probe(MatchInput(last_name="Smith"), studio)
    assert {"SM0|", "SM0|a", "SM0|z"} <= probe.surname_keys


def test_unreadable_email_and_phone_are_left_out(studio):
    probe = matching_lookup.make_probe(MatchInput(email="not an email", phone="call me"), studio)
    assert (probe.email, probe.e164) == ("", "")
    assert probe.is_empty
