"""Properties of the certainty rule (docs/matching.md), over generated person records:

1. a record with a distinctive identifier that disagrees with a contact's (email, phone,
   place: postcode and town) is never linked to it as certain;
2. a record with a contact's name and email (no other contact has it) is certain unless
   something distinctive disagrees.

The expected outcome is computed here from the records alone, not from the matcher.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contacts import services
from contacts.matching import MATCH, MatchInput, find_matches


@dataclass(frozen=True)
class Place:
    line1: str
    town: str
    postcode: str


NOWHERE = Place("", "", "")
PLACES = [
    Place("1 High St", "Bath", "BA1 1AA"),
    Place("1 High St", "Bath", "BA1 1AB"),  # a slip in the postcode, same town
    Place("1 High St", "Bath", "BA2 9ZZ"),  # another postcode in the same town
    Place("1 High St", "Leeds", "LS1 4AP"),  # the same street line in another town
    Place("1 High St", "", "LS1 4AP"),  # another postcode, no town given
    Place("9 Low Rd", "York", "YO1 7HH"),
    Place("", "Leeds", ""),  # a town alone
    NOWHERE,
]
FIRST_NAMES = ["Jane", "Janet", "Wei", "Bob", "Robert"]
LAST_NAMES = ["Smith", "Smyth", "Li", "Liu", "Kowalski"]
EMAILS = ["jane@example.com", "js@example.org", ""]
PHONES = ["07700 900111", "07700 900222", ""]
PROPERTY_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@dataclass(frozen=True)
class Record:
    first: str
    last: str
    email: str
    phone: str
    place: Place


records = st.builds(
    Record,
    first=st.sampled_from(FIRST_NAMES),
    last=st.sampled_from(LAST_NAMES),
    email=st.sampled_from(EMAILS),
    phone=st.sampled_from(PHONES),
    place=st.sampled_from(PLACES),
)


def _one_slip(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def place_disagrees(stored: Place, given_place: Place) -> bool:
    """Neither postcode nor town agrees, and the towns differ or the postcodes differ by
    more than one slip."""
    postcodes = (stored.postcode, given_place.postcode)
    towns = (stored.town, given_place.town)
    if all(postcodes) and postcodes[0] == postcodes[1]:
        return False
    if all(towns) and towns[0] == towns[1]:
        return False
    towns_differ = all(towns)
    postcodes_differ = all(postcodes) and not _one_slip(*postcodes)
    return towns_differ or postcodes_differ


def disagrees(stored: Record, order: Record) -> bool:
    email = bool(stored.email and order.email) and stored.email != order.email
    phone = bool(stored.phone and order.phone) and stored.phone != order.phone
    return email or phone or place_disagrees(stored.place, order.place)


def save(studio, record: Record):
    place = record.place
    return services.create_contact(
        studio=studio,
        first_name=record.first,
        last_name=record.last,
        emails=[record.email] if record.email else [],
        phones=[record.phone] if record.phone else [],
        addresses=(
            [{"line1": place.line1, "city": place.town, "postcode": place.postcode}]
            if place != NOWHERE
            else []
        ),
    )


def outcome_for(studio, order: Record):
    return find_matches(
        studio=studio,
        candidate=MatchInput(
            first_name=order.first,
            last_name=order.last,
            email=order.email,
            phone=order.phone,
            address_line1=order.place.line1,
            town=order.place.town,
            postcode=order.place.postcode,
        ),
    )


class Rollback(Exception):
    """Leaves each example's contacts behind (the studio stays)."""


def in_rollback(check) -> None:
    try:
        with transaction.atomic():
            check()
            raise Rollback
    except Rollback:
        pass


@st.composite
def disagreeing_pairs(draw: st.DrawFn) -> tuple[Record, Record]:
    """A contact and an order that shares whatever it likes with it, but at least one
    distinctive identifier that disagrees."""
    stored = draw(records)
    order = draw(
        st.builds(
            Record,
            first=st.sampled_from([stored.first, *FIRST_NAMES]),
            last=st.sampled_from([stored.last, *LAST_NAMES]),
            email=st.sampled_from([stored.email, *EMAILS]),
            phone=st.sampled_from([stored.phone, *PHONES]),
            place=st.sampled_from([stored.place, *PLACES]),
        )
    )
    if not disagrees(stored, order):
        # Make one identifier the stored record has disagree.
        options = []
        if stored.email:
            options.append(replace(order, email="someone.else@example.net"))
        if stored.phone:
            options.append(replace(order, phone="07700 900999"))
        if stored.place.town:
            options.append(replace(order, place=Place("1 High St", "Truro", "TR1 2AA")))
        order = draw(st.sampled_from(options)) if options else order
    return stored, order


@PROPERTY_SETTINGS
@given(pair=disagreeing_pairs())
def test_a_disagreeing_distinctive_identifier_is_never_certain(studio, pair):
    stored, order = pair
    if not disagrees(stored, order):
        return  # the stored record had nothing distinctive to disagree with

    def check():
        contact = save(studio, stored)
        result = outcome_for(studio, order)
        assert not (result.outcome == MATCH and result.best.contact == contact), result.best.reasons

    in_rollback(check)


@st.composite
def same_email_pairs(draw: st.DrawFn) -> tuple[Record, Record, bool]:
    """A contact with an email; an order with its name and email and any phone and
    place; and whether a namesake (another email and phone) is in the contacts too."""
    stored = replace(draw(records), email="jane@example.com")
    order = replace(
        stored,
        phone=draw(st.sampled_from([stored.phone, *PHONES])),
        place=draw(st.sampled_from([stored.place, *PLACES])),
    )
    return stored, order, draw(st.booleans())


@PROPERTY_SETTINGS
@given(case=same_email_pairs())
def test_the_same_email_not_shared_is_certain_unless_something_distinctive_disagrees(studio, case):
    stored, order, with_namesake = case

    def check():
        contact = save(studio, stored)
        if with_namesake:
            save(studio, replace(stored, email="namesake@example.net", phone="07700 900999"))
        result = outcome_for(studio, order)
        certain = result.outcome == MATCH and result.best.contact == contact
        assert certain == (not disagrees(stored, order)), (
            result.outcome,
            result.best.reasons if result.best else None,
        )

    in_rollback(check)
