"""What a candidate's evidence says, in words: the reasons shown beside it and the
warning that tells why it cannot be certain (contacts.matching words only the
candidates it shows). The evidence itself and its weights: contacts.matching_evidence.
"""

from __future__ import annotations

from contacts import similarity
from contacts.matching_evidence import Evidence, conflicts
from contacts.matching_lookup import Found, Probe
from contacts.similarity import STRONG_FIRST, STRONG_LAST


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
    elif ev.town == "same":
        said.append("same town")
    if ev.address == "same":
        said.append("same address")
    elif ev.address == "similar":
        said.append(f"address {ev.address_similarity:.2f} similar")
    if ev.gallery_role:
        said.append(f"{ev.gallery_role} of the shoot whose gallery this is")
    return said + conflicts(ev)


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
    disagreeing = conflicts(ev)
    if disagreeing:
        return f"A {', '.join(disagreeing)} from this contact's: a namesake or a relative?"
    if ev.gallery_role and ev.first not in STRONG_FIRST and ev.last not in STRONG_LAST:
        return "On the gallery's shoot, but the name does not say which client (or a guest)."
    if ev.gallery_role and ev.first == "different":
        return "On the gallery's shoot, but with a different first name (partner or guest?)."
    return ""
