"""match_found(decisive=True), the import's way (transfers.engine), gives the outcome, the
why, the best candidate and the duplicates of the full ranking, for any order; its
candidates are the full ranking's within CERTAIN_MARGIN of the best; and weigh's margin
leaves out only contacts that could not have come that close."""

from __future__ import annotations

from types import SimpleNamespace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contacts import keys, matching_evidence, matching_lookup
from contacts.matching import CERTAIN_MARGIN, POSSIBLE_MIN, MatchInput, match_found
from contacts.matching_lookup import Found, Hits
from contacts.tests.test_matching_batch import crowd, orders, summary  # noqa: F401 (fixture)

SETTINGS = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _close(result, limit: int) -> list:
    """The full ranking's candidates within CERTAIN_MARGIN of its best."""
    _outcome, _why, candidates, _duplicates = summary(result)
    if not candidates:
        return []
    top = candidates[0][5]
    return [c for c in candidates if c[5] > top - CERTAIN_MARGIN][:limit]


@SETTINGS
@given(order=orders, limit=st.sampled_from([1, 3, 10]))
def test_decisive_decides_as_the_full_ranking(crowd, order, limit):  # noqa: F811
    probe = matching_lookup.make_probe(order, crowd)
    if probe.is_empty:
        return
    hits = matching_lookup.collect(crowd, probe)
    full = match_found(probe, hits, limit)
    decisive = match_found(probe, hits, limit, decisive=True)
    outcome, why, candidates, duplicates = summary(decisive)
    assert outcome == full.outcome
    assert why == full.why
    assert duplicates == [c.pk for c in full.duplicates]
    assert candidates[:1] == summary(full)[2][:1]
    assert candidates == _close(full, limit)


@SETTINGS
@given(order=orders)
def test_the_margin_leaves_out_only_contacts_that_cannot_come_close(crowd, order):  # noqa: F811
    probe = matching_lookup.make_probe(order, crowd)
    hits = matching_lookup.collect(crowd, probe)
    full = matching_evidence.weigh(probe, hits, floor=POSSIBLE_MIN)
    pruned = matching_evidence.weigh(probe, hits, floor=POSSIBLE_MIN, margin=CERTAIN_MARGIN)
    kept = {found.pk: odds for odds, found, _ev in pruned}
    best = max((odds for odds, _found, _ev in full), default=None)
    for odds, found, _evidence in full:
        if found.pk in kept:
            assert kept[found.pk] == odds  # weighed alike
        else:
            assert odds <= best - CERTAIN_MARGIN or odds < POSSIBLE_MIN


def test_an_email_match_leaves_the_namesakes_unweighed(crowd):  # noqa: F811
    """The point of the margin: with Jane Smith's email, her namesakes (four other Jane
    Smiths, a Janet, a Jane Smyth) cannot come within the margin and are not weighed."""
    order = MatchInput(first_name="Jane", last_name="Smith", email="jane@example.com")
    probe = matching_lookup.make_probe(order, crowd)
    hits = matching_lookup.collect(crowd, probe)
    full = matching_evidence.weigh(probe, hits, floor=POSSIBLE_MIN)
    pruned = matching_evidence.weigh(probe, hits, floor=POSSIBLE_MIN, margin=CERTAIN_MARGIN)
    assert len(full) > 3
    assert [found.pk for _odds, found, _ev in pruned] == [max(full, key=lambda item: item[0])[1].pk]
    result = match_found(probe, hits, 3, decisive=True)
    assert result.outcome == match_found(probe, hits, 3).outcome == "match"
    assert len(result.candidates) == 1


def _bob_probe(street: str, town: str):
    """Bob Smith's order: email, phone and postcode a candidate may share; the street
    and town vary so a home may or may not be his."""
    order = MatchInput(
        first_name="Bob",
        last_name="Smith",
        email="bob@example.com",
        phone="+44 20 7946 0000",
        postcode="BA1 1AA",
        address_line1=street,
        town=town,
    )
    return matching_lookup.make_probe(order, SimpleNamespace(country="GB"))


