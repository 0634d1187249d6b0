"""find_matches_many gives, for any orders, exactly what find_matches gives for each one
(contacts.matching_batch gathers the look-ups; the answers must not change): over
random orders against a studio with namesakes, a shared phone, several addresses, with
the caps lowered so that some look-ups reach them (those orders are looked up alone)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contacts import matching_lookup, services
from contacts.matching import MatchInput, MatchResult, find_matches, find_matches_many

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


def test_a_capped_look_up_is_asked_alone(crowd):
    """Six Smiths with the first initial J: past the lowered cap, the batch cannot tell
    which of them the single query would have seen, so it asks the single query."""
    order = MatchInput(first_name="Jane", last_name="Smith")
    with CaptureQueriesContext(connection) as queries:
        [result] = find_matches_many(studio=crowd, candidates=[order], limit=10)
    assert any("LIMIT" in q["sql"] for q in queries.captured_queries)
    assert summary(result) == summary(find_matches(studio=crowd, candidate=order, limit=10))
