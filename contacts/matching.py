"""Contact matching: which of the studio's contacts is the customer of this order, and why.

Candidates come only from indexed look-ups, never from a scan of the table: the
normalized email (ContactEmail.email_normalized), the E.164 phone (ContactPhone.e164,
read with the studio's country as the default region), the name keys (Contact.name_key
and surname_key, for the name as given, its nicknames and its swapped form), the
postcode (ContactAddress.postcode_key) and the gallery (the people of the shoot that
records the order's gallery, by provider + gallery id or by gallery URL). Each look-up
returns at most CANDIDATES_PER_KEY rows. The candidates are then scored in Python from
their evidence, as log2 odds (a Fellegi-Sunter style sum of agreement weights), and
shown as a 0..1 score with human reasons ("same email", "same phone", "Bob is a
nickname of Robert", "name 0.94 similar", "same postcode", "client of the shoot whose
gallery this is").

Three outcomes: "match" (certain, link without asking), "possible" (ranked candidates,
the user picks) and "none".

A candidate is a CERTAIN match only when all of these hold:

1. It has a basis for certainty:
   - email: same normalized email, and the first name agrees (exact, nickname or typo;
     the surname may differ: married names), or the order gives no first name (or only
     an initial) and the surname agrees or is missing;
   - phone: same phone AND first name and surname both agree (phones are shared by
     families, so a phone with only the surname agreeing is a relative);
   - gallery: on the shoot whose gallery this is AND first name and surname agree (or
     one of them is missing on one side while the other agrees); the gallery alone never
     picks between the two clients of a couple, nor excludes a guest ordering from it;
   - address: first name and surname agree and the street line is the same (same house
     number; the postcode may be missing or mistyped), or similar within the same postcode.
   Name similarity alone (the many John Smiths) is never a basis.
2. Nothing vetoes it: a first name that differs (not a nickname, typo or initial), or
   a different suffix (Jr / Sr).
3. It clearly beats the runner-up: at least CERTAIN_MARGIN log2 units (16×) ahead of
   the next candidate. Two contacts that fit about equally (duplicates of one person,
   a mother and daughter with one name and one phone) are never certain; they are
   reported in `MatchResult.duplicates` so the import window can offer to merge them.

"Agree" for names means: first names exact, a nickname of one another or one typo apart
(away from the ending: Daniel/Danielle do not agree); surnames exact, one typo apart,
one part of a double-barrelled name, or sounding alike with the same ending
(Smith/Smyth, not Kowalski/Kowalska). See contacts.similarity.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from accounts.models import Studio
from contacts import matching_lookup, similarity
from contacts.matching_lookup import Hits, Probe
from contacts.models import Contact
from contacts.similarity import STRONG_FIRST, STRONG_LAST

if TYPE_CHECKING:
    from galleries.schema import GalleryOrder

MATCH, POSSIBLE, NONE = "match", "possible", "none"
CANDIDATES_PER_KEY = matching_lookup.CANDIDATES_PER_KEY

# Evidence weights, in log2 odds of "same person".
PRIOR = -9.0
EMAIL = 14.0
PHONE = 9.0
FIRST = {
    "exact": 4.0,
    "nickname": 3.0,
    "typo": 3.0,
    "initial": 1.0,
    "similar": 1.0,
    "missing": 0.0,
    "different": -4.0,
}
LAST = {
    "exact": 5.0,
    "typo": 3.5,
    "partial": 3.0,
    "sound": 3.0,
    "similar": 1.5,
    "missing": 0.0,
    "different": -3.0,
}
SWAPPED = -1.0
# A shared postcode is worth POSTCODE_SAME less log2 of how many contacts have it (a
# unit postcode of 15 homes says more than a ZIP code of thousands), at least POSTCODE_MIN.
POSTCODE_SAME, POSTCODE_MIN, POSTCODE_DIFFERENT = 8.0, 2.0, -1.0
# Agreeing on a value n contacts share is worth log2(n) less (term frequency: one of 40
# John Smiths, a phone 3 relatives share), by at most MAX_SHARED_DISCOUNT, so that a
# common name still makes the list of possible matches.
MAX_SHARED_DISCOUNT = 3.0
ADDRESS = {"same": 5.0, "similar": 2.5, "different": -1.5, "missing": 0.0}
GALLERY_SOLE_CLIENT, GALLERY_SHARED_CLIENT, GALLERY_OTHER_ROLE = 6.0, 3.0, 2.0
GALLERY_CLIENT_ROLES = frozenset({"client", "partner"})

POSSIBLE_MIN = -4.0  # below this (score ≈ 0.06) a candidate is not worth showing
CERTAIN_MARGIN = 4.0


@dataclass(frozen=True)
class MatchInput:
    """What an order (or any other source) says about the client."""

    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""
    postcode: str = ""
    address_line1: str = ""
    gallery_provider: str = ""
    gallery_id: str = ""
    gallery_url: str = ""

    @classmethod
    def from_order(cls, order: GalleryOrder) -> MatchInput:
        """The customer of a normalized gallery order (billing address, else shipping)."""
        customer = order.customer
        address = customer.billing_address or customer.shipping_address
        gallery = order.gallery
        return cls(
            first_name=customer.first_name,
            last_name=customer.last_name,
            email=customer.email,
            phone=customer.phone,
            postcode=address.postcode if address else "",
            address_line1=address.line1 if address else "",
            gallery_provider=order.provider if gallery else "",
            gallery_id=gallery.id if gallery else "",
            gallery_url=gallery.url if gallery else "",
        )


@dataclass
class Candidate:
    contact: Contact
    score: float  # 0..1
    reasons: list[str]
    certain: bool = False
    log_odds: float = 0.0
    basis: str | None = None  # which certainty rule it meets (email/phone/gallery/address)
    warning: str = ""  # why it cannot be certain, when something says so


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
    hits = matching_lookup.collect(studio, probe)
    same_name = sum(1 for c in hits.contacts.values() if c.name_key == probe.exact_name_key)
    scored = [_score(probe, hits, contact, same_name) for contact in hits.contacts.values()]
    ranked = sorted(
        (c for c in scored if c.log_odds >= POSSIBLE_MIN), key=lambda c: (-c.log_odds, c.contact.pk)
    )
    return _decide(ranked, limit)


@dataclass
class _Evidence:
    first: str
    last: str
    swapped: bool
    suffix_conflict: bool
    email: bool
    phone: bool
    postcode: str
    address: str
    address_similarity: float
    gallery_role: str | None
    gallery_shared: bool
    # How many candidates share the order's email / phone / postcode / exact name.
    sharing: dict[str, int] = field(default_factory=dict)


def _evidence(probe: Probe, hits: Hits, contact: Contact, same_name: int) -> _Evidence:
    theirs = similarity.parse_name(contact.first_name, contact.last_name)
    first, last = (
        similarity.compare_first(probe.name, theirs),
        similarity.compare_last(probe.name, theirs),
    )
    swapped = False
    if first not in STRONG_FIRST and probe.swapped_name is not None:
        swapped_first = similarity.compare_first(probe.swapped_name, theirs)
        swapped_last = similarity.compare_last(probe.swapped_name, theirs)
        if swapped_first in STRONG_FIRST and swapped_last in STRONG_LAST:
            first, last, swapped = swapped_first, swapped_last, True
    postcode, address, address_similarity = _compare_places(probe, hits.addresses.get(contact.pk))
    role, shared = hits.gallery.get(contact.pk, (None, False))
    return _Evidence(
        first=first,
        last=last,
        swapped=swapped,
        suffix_conflict=similarity.suffix_conflict(probe.name, theirs),
        email=contact.pk in hits.email,
        phone=contact.pk in hits.phone,
        postcode=postcode,
        address=address,
        address_similarity=address_similarity,
        gallery_role=role,
        gallery_shared=shared,
        sharing={
            "email": len(hits.email),
            "phone": len(hits.phone),
            "postcode": len(hits.postcode),
            "name": same_name,
        },
    )


def _compare_places(
    probe: Probe, addresses: list[tuple[str, str]] | None
) -> tuple[str, str, float]:
    """(postcode, address, similarity) against the contact's best-fitting address."""
    postcodes = {pc for _line, pc in addresses or () if pc}
    if not probe.postcode or not postcodes:
        postcode = "missing"
    else:
        postcode = "same" if probe.postcode in postcodes else "different"
    best, best_similarity = "missing", 0.0
    order = ("missing", "different", "similar", "same")
    for line, pc in addresses or ():
        if postcode == "same" and pc != probe.postcode:
            continue  # compare the street only within the same postcode
        state, value = similarity.compare_address(probe.address_line1, line)
        if (order.index(state), value) > (order.index(best), best_similarity):
            best, best_similarity = state, value
    return postcode, best, best_similarity