def _rounding_case():
    """A rival exactly CERTAIN_MARGIN behind the best in exact arithmetic, whose bound
    (its terms added in another order) comes out a rounding error below its log odds
    (found by review): the full ranking counts it as a rival, so the row is not certain."""
    probe = _bob_probe(street="1 High Street", town="Bath")
    people = {1: ("Robert", "Smith"), 2: ("Bob", "")}
    people |= {pk: ("Zed", "Quux") for pk in range(3, 8)}
    home = [("1 High Street", probe.postcode, probe.town)]
    hits = Hits(
        contacts={pk: Found(pk, f, s, keys.name_key(f, s)) for pk, (f, s) in people.items()},
        rows={pk: (pk, f, s, "") for pk, (f, s) in people.items()},
        email=set(people),
        with_email=set(people),
        phone={1, 2},
        with_phone={1, 2},
        postcode=set(people),
        gallery={1: ("client", True), 2: ("client", True)},
        addresses={1: home, 2: home},
        fields=("id", "first_name", "last_name", "company"),
    )
    return probe, hits


def test_a_rival_a_rounding_error_from_the_margin_still_counts():
    probe, hits = _rounding_case()
    full = match_found(probe, hits, 3)
    decisive = match_found(probe, hits, 3, decisive=True)
    assert full.outcome == "possible" and len(full.duplicates) == 2
    assert (decisive.outcome, decisive.why) == (full.outcome, full.why)
    assert [c.pk for c in decisive.duplicates] == [c.pk for c in full.duplicates]


NAMES = [("Bob", "Smith"), ("Robert", "Smith"), ("Bob", ""), ("Rob", "Smyth"), ("B", "Smith")]
NAMES += [("Zed", "Quux"), ("Bobby", "Smith"), ("Bob", "Smithe"), ("Smith", "Bob")]
HOMES = [
    ("1 High Street", "BA1 1AA", "bath"),
    ("1 High St", "BA1 1AB", "bath"),
    ("2 High Street", "BA1 1AA", "bath"),
    ("9 Low Road", "LS1 4AP", "leeds"),
]


@st.composite
def crowds(draw):
    """Any candidates with any mix of shared email, phone, postcode, homes and gallery:
    the weights' every combination (and their rounding), not only a studio's."""
    size = draw(st.integers(1, 9))
    pks = list(range(1, size + 1))
    people = {pk: draw(st.sampled_from(NAMES)) for pk in pks}
    subset = st.sets(st.sampled_from(pks))
    homes = {pk: draw(st.lists(st.sampled_from(HOMES), max_size=2)) for pk in pks}
    roles = st.sampled_from([("client", True), ("client", False), ("guest", False)])
    email, phone = draw(subset), draw(subset)
    return Hits(
        contacts={pk: Found(pk, f, s, keys.name_key(f, s)) for pk, (f, s) in people.items()},
        rows={pk: (pk, f, s, "") for pk, (f, s) in people.items()},
        email=email,
        with_email=email | draw(subset),
        phone=phone,
        with_phone=phone | draw(subset),
        postcode=draw(subset),
        gallery={pk: draw(roles) for pk in draw(subset)},
        addresses={pk: h for pk, h in homes.items() if h},
        fields=("id", "first_name", "last_name", "company"),
    )


@settings(max_examples=400, deadline=None)
@given(
    hits=crowds(), town=st.sampled_from(["Bath", ""]), street=st.sampled_from(["1 High Street", ""])
)
def test_decisive_decides_as_the_full_ranking_for_any_weights(hits, town, street):
    probe = _bob_probe(street=street, town=town)
    for limit in (1, 3):
        full = match_found(probe, hits, limit)
        decisive = match_found(probe, hits, limit, decisive=True)
        assert (decisive.outcome, decisive.why) == (full.outcome, full.why)
        assert summary(decisive)[2][:1] == summary(full)[2][:1]
        assert [c.pk for c in decisive.duplicates] == [c.pk for c in full.duplicates]
