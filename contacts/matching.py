"""Contact matching: which of the studio's contacts is the customer of this order, and why.

Candidates come only from indexed look-ups, never from a scan of the table
(contacts.matching_lookup): the normalized email (ContactEmail.email_normalized), the
E.164 phone (ContactPhone.e164, read with the studio's country as the default region),
the name keys (Contact.name_key for the name as given, its nicknames and its swapped
form; Contact.surname_key, the surname's sound + first initial, for typos), the
postcode (ContactAddress.postcode_key), the home (ContactAddress.street_key: house
number + start of the street, for mistyped postcodes and changed names) and the gallery
(the people of the shoot that records the order's gallery, by provider + gallery id, or
by gallery URL). Each look-up is capped (CANDIDATES_PER_KEY; fewer for names shared by
hundreds), and all of them go to the database as one query.

Each candidate is scored in Python (contacts.matching_evidence) as log2 odds, a
Fellegi-Sunter style sum of agreement weights with term-frequency discounts (agreeing on
a name 40 contacts share, or a phone 3 relatives share, is worth less), shown as a 0..1
score with human reasons ("same email", "same phone", "same surname", "Bob is a nickname
of Robert", "name 0.94 similar", "same postcode", "same address", "client of the shoot
whose gallery this is", and what disagrees: "different first name (John)", "different
email", "different postcode and town").

Three outcomes: "match" (certain: link without asking), "possible" (ranked candidates,
the user picks) and "none". The score ranks; certainty comes from the rules below, so
that no weight, however large, links a person by evidence a relative could share.

A candidate is a CERTAIN match only when all of these hold (docs/matching.md has the
rule with examples; contacts/tests/test_matching_rule.py tests each clause):

1. It has a basis for certainty:
   - email: same normalized email, and the first name agrees (the surname may differ:
     married names), or the order gives no first name (or only an initial) and the
     surname agrees or is missing;
   - phone: same phone, no other contact has it, AND first name and surname both agree
     (a phone two contacts share is a household's, and families share phones);
   - gallery: on the shoot whose gallery this is AND the first name and surname agree
     (or one of them is missing while the other agrees). The gallery alone never picks
     between the two clients of a couple, nor tells a client from a guest ordering from
     it;
   - address: first name and surname agree (or the order has no surname) and the FULL
     address agrees: the same postcode and the same street line (or a similar one when
     the surname agrees too). A street line without the postcode, or with another, is
     no basis: 1 High Street exists in every town.
   Name similarity alone (the many John Smiths), with or without a postcode, is never a
   basis; neither is a phone, a gallery or an address alone.
2. Nothing distinctive disagrees: a different email, a different phone (the contact has
   one, not the order's), a different place (neither postcode nor town agrees, and the
   towns differ or the postcodes differ by more than one slip), a first name that
   differs (not a nickname, typo or initial), or a different suffix (Jr / Sr). The
   disagreements also count against the candidate in the score, and are listed in
   `Candidate.conflicts`.
3. It clearly beats the runner-up: at least CERTAIN_MARGIN log2 units (16×) ahead of
   the next candidate. Two contacts that fit about equally (duplicates of one person)
   are never certain; they are reported in `MatchResult.duplicates` so the import window
   can offer to merge them.

Names "agree" when the first names are exact, nicknames of one another (contacts.
nicknames) or one typo apart away from the ending (Daniel/Danielle, Paul/Paula do not
agree: relatives), and the surnames are exact, one typo apart, one part of a
double-barrelled name, or sound alike with the same ending (Smith/Smyth; Kowalski/
Kowalska only when the first name is the same). See contacts.similarity.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from accounts.models import Studio
from contacts import matching_batch, matching_evidence, matching_lookup, matching_words
from contacts.matching_evidence import Evidence
from contacts.matching_lookup import Found, Hits, Probe
from contacts.models import Contact

MATCH, POSSIBLE, NONE = "match", "possible", "none"
CANDIDATES_PER_KEY = matching_lookup.CANDIDATES_PER_KEY

POSSIBLE_MIN = -8.0  # below this (score ≈ 0.06) a candidate is not worth showing
CERTAIN_MARGIN = 4.0


@dataclass(frozen=True)
class MatchInput:
    """What an order (or any other source) says about the client (an Inbox order:
    inbox.import_window.match_input)."""

    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""
    postcode: str = ""
    address_line1: str = ""
    town: str = ""
    gallery_provider: str = ""
    gallery_id: str = ""
    gallery_url: str = ""


@dataclass
class Candidate:
    contact: Contact
    score: float  # 0..1
    reasons: list[str]
    certain: bool = False
    log_odds: float = 0.0
    basis: str | None = None  # which certainty rule it meets (email/phone/gallery/address)
    warning: str = ""  # why it cannot be certain, when something says so
    # The distinctive details that disagree, in words ("different email", "different
    # phone", "different postcode and town", "different town", "different postcode");
    # any one of them blocks certainty. Also listed among the reasons.
    conflicts: list[str] = field(default_factory=list)


@dataclass
class MatchResult:
    outcome: str  # MATCH, POSSIBLE or NONE
    candidates: list[Candidate] = field(default_factory=list)
    why: str = ""
    duplicates: list[Contact] = field(default_factory=list)

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


def find_matches(*, studio: Studio, candidate: MatchInput, limit: int = 10) -> MatchResult:
    """The studio's contacts that could be this client, best first, and the outcome."""
    probe = matching_lookup.make_probe(candidate, studio)
    if probe.is_empty:
        return MatchResult(NONE, why="The order says nothing to match on.")
    return match_found(probe, matching_lookup.collect(studio, probe), limit)


