"""How an order's name compares with one stored name (contacts.matching_evidence).

A row's candidates share names (the J. Smiths of a common surname key), so scoring
keeps one Table per order: stored (first, last) → the comparison and the name's part of
the log odds, made once per distinct stored name. (Keeping the tables across the orders
of an import, one per order name, was measured and did not pay: in the benchmark's file
3,700 of 5,000 rows' names are distinct, the pairs met are mostly new, and the tables
kept alive made Python's collector slower than the comparisons they saved.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from contacts import similarity
from contacts.similarity import STRONG_FIRST, STRONG_LAST

if TYPE_CHECKING:
    from contacts.matching_lookup import Probe


class NameFit(NamedTuple):
    """How the order's name compares with one stored name."""

    theirs: similarity.Name
    first: str
    last: str
    swapped: bool
    suffix_conflict: bool


# One order's table: stored (first, last) → (its NameFit, the name's part of the log
# odds: the prior plus the first-name, surname and swap weights).
Table = dict[tuple[str, str], tuple[NameFit, float]]


def compare_names(probe: Probe, first_name: str, last_name: str) -> NameFit:
    """The comparison (what a table holds for the stored name). It runs once per stored
    name per order, the most frequent call of an import's scoring, so it calls
    similarity's cached comparisons of the words directly and tests the suffixes here
    (as similarity.compare_first, compare_last and suffix_conflict do)."""
    theirs = similarity.parse_name(first_name, last_name)
    ours = probe.name
    first = similarity.compare_first_words(ours.first_words, theirs.first_words)
    last = similarity.compare_last_words(ours.last_words, theirs.last_words)
    swapped = False
    if first not in STRONG_FIRST and _may_be_swapped(probe, theirs):
        swapped_first = similarity.compare_first(probe.swapped_name, theirs)
        swapped_last = similarity.compare_last(probe.swapped_name, theirs)
        if swapped_first in STRONG_FIRST and swapped_last in STRONG_LAST:
            first, last, swapped = swapped_first, swapped_last, True
    conflict = bool(ours.suffixes or theirs.suffixes) and ours.suffixes != theirs.suffixes
    return NameFit(theirs, first, last, swapped, conflict)


def _may_be_swapped(probe: Probe, theirs: similarity.Name) -> bool:
    """Cheap test before comparing the names crosswise: their first name starts like the
    order's surname."""
    swapped = probe.swapped_name
    return bool(swapped and swapped.first and theirs.first) and swapped.first[0] == theirs.first[0]