def _gallery_weight(evidence: _Evidence) -> float:
    if evidence.gallery_role is None:
        return 0.0
    if evidence.gallery_role not in GALLERY_CLIENT_ROLES:
        return GALLERY_OTHER_ROLE
    return GALLERY_SHARED_CLIENT if evidence.gallery_shared else GALLERY_SOLE_CLIENT


def _shared(count: int) -> float:
    return min(math.log2(count), MAX_SHARED_DISCOUNT) if count > 1 else 0.0


def _postcode_weight(ev: _Evidence) -> float:
    if ev.postcode == "same":
        return max(POSTCODE_MIN, POSTCODE_SAME - math.log2(max(ev.sharing["postcode"], 1)))
    return POSTCODE_DIFFERENT if ev.postcode == "different" else 0.0


def _log_odds(ev: _Evidence) -> float:
    total = PRIOR + FIRST[ev.first] + LAST[ev.last] + _postcode_weight(ev)
    total += ADDRESS[ev.address] + _gallery_weight(ev) + (SWAPPED if ev.swapped else 0.0)
    if ev.first == "exact" and ev.last == "exact":
        total -= _shared(ev.sharing["name"])
    if ev.email:
        total += EMAIL - _shared(ev.sharing["email"])
    if ev.phone:
        total += PHONE - _shared(ev.sharing["phone"])
    return total


