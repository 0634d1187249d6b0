"""The evidence matching weighs for one candidate, and what it means.

For each candidate contact: how its name, email, phone, postcode, town, street and
gallery compare with the order's (agreement levels from contacts.similarity), the log2
odds those agreements and disagreements add up to (a Fellegi-Sunter style sum of
weights, with term-frequency discounts for values many contacts share), which certainty
rule they meet (docs/matching.md, the contacts.matching docstring) and what
disagrees. The reasons shown beside a candidate, in words: contacts.matching_words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from contacts import similarity
from contacts.matching_lookup import Found, Hits, Probe
from contacts.name_fit import NameFit, Table, compare_names
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
# A distinctive detail the contact has, but not the order's: people keep several emails
# and phones (so not as strong as agreement), but a namesake differs in all of them.
EMAIL_DIFFERENT, PHONE_DIFFERENT = -2.0, -1.5
# Another postcode in another town (or with no town to say it is a typo): another home.
PLACE_DIFFERENT = -3.0
TOWN_SAME = 1.0  # when the postcode does not already say so
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


def _fit(probe: Probe, names: Table, contact: Found) -> tuple[NameFit, float]:
    """How the order's name compares with the contact's, and the name's part of the log
    odds (PRIOR + FIRST + LAST + SWAPPED: the first terms of _bound and log_odds), from
    the order's table (contacts.name_fit), filled on first use."""
    key = (contact.first_name, contact.last_name)
    found = names.get(key)
    if found is None:
        fit = compare_names(probe, *key)
        total = PRIOR + FIRST[fit.first] + LAST[fit.last] + (SWAPPED if fit.swapped else 0.0)
        found = names[key] = (fit, total)
    return found


@dataclass
class Evidence:
    theirs: similarity.Name
    first: str
    last: str
    swapped: bool
    suffix_conflict: bool
    short_surnames: bool  # either surname under SHORT_SURNAME letters (Li / Liu)
    email: bool
    phone: bool
    email_differs: bool  # the order's email is not one of the contact's (who has one)
    phone_differs: bool
    postcode: str  # same / different / missing
    postcode_level: str  # same / typo / different / missing
    town: str  # same / different / missing
    address: str
    address_similarity: float
    gallery_role: str | None
    gallery_shared: bool
    # How many candidates share the order's email / phone / postcode / exact name.
    sharing: dict[str, int] = field(default_factory=dict)


def weigh(
    probe: Probe, hits: Hits, floor: float | None = None, margin: float | None = None
) -> list[tuple[float, Found, Evidence]]:
    """(log2 odds, contact, evidence) of every contact the look-ups found; with a floor,
    only of those that may reach it (the others are left out unweighed: their bound,
    from the name and what the order could still agree on, is below it). With a margin
    too, also only of those that may come within `margin` of the best weighed so far
    (the others are at least `margin` behind the best, whatever it turns out to be);
    the contacts the email, phone or gallery found are weighed first, as they are the
    likely best."""
    exact = probe.exact_name_key
    same_name = sum(1 for c in hits.contacts.values() if c.name_key == exact)
    names: Table = {}  # many candidates share a name (John Smith)
    weighed = []
    room = _place_room(probe, hits)
    # Only these can add to the name's part and the places': the others' other terms are
    # zero or less, so the name's part plus `room` bounds them (the first test of _bound).
    adding = hits.email | hits.phone | hits.gallery.keys()
    behind = math.inf if margin is None else margin
    best = -math.inf
    for contact in _weighing_order(hits, adding, margin is not None):
        if floor is not None:
            # A bound adds its terms in another order than log_odds: it may come out a
            # rounding error below them, so a contact is left out only when its bound is
            # clearly (SLACK) below the floor or the margin.
            cut = max(floor, best - behind) - SLACK
            if contact.pk not in adding:
                if NAME_MOST + room < best - behind - SLACK:
                    break  # the rest are not `adding` (_weighing_order): none comes close
                total = (
                    names.get((contact.first_name, contact.last_name))
                    or _fit(probe, names, contact)
                )[1]
                if total + room < cut:
                    continue
            if _bound(probe, hits, contact, names, cut, room) < cut:
                continue
        found = evidence(probe, hits, contact, same_name, names)
        odds = log_odds(found)
        best = max(best, odds)
        weighed.append((odds, contact, found))
    return weighed


SLACK = 1e-9  # far above a sum's rounding error (~1e-14), far below any weight's difference
# The most a name can add (PRIOR + the best first-name and surname weights): _fit's total.
NAME_MOST = PRIOR + max(FIRST.values()) + max(LAST.values())


