"""find_matches_many gives, for any orders, exactly what find_matches gives for each one
(contacts.matching_batch gathers the look-ups; the answers must not change): over
random orders against a studio with namesakes, a shared phone, several addresses, with
the caps lowered so that some look-ups reach them; and the batch's look-ups, kept current
through the writes an import makes between its rows, equal looking up again."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contacts import (
    keys,
    matching_batch,
    matching_evidence,
    matching_lookup,
    matching_rows,
    services,
)
from contacts.matching import (
    POSSIBLE_MIN,
    MatchInput,
    MatchResult,
    find_matches,
    find_matches_many,
)
from contacts.matching_lookup import Hits
from contacts.models import Contact, ContactAddress

FIRST = ["Jane", "Janet", "Bob", "Robert", "J", "", "Smith"]
LAST = ["Smith", "Smyth", "Li", "Kowalski", "Kowalska", "", "Jane"]
EMAILS = ["jane@example.com", "JANE@example.com", "bob1@example.com", "nobody@example.com", ""]
PHONES = ["07700 900111", "+44 7700 900222", "07700 900999", "not a phone", ""]
PLACES = [
    ("1 High St", "Bath", "BA1 1AA"),
    ("1 High Street", "Bath", "BA1 1AB"),
    ("2 High St", "Leeds", "LS1 4AP"),
    ("9 Low Rd", "", "YO1 7HH"),
    ("", "Leeds", ""),
    ("", "", ""),
]


def _people():
    """Namesakes (more Smiths than the lowered cap), a shared phone, two addresses."""
    people = [
        ("Jane", "Smith", ["jane@example.com"], ["07700 900111"], [PLACES[0]]),
        ("Janet", "Smith", [], ["07700 900111"], [PLACES[0], PLACES[2]]),
        ("Jane", "Smyth", ["js@example.org"], [], [PLACES[3]]),
        ("Robert", "Kowalski", ["bob1@example.com"], ["+44 7700 900222"], []),
        ("Bob", "Kowalska", [], [], [PLACES[1]]),
        ("Li", "Jane", [], [], []),
        ("", "Smith", [], ["07700 900999"], [PLACES[2]]),
    ]
    people += [("Jane", "Smith", [f"jane{n}@example.net"], [], []) for n in range(4)]
    return people


@pytest.fixture
def crowd(studio, monkeypatch):
    monkeypatch.setattr(matching_lookup, "_CAPS", {"name": 4, "surname": 5})
    monkeypatch.setattr(matching_lookup, "CANDIDATES_PER_KEY", 6)
    for first, last, emails, phones, places in _people():
        services.create_contact(
            studio=studio,
            first_name=first,
            last_name=last,
            emails=emails,
            phones=phones,
            addresses=[{"line1": a, "city": b, "postcode": c} for a, b, c in places if a or b],
        )
    return studio


orders = st.builds(
    MatchInput,
    first_name=st.sampled_from(FIRST),
    last_name=st.sampled_from(LAST),
    email=st.sampled_from(EMAILS),
    phone=st.sampled_from(PHONES),
    address_line1=st.sampled_from([p[0] for p in PLACES]),
    town=st.sampled_from([p[1] for p in PLACES]),
    postcode=st.sampled_from([p[2] for p in PLACES]),
    gallery_id=st.sampled_from(["", "", "", "g-1"]),
    gallery_provider=st.just("pictime"),
)


def summary(result: MatchResult) -> tuple:
    candidates = [
        (
            c.contact.pk,
            c.contact.display_name,
            c.score,
            c.reasons,
            c.certain,
            c.log_odds,
            c.basis,
            c.warning,
            c.conflicts,
        )
        for c in result.candidates
    ]
    return result.outcome, result.why, candidates, [c.pk for c in result.duplicates]


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(inputs=st.lists(orders, min_size=1, max_size=8), limit=st.sampled_from([1, 3, 10]))
def test_many_equals_one_by_one(crowd, inputs, limit):
    together = find_matches_many(studio=crowd, candidates=inputs, limit=limit)
    alone = [find_matches(studio=crowd, candidate=c, limit=limit) for c in inputs]
    assert [summary(r) for r in together] == [summary(r) for r in alone]


def test_statements_do_not_grow_with_the_orders(crowd):
    """Orders whose look-ups stay under the caps cost a fixed number of statements."""
    few = [MatchInput(first_name="Robert", last_name="Kowalski", email="bob1@example.com")]
    many = few + [MatchInput(email=f"someone{n}@example.com") for n in range(30)]
    counts = []
    for inputs in (few, many):
        with CaptureQueriesContext(connection) as queries:
            results = find_matches_many(studio=crowd, candidates=inputs, limit=3)
        counts.append(len(queries))
        assert results[0].outcome == "match"
        assert all(r.outcome == "none" for r in results[1:])
    assert counts[0] == counts[1]


def test_a_capped_look_up_is_answered_by_the_batch(crowd, monkeypatch):
    """Six Smiths with the first initial J, past the lowered cap: the batch keeps the same
    lowest ids the single query keeps, so it answers without the single query."""
    order = MatchInput(first_name="Jane", last_name="Smith")
    alone = []
    collect = matching_lookup.collect
    monkeypatch.setattr(matching_lookup, "collect", lambda *a: alone.append(a) or collect(*a))
    [result] = find_matches_many(studio=crowd, candidates=[order], limit=10)
    assert alone == []
    assert summary(result) == summary(find_matches(studio=crowd, candidate=order, limit=10))
    probe = matching_lookup.make_probe(order, crowd)
    assert "surname" in matching_lookup.collect(crowd, probe).capped


def hits_summary(hits: Hits) -> tuple:
    # rows and addresses may hold more than the candidates (a group's, shared): theirs.
    contacts = [hits.contact(pk) for pk in sorted(hits.contacts)]
    addresses = {pk: hits.addresses[pk] for pk in hits.contacts if pk in hits.addresses}
    return (
        [tuple(getattr(c, name) for name in matching_rows.FIELDS) for c in contacts],
        sorted(hits.contacts.items()),
        sorted(hits.email),
        sorted(hits.phone),
        sorted(hits.postcode),
        sorted(hits.with_email),
        sorted(hits.with_phone),
        sorted(addresses.items()),
        sorted(hits.capped),
    )


class Rollback(Exception):
    pass


# What an import writes between its rows: a new contact (from an order), a merge's new
# email / phone / address, a blank first name filled in.
writes = st.lists(
    st.one_of(
        st.tuples(st.just("new"), orders),
        st.tuples(st.just("email"), st.integers(0, 10), st.sampled_from(EMAILS[:4])),
        st.tuples(st.just("phone"), st.integers(0, 10), st.sampled_from(PHONES[:3])),
        st.tuples(st.just("address"), st.integers(0, 10), st.sampled_from(PLACES[:4])),
        st.tuples(st.just("name"), st.integers(0, 10), st.sampled_from(FIRST[:4])),
    ),
    max_size=6,
)


def home_of(address: ContactAddress) -> matching_rows.Home:
    return matching_rows.Home(
        address.line1, address.line2, address.city, address.region, address.country,
        address.postcode_key,
    )  # fmt: skip


def _write(studio, contacts: list, write: tuple) -> int:
    """Do one write as the import does; the id of the contact written."""
    kind, *args = write
    if kind == "new":
        (order,) = args
        address = [{"line1": order.address_line1, "city": order.town, "postcode": order.postcode}]
        [contact] = services.create_contacts(
            studio=studio,
            people=[
                {
                    "first_name": order.first_name,
                    "last_name": order.last_name or "Smith",
                    "emails": [order.email] if order.email else [],
                    "phones": [order.phone] if order.phone and "not" not in order.phone else [],
                    "addresses": address if order.address_line1 or order.town else [],
                }
            ],
        )
        return contact.pk
    index, value = args
    contact = contacts[index % len(contacts)]
    if kind == "email":
        services.add_email(contact=contact, email=value)
    elif kind == "phone":
        services.add_phone(contact=contact, number=value)
    elif kind == "address":
        line1, city, postcode = value
        services.add_address(
            contact=contact, address={"line1": line1, "city": city, "postcode": postcode}
        )
    elif not contact.first_name:
        services.update_contact(contact=contact, first_name=value)
    return contact.pk


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(inputs=st.lists(orders, min_size=1, max_size=8), done=writes, in_memory=st.booleans())
def test_look_ups_kept_current_equal_looking_up_again(crowd, inputs, done, in_memory):
    """Lookups.refresh after the writes an import makes (or, for a phone added,
    Lookups.phones_added, which reads nothing): each order's Hits still equal a fresh
    single look-up's (or are None, and the caller looks up alone)."""
    probes = [matching_lookup.make_probe(order, crowd) for order in inputs]
    try:
        with transaction.atomic():
            lookups = matching_batch.Lookups(crowd, probes)
            contacts = list(Contact.objects.filter(studio=crowd).order_by("pk"))
            for write in done:
                try:
                    with transaction.atomic():
                        written = _write(crowd, contacts, write)
                except ValidationError:
                    continue  # refused (e.g. the email is another contact's): nothing written
                if in_memory and write[0] == "phone":
                    lookups.phones_added(written, [keys.phone_to_e164(write[2], crowd.country)])
                else:
                    lookups.refresh([written])
            for probe in probes:
                hits = lookups.hits(probe)
                if hits is None:
                    assert probe.has_gallery or lookups.unknown
                    continue
                assert hits_summary(hits) == hits_summary(matching_lookup.collect(crowd, probe))
                found_by = lookups.found_by(probe)
                assert (found_by.email, found_by.phone) == (hits.email, hits.phone)
            # The addresses kept of every contact read, as the database has them now.
            for pk, homes in lookups.contacts.homes.items():
                stored = ContactAddress.objects.filter(contact_id=pk)
                assert sorted(homes) == sorted(home_of(a) for a in stored), pk
            raise Rollback
    except Rollback:
        pass


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(order=orders)
def test_candidates_left_unweighed_could_not_have_been_shown(crowd, order):
    """matching_evidence.weigh with a floor skips a candidate only when its bound is below
    the floor: its log odds, weighed in full, are below it too (and never more than the
    bound)."""
    probe = matching_lookup.make_probe(order, crowd)
    hits = matching_lookup.collect(crowd, probe)
    full = matching_evidence.weigh(probe, hits)
    room = matching_evidence._place_room(probe, hits)
    for log_odds, found, _evidence in full:
        assert log_odds <= matching_evidence._bound(probe, hits, found, {})
        # The shortcut (places not compared when even their most leaves it below the floor)
        assert log_odds <= matching_evidence._bound(probe, hits, found, {}, POSSIBLE_MIN, room)
    kept = {found.pk: log_odds for log_odds, found, _ev in full if log_odds >= POSSIBLE_MIN}
    floored = matching_evidence.weigh(probe, hits, floor=POSSIBLE_MIN)
    assert {found.pk: odds for odds, found, _ev in floored if odds >= POSSIBLE_MIN} == kept


def test_a_phone_added_without_reading_is_seen_as_after_reading(studio):
    """Lookups.phones_added: the contact now has a phone (a namesake's order with another
    number finds it phone-holding: "different phone") and is found by its new number."""
    ann = services.create_contact(studio=studio, first_name="Ann", last_name="Lee")
    services.create_contact(studio=studio, first_name="Bo", last_name="Lee", phones=["07700900002"])
    orders = [
        MatchInput(first_name="Ann", last_name="Lee", phone="07700 900001"),
        MatchInput(first_name="Cy", last_name="Lee", phone="07700 900001"),
    ]
    probes = [matching_lookup.make_probe(order, studio) for order in orders]
    lookups = matching_batch.Lookups(studio, probes)
    services.add_phone(contact=ann, number="07700 900001")
    lookups.phones_added(ann.pk, [keys.phone_to_e164("07700 900001", studio.country)])
    for probe in probes:
        hits = lookups.hits(probe)
        assert ann.pk in hits.with_phone and ann.pk in hits.phone
        assert hits_summary(hits) == hits_summary(matching_lookup.collect(studio, probe))