def _basis(ev: _Evidence) -> str | None:
    """The certainty rule the evidence meets (module docstring, rule 1 and 2), or None."""
    if ev.first == "different" or ev.suffix_conflict:
        return None
    first_ok, last_ok = ev.first in STRONG_FIRST, ev.last in STRONG_LAST
    no_first = ev.first in ("missing", "initial")
    if ev.email and (first_ok or (no_first and (last_ok or ev.last == "missing"))):
        return "email"
    if ev.phone and first_ok and last_ok:
        return "phone"
    if ev.gallery_role and (
        (first_ok and (last_ok or ev.last == "missing")) or (ev.first == "missing" and last_ok)
    ):
        return "gallery"
    same_place = ev.address == "same" or (ev.address == "similar" and ev.postcode == "same")
    if first_ok and last_ok and same_place:
        return "address"
    return None


def _score(probe: Probe, hits: Hits, contact: Contact, same_name: int) -> Candidate:
    ev = _evidence(probe, hits, contact, same_name)
    log_odds = _log_odds(ev)
    theirs = similarity.parse_name(contact.first_name, contact.last_name)
    return Candidate(
        contact=contact,
        score=round(1.0 / (1.0 + 2.0 ** (-log_odds)), 4),
        reasons=_reasons(ev, probe, theirs, contact),
        log_odds=log_odds,
        basis=_basis(ev),
        warning=_warning(ev),
    )


def _reasons(ev: _Evidence, probe: Probe, theirs: similarity.Name, contact: Contact) -> list[str]:
    reasons = []
    if ev.email:
        reasons.append("same email")
    if ev.phone:
        reasons.append("same phone")
    reasons.extend(_name_reasons(ev, probe, theirs, contact))
    if ev.postcode == "same":
        reasons.append("same postcode")
    if ev.address == "same":
        reasons.append("same address")
    elif ev.address == "similar":
        reasons.append(f"address {ev.address_similarity:.2f} similar")
    if ev.gallery_role:
        reasons.append(f"{ev.gallery_role} of the shoot whose gallery this is")
    return reasons


def _name_reasons(
    ev: _Evidence, probe: Probe, theirs: similarity.Name, contact: Contact
) -> list[str]:
    if ev.swapped:
        return ["same name with first and last name swapped"]
    if ev.first == "exact" and ev.last == "exact":
        return ["same name"]
    given, their_first = probe.name.first.capitalize(), contact.first_name or theirs.first
    their_last = contact.last_name or theirs.last
    reasons = {
        "exact": "same first name",
        "nickname": f"{given} is a nickname of {their_first}",
        "initial": f"initial {given[:1]}. fits {their_first}",
    }
    found = [reasons[ev.first]] if ev.first in reasons else []
    if ev.last == "exact":
        found.append("same surname")
    elif ev.last == "sound":
        found.append(f"surname sounds like {their_last}")
    elif ev.last == "partial":
        found.append(f"surname shares a part with {their_last}")
    elif ev.last == "different" and ev.first in STRONG_FIRST:
        found.append(f"different surname ({their_last}): married name?")
    if "typo" in (ev.first, ev.last) or "similar" in (ev.first, ev.last):
        found.append(f"name {similarity.name_similarity(probe.name, theirs):.2f} similar")
    if ev.first == "different":
        found.append(f"different first name ({their_first})")
    return found


def _warning(ev: _Evidence) -> str:
    if ev.suffix_conflict:
        return "Different suffix (Jr / Sr): likely a relative."
    if ev.first == "different" and ev.email:
        return "Same email but a different first name: a shared family address?"
    if ev.first == "different" and ev.phone:
        return "Same phone but a different first name: a relative sharing the phone?"
    if ev.gallery_role and ev.first not in STRONG_FIRST and ev.last not in STRONG_LAST:
        return "On the gallery's shoot, but the name does not say which client (or a guest)."
    if ev.gallery_role and ev.first == "different":
        return "On the gallery's shoot, but with a different first name (partner or guest?)."
    return ""


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


__all__ = ["MATCH", "NONE", "POSSIBLE", "Candidate", "MatchInput", "MatchResult", "find_matches"]