def _weighing_order(hits: Hits, adding: set[int], first_adding: bool) -> list[Found]:
    """The contacts to weigh: those in `adding` first when asked (weigh's margin)."""
    contacts = list(hits.contacts.values())
    if not first_adding:
        return contacts
    return [c for c in contacts if c.pk in adding] + [c for c in contacts if c.pk not in adding]


def _place_room(probe: Probe, hits: Hits) -> float:
    """The most the place and the address can add to any candidate's bound (_bound)."""
    return max(_postcode_weight(probe, hits), TOWN_SAME if probe.town else 0.0) + (
        ADDRESS["same"] if probe.address_line1 else 0.0
    )


def _postcode_weight(probe: Probe, hits: Hits) -> float:
    """What the order's postcode adds to a contact that has it (0: the order has none)."""
    if not probe.postcode:
        return 0.0
    return max(POSTCODE_MIN, POSTCODE_SAME - math.log2(max(len(hits.postcode), 1)))


def _bound(
    probe: Probe,
    hits: Hits,
    contact: Found,
    names: Table,
    floor: float = -math.inf,
    room: float = math.inf,
) -> float:
    """At least log_odds(evidence(...)), from the parts that are cheap to tell: the name,
    the email, phone and gallery exactly, and the best the place and address could add
    (the postcode's weight when the contact has the order's postcode, else the town's
    when the order has one; a same address). Every other term of log_odds is zero or
    less. When even `room` (the most the place and address could add, _place_room)
    leaves it below `floor`, the places are not compared (the bound returned is then the
    looser one, still below the floor)."""
    total = (names.get((contact.first_name, contact.last_name)) or _fit(probe, names, contact))[1]
    pk = contact.pk
    if pk in hits.email:
        total += EMAIL - _shared(len(hits.email))
    elif probe.email and pk in hits.with_email:
        total += EMAIL_DIFFERENT
    if pk in hits.phone:
        total += PHONE - _shared(len(hits.phone))
    elif probe.e164 and pk in hits.with_phone:
        total += PHONE_DIFFERENT
    if pk in hits.gallery:
        role, shared = hits.gallery[pk]
        total += _gallery_weight_of(role, shared)
    if total + room < floor:
        return total + room
    places = hits.addresses.get(pk)
    if places:
        # One pass over the contact's (few) addresses: whether one has the order's
        # postcode, and whether one's street line could be the order's.
        postcode, line1 = probe.postcode, probe.address_line1
        has_postcode = has_line = False
        for line, pc, _town in places:
            if postcode and pc == postcode:
                has_postcode = True
            if line1 and not has_line and _may_be_the_address(probe, line):
                has_line = True
        if has_postcode:
            total += _postcode_weight(probe, hits)
        elif probe.town:
            # The town's weight whether or not one of the contact's towns is the order's:
            # comparing towns was a third of the bound's own time, and a bound a little high
            # only means a candidate is weighed in full (and then left out) for nothing.
            total += TOWN_SAME
        if has_line:
            total += ADDRESS["same"]
    return total


def _may_be_the_address(probe: Probe, line: str) -> bool:
    """Whether a stored street line could compare "same" or "similar" (_compare_places: a
    line with other house numbers is a different address)."""
    numbers = similarity.house_numbers(line)
    return not (probe.address_numbers and numbers and numbers != probe.address_numbers)


