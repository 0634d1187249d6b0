"""The evidence matching weighs for one candidate, and what it means.

For each candidate contact: how its name, email, phone, postcode, street and gallery
compare with the order's (agreement levels from contacts.similarity), the log2 odds
those agreements add up to (a Fellegi-Sunter style sum of weights, with term-frequency
discounts for values many contacts share), which certainty rule they meet (see the
contacts.matching docstring) and the human reasons shown beside the candidate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from contacts import similarity
from contacts.matching_lookup import Found, Hits, Probe
from contacts.similarity import STRONG_FIRST, STRONG_LAST

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
    "different": -6.0,
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
GALLERY_SOLE_CLIENT, GALLERY_SHARED_CLIENT, GALLERY_OTHER_ROLE = 8.0, 6.0, 3.0
GALLERY_CLIENT_ROLES = frozenset({"client", "partner"})


@dataclass(frozen=True)
class _Names:
    """How the order's name compares with one stored name."""

    theirs: similarity.Name
    first: str
    last: str
    swapped: bool
    suffix_conflict: bool


def _compare_names(probe: Probe, contact: Found) -> _Names:
    theirs = similarity.parse_name(contact.first_name, contact.last_name)
    first = similarity.compare_first(probe.name, theirs)
    last = similarity.compare_last(probe.name, theirs)
    swapped = False
    if first not in STRONG_FIRST and _may_be_swapped(probe, theirs):
        swapped_first = similarity.compare_first(probe.swapped_name, theirs)
        swapped_last = similarity.compare_last(probe.swapped_name, theirs)
        if swapped_first in STRONG_FIRST and swapped_last in STRONG_LAST:
            first, last, swapped = swapped_first, swapped_last, True
    conflict = similarity.suffix_conflict(probe.name, theirs)
    return _Names(theirs, first, last, swapped, conflict)


def _may_be_swapped(probe: Probe, theirs: similarity.Name) -> bool:
    """Cheap test before comparing the names crosswise: their first name starts like the
    order's surname."""
    swapped = probe.swapped_name
    return bool(swapped and swapped.first and theirs.first) and swapped.first[0] == theirs.first[0]


@dataclass
class Evidence:
    theirs: similarity.Name
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


def weigh(probe: Probe, hits: Hits) -> list[tuple[float, Found, Evidence]]:
    """(log2 odds, contact, evidence) of every contact the look-ups found."""
    same_name = sum(1 for c in hits.contacts.values() if c.name_key == probe.exact_name_key)
    names: dict[tuple[str, str], _Names] = {}  # many candidates share a name (John Smith)
    weighed = []
    for contact in hits.contacts.values():
        found = evidence(probe, hits, contact, same_name, names)
        weighed.append((log_odds(found), contact, found))
    return weighed


def evidence(
    probe: Probe,
    hits: Hits,
    contact: Found,
    same_name: int,
    names: dict[tuple[str, str], _Names],
) -> Evidence:
    key = (contact.first_name, contact.last_name)
    if key not in names:
        names[key] = _compare_names(probe, contact)
    name = names[key]
    postcode, address, address_similarity = _compare_places(probe, hits.addresses.get(contact.pk))
    role, shared = hits.gallery.get(contact.pk, (None, False))
    return Evidence(
        theirs=name.theirs,
        first=name.first,
        last=name.last,
        swapped=name.swapped,
        suffix_conflict=name.suffix_conflict,
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
    if not probe.address_line1:
        return postcode, best, best_similarity
    order = ("missing", "different", "similar", "same")
    for line, pc in addresses or ():
        if postcode == "same" and pc != probe.postcode:
            continue  # compare the street only within the same postcode
        numbers = similarity.house_numbers(line)
        if probe.address_numbers and numbers and numbers != probe.address_numbers:
            state, value = "different", 0.0  # another house: no need to compare the street
        else:
            state, value = similarity.compare_address(
                probe.address_line1, similarity.fold_address(line)
            )
        if (order.index(state), value) > (order.index(best), best_similarity):
            best, best_similarity = state, value
    return postcode, best, best_similarity


def _gallery_weight(evidence: Evidence) -> float:
    if evidence.gallery_role is None:
        return 0.0
    if evidence.gallery_role not in GALLERY_CLIENT_ROLES:
        return GALLERY_OTHER_ROLE
    return GALLERY_SHARED_CLIENT if evidence.gallery_shared else GALLERY_SOLE_CLIENT


def _shared(count: int) -> float:
    return min(math.log2(count), MAX_SHARED_DISCOUNT) if count > 1 else 0.0


def _postcode_weight(ev: Evidence) -> float:
    if ev.postcode == "same":
        return max(POSTCODE_MIN, POSTCODE_SAME - math.log2(max(ev.sharing["postcode"], 1)))
    return POSTCODE_DIFFERENT if ev.postcode == "different" else 0.0


def log_odds(ev: Evidence) -> float:
    total = PRIOR + FIRST[ev.first] + LAST[ev.last] + _postcode_weight(ev)
    total += ADDRESS[ev.address] + _gallery_weight(ev) + (SWAPPED if ev.swapped else 0.0)
    if ev.first == "exact" and ev.last == "exact":
        total -= _shared(ev.sharing["name"])
    if ev.email:
        total += EMAIL - _shared(ev.sharing["email"])
    if ev.phone:
        total += PHONE - _shared(ev.sharing["phone"])
    return total


def basis(ev: Evidence) -> str | None:
    """The certainty rule the evidence meets (contacts.matching docstring, rules 1 and 2),
    or None."""
    if ev.first == "different" or ev.suffix_conflict:
        return None
    first_ok = ev.first in STRONG_FIRST
    # The same first name with a near-identical surname is one person (Anna Kowalski /
    # Anna Kowalska); relatives sharing a surname's variants have different first names.
    last_ok = ev.last in STRONG_LAST or (ev.first == "exact" and ev.last == "similar")
    no_first = ev.first in ("missing", "initial")
    if ev.email and (first_ok or (no_first and (last_ok or ev.last == "missing"))):
        return "email"
    if ev.phone and first_ok and last_ok:
        return "phone"
    if ev.gallery_role and (
        (first_ok and (last_ok or ev.last == "missing")) or (ev.first == "missing" and last_ok)
    ):
        return "gallery"
    same_home = ev.address == "same" and ev.postcode == "same"
    same_place = ev.address == "same" or (ev.address == "similar" and ev.postcode == "same")
    if first_ok and ((last_ok and same_place) or (ev.last == "missing" and same_home)):
        return "address"
    return None


def reasons(ev: Evidence, probe: Probe, contact: Found) -> list[str]:
    """What agrees (and what does not), in words, strongest first."""
    said: list[str] = []
    if ev.email:
        said.append("same email")
    if ev.phone:
        said.append("same phone")
    said.extend(_name_reasons(ev, probe, ev.theirs, contact))
    if ev.postcode == "same":
        said.append("same postcode")
    if ev.address == "same":
        said.append("same address")
    elif ev.address == "similar":
        said.append(f"address {ev.address_similarity:.2f} similar")
    if ev.gallery_role:
        said.append(f"{ev.gallery_role} of the shoot whose gallery this is")
    return said


def _name_reasons(ev: Evidence, probe: Probe, theirs: similarity.Name, contact: Found) -> list[str]:
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


def warning(ev: Evidence) -> str:
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
