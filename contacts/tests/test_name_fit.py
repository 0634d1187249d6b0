"""The per-order table of name comparisons (contacts.name_fit, filled by
matching_evidence._fit) holds what comparing gives: each entry equals compare_names and
its weight the sum of the name's weights; and a candidate weighed through a table
filled by the other candidates equals one weighed with an empty table."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from contacts import matching_evidence, matching_lookup, name_fit, similarity
from contacts.matching import POSSIBLE_MIN
from contacts.matching_evidence import FIRST, LAST, PRIOR, SWAPPED
from contacts.tests.test_matching_batch import crowd, orders  # noqa: F401 (fixture)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(order=orders)
def test_the_table_holds_what_comparing_gives(crowd, order):  # noqa: F811
    probe = matching_lookup.make_probe(order, crowd)
    hits = matching_lookup.collect(crowd, probe)
    table: name_fit.Table = {}
    for contact in hits.contacts.values():  # fill it
        matching_evidence._fit(probe, table, contact)
    assert len(table) == len({(c.first_name, c.last_name) for c in hits.contacts.values()})
    for (first, last), (fit, total) in table.items():
        assert fit == name_fit.compare_names(probe, first, last)
        assert fit.theirs == similarity.parse_name(first, last)
        assert fit.suffix_conflict == similarity.suffix_conflict(probe.name, fit.theirs)
        if not fit.swapped:
            assert fit.first == similarity.compare_first(probe.name, fit.theirs)
            assert fit.last == similarity.compare_last(probe.name, fit.theirs)
        weight = FIRST[fit.first] + LAST[fit.last] + (SWAPPED if fit.swapped else 0.0)
        assert total == PRIOR + weight
    same_name = sum(1 for c in hits.contacts.values() if c.name_key == probe.exact_name_key)
    alone = {
        c.pk: matching_evidence.evidence(probe, hits, c, same_name, {})
        for c in hits.contacts.values()
    }
    shared = {
        c.pk: matching_evidence.evidence(probe, hits, c, same_name, table)
        for c in hits.contacts.values()
    }
    assert shared == alone
    for floor in (None, POSSIBLE_MIN):
        for odds, found, evidence in matching_evidence.weigh(probe, hits, floor):
            assert evidence == alone[found.pk]
            assert odds == matching_evidence.log_odds(alone[found.pk])