def find_matches_many(
    *, studio: Studio, candidates: Sequence[MatchInput], limit: int = 10
) -> list[MatchResult]:
    """find_matches for each candidate, with the look-ups of all of them gathered into a
    few statements (contacts.matching_batch); the same answers, in the same order."""
    probes = [matching_lookup.make_probe(c, studio) for c in candidates]
    found = matching_batch.collect_many(studio, probes)
    return [
        match_probe(studio, probe, hits, limit) for probe, hits in zip(probes, found, strict=True)
    ]


def match_probe(
    studio: Studio,
    probe: Probe,
    hits: Hits | None,
    limit: int = 10,
    *,
    decisive: bool = False,
) -> MatchResult:
    """find_matches for a probe made already, with its Hits when a batch look-up found
    them (None: looked up now); `decisive`: see match_found."""
    if probe.is_empty:
        return MatchResult(NONE, why="The order says nothing to match on.")
    if hits is None:
        hits = matching_lookup.collect(studio, probe)
    return match_found(probe, hits, limit, decisive=decisive)


def match_found(
    probe: Probe, hits: Hits, limit: int = 10, *, decisive: bool = False
) -> MatchResult:
    """The outcome, given what the look-ups found.

    `decisive` (an import, which reads only the outcome, the why and the best candidate):
    the candidates are only the best and those within CERTAIN_MARGIN of it, the ones
    that decide the outcome and the why (the runner-up, the rivals); a candidate that
    cannot come that close is not weighed in full (matching_evidence.weigh's margin).
    The outcome, the why and the best are those of the full ranking (property-tested in
    contacts/tests/test_matching_decisive.py)."""
    if not hits.contacts:
        # Nobody shares a key: certainly nobody (no scoring needed).
        return _decide([], limit)
    margin = CERTAIN_MARGIN if decisive else None
    weighed = [
        item
        for item in matching_evidence.weigh(probe, hits, floor=POSSIBLE_MIN, margin=margin)
        if item[0] >= POSSIBLE_MIN
    ]
    weighed.sort(key=lambda item: (-item[0], item[1].pk))
    if decisive and weighed:
        # Weighed before the best was met, further than the margin: they decide nothing.
        top = weighed[0][0]
        weighed = [item for item in weighed if top - item[0] < CERTAIN_MARGIN]  # as _decide
    # Reasons are worded only for the candidates shown (and the runner-up).
    ranked = [
        _candidate(probe, hits, found, evidence, log_odds)
        for log_odds, found, evidence in weighed[: max(limit, 2)]
    ]
    return _decide(ranked, limit)


def _candidate(probe: Probe, hits: Hits, found: Found, ev: Evidence, log_odds: float) -> Candidate:
    return Candidate(
        contact=hits.contact(found.pk),
        score=round(1.0 / (1.0 + 2.0 ** (-log_odds)), 4),
        reasons=matching_words.reasons(ev, probe, found),
        log_odds=log_odds,
        basis=matching_evidence.basis(ev),
        warning=matching_words.warning(ev),
        conflicts=matching_evidence.conflicts(ev),
    )


def _decide(ranked: list[Candidate], limit: int) -> MatchResult:
    if not ranked:
        return MatchResult(NONE, why="No contact shares this client's email, phone or name.")
    best = ranked[0]
    runner_up = ranked[1] if len(ranked) > 1 else None
    margin = best.log_odds - runner_up.log_odds if runner_up else float("inf")
    if best.basis and margin >= CERTAIN_MARGIN:
        best.certain = True
        why = f"Certain: {', '.join(best.reasons)}; no other contact comes close."
        return MatchResult(MATCH, ranked[:limit], why=why)
    rivals = [c for c in ranked if c.basis and best.log_odds - c.log_odds < CERTAIN_MARGIN]
    duplicates = [c.contact for c in rivals] if len(rivals) > 1 else []
    return MatchResult(
        POSSIBLE, ranked[:limit], why=_doubt(best, duplicates), duplicates=duplicates
    )


def _doubt(best: Candidate, duplicates: list[Contact]) -> str:
    if duplicates:
        names = ", ".join(c.display_name for c in duplicates)
        return (
            f"Not certain: {len(duplicates)} contacts fit this client about equally ({names}); "
            "they may be duplicates of one person."
        )
    if best.basis:
        return "Not certain: another contact comes close."
    if best.warning:
        return f"Not certain: {best.warning}"
    return "Not certain: only the name (and perhaps the postcode) agrees."


__all__ = [
    "MATCH",
    "NONE",
    "POSSIBLE",
    "Candidate",
    "MatchInput",
    "MatchResult",
    "find_matches",
    "find_matches_many",
]