def evidence(
    probe: Probe,
    hits: Hits,
    contact: Found,
    same_name: int,
    names: Table,
) -> Evidence:
    name: NameFit = (
        names.get((contact.first_name, contact.last_name)) or _fit(probe, names, contact)
    )[0]
    places = hits.addresses.get(contact.pk) or []
    postcode, address, address_similarity = _compare_places(probe, places)
    role, shared = hits.gallery.get(contact.pk, (None, False))
    email, phone = contact.pk in hits.email, contact.pk in hits.phone
    found = Evidence(
        theirs=name.theirs,
        first=name.first,
        last=name.last,
        swapped=name.swapped,
        suffix_conflict=name.suffix_conflict,
        short_surnames=not similarity.surnames_long_enough_to_be_alike(probe.name, name.theirs),
        email=email,
        phone=phone,
        email_differs=bool(probe.email) and not email and contact.pk in hits.with_email,
        phone_differs=bool(probe.e164) and not phone and contact.pk in hits.with_phone,
        postcode=postcode,
        postcode_level=similarity.compare_postcode(probe.postcode, [pc for _l, pc, _t in places]),
        town=similarity.compare_town(probe.town, [town for _l, _pc, town in places]),
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
    if place_differs(found):
        # 1 High Street in another town is another home: PLACE_DIFFERENT says so once.
        found.address, found.address_similarity = "missing", 0.0
    return found


def _compare_places(probe: Probe, addresses: list[tuple[str, str, str]]) -> tuple[str, str, float]:
    """(postcode, address, similarity) against the contact's best-fitting address."""
    postcodes = {pc for _line, pc, _town in addresses if pc}
    if not probe.postcode or not postcodes:
        postcode = "missing"
    else:
        postcode = "same" if probe.postcode in postcodes else "different"
    best, best_similarity = "missing", 0.0
    if not probe.address_line1:
        return postcode, best, best_similarity
    order = ("missing", "different", "similar", "same")
    for line, pc, _town in addresses:
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
    return _gallery_weight_of(evidence.gallery_role, evidence.gallery_shared)


def _gallery_weight_of(role: str | None, shared: bool) -> float:
    if role is None:
        return 0.0
    if role not in GALLERY_CLIENT_ROLES:
        return GALLERY_OTHER_ROLE
    return GALLERY_SHARED_CLIENT if shared else GALLERY_SOLE_CLIENT


def _shared(count: int) -> float:
    return min(math.log2(count), MAX_SHARED_DISCOUNT) if count > 1 else 0.0


def _place_weight(ev: Evidence) -> float:
    if ev.postcode == "same":
        return max(POSTCODE_MIN, POSTCODE_SAME - math.log2(max(ev.sharing["postcode"], 1)))
    if place_differs(ev):
        return PLACE_DIFFERENT
    town = TOWN_SAME if ev.town == "same" else 0.0
    return town + (POSTCODE_DIFFERENT if ev.postcode == "different" else 0.0)


def place_differs(ev: Evidence) -> bool:
    """Another place: neither the postcode nor the town agrees, and either the towns
    differ or the postcodes differ by more than a slip (with no town to vouch for it)."""
    if ev.postcode_level == "same" or ev.town == "same":
        return False
    return ev.town == "different" or ev.postcode_level == "different"


def log_odds(ev: Evidence) -> float:
    total = PRIOR + FIRST[ev.first] + LAST[ev.last] + _place_weight(ev)
    total += ADDRESS[ev.address] + _gallery_weight(ev) + (SWAPPED if ev.swapped else 0.0)
    if ev.first == "exact" and ev.last == "exact":
        total -= _shared(ev.sharing["name"])
    if ev.email:
        total += EMAIL - _shared(ev.sharing["email"])
    if ev.phone:
        total += PHONE - _shared(ev.sharing["phone"])
    if ev.email_differs:
        total += EMAIL_DIFFERENT
    if ev.phone_differs:
        total += PHONE_DIFFERENT
    return total


def conflicts(ev: Evidence) -> list[str]:
    """The distinctive details that disagree, in words; any one blocks certainty."""
    found = []
    if ev.email_differs:
        found.append("different email")
    if ev.phone_differs:
        found.append("different phone")
    if place_differs(ev):
        if ev.postcode_level in ("typo", "different") and ev.town == "different":
            found.append("different postcode and town")
        else:
            found.append("different town" if ev.town == "different" else "different postcode")
    return found


def basis(ev: Evidence) -> str | None:
    """The certainty rule the evidence meets (docs/matching.md: a basis, and nothing
    distinctive that disagrees), or None."""
    if ev.first == "different" or ev.suffix_conflict or conflicts(ev):
        return None
    first_ok = ev.first in STRONG_FIRST
    # The same first name with a near-identical surname is one person (Anna Kowalski /
    # Anna Kowalska); relatives sharing a surname's variants have different first names.
    # Short surnames one letter apart are other names (Li / Liu).
    last_ok = ev.last in STRONG_LAST or (
        ev.first == "exact" and ev.last == "similar" and not ev.short_surnames
    )
    no_first = ev.first in ("missing", "initial")
    if ev.email and (first_ok or (no_first and (last_ok or ev.last == "missing"))):
        return "email"
    # A phone another contact also has is a household's, not a person's.
    if ev.phone and ev.sharing["phone"] == 1 and first_ok and last_ok:
        return "phone"
    if ev.gallery_role and (
        (first_ok and (last_ok or ev.last == "missing")) or (ev.first == "missing" and last_ok)
    ):
        return "gallery"
    # The full address: the street line and the postcode (a typo in either is no basis).
    full_address = ev.postcode == "same" and (
        ev.address == "same" or (ev.address == "similar" and last_ok)
    )
    if first_ok and (last_ok or ev.last == "missing") and full_address:
        return "address"
    return None
