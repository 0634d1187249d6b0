"""The certainty rule of docs/matching.md, clause by clause.

A certain link needs a basis (an agreeing email; a phone no other contact has, with the
name; the name with the full address, postcode included; the gallery's shoot with the
name) and nothing distinctive that disagrees (email, phone, postcode-and-town, first
name, Jr/Sr). Disagreement also lowers the score.
"""

from __future__ import annotations

import pytest

from contacts import services
from contacts.matching import MATCH, POSSIBLE, MatchInput, find_matches
from contacts.models import Contact, ContactPhone
from contacts.tests.test_matching import gallery_shoot  # noqa: F401 (a fixture)

HOME = {"line1": "1 High St", "city": "Bath", "postcode": "BA1 1AA"}
JANE = {"first_name": "Jane", "last_name": "Smith"}


@pytest.fixture
def person(studio):
    def make(first: str = "Jane", last: str = "Smith", **details) -> Contact:
        return services.create_contact(studio=studio, first_name=first, last_name=last, **details)

    return make


def match(studio, **given):
    return find_matches(studio=studio, candidate=MatchInput(**given))


def at_home(**changes) -> dict[str, str]:
    """The order's address fields for HOME, with `changes`."""
    place = {**HOME, **changes}
    return {"address_line1": place["line1"], "town": place["city"], "postcode": place["postcode"]}


class TestTheDefect:
    """Issue #9, defect 4: same name and street line, everything else different."""

    def test_same_name_and_street_line_with_all_else_different_is_not_certain(self, studio, person):
        jane = person(emails=["jane@example.com"], phones=["07700 900123"], addresses=[HOME])
        result = match(
            studio,
            **JANE,
            email="jane.smith@elsewhere.test",
            phone="07700 900999",
            **at_home(city="Leeds", postcode="LS1 4AP"),
        )
        assert result.outcome == POSSIBLE
        assert result.best.contact == jane and not result.best.certain
        assert {"different email", "different phone", "different postcode and town"} <= set(
            result.best.reasons
        )
        assert result.best.conflicts == [
            "different email",
            "different phone",
            "different postcode and town",
        ]

    def test_surname_one_letter_away_in_another_town_is_not_certain(self, studio, person):
        person("Wei", "Liu", addresses=[HOME])
        result = match(
            studio, first_name="Wei", last_name="Li", **at_home(city="York", postcode="YO1 7HH")
        )
        assert result.outcome == POSSIBLE and not result.best.certain

    def test_short_surnames_one_letter_apart_do_not_agree_even_at_one_home(self, studio, person):
        person("Wei", "Liu", addresses=[HOME])
        result = match(studio, first_name="Wei", last_name="Li", **at_home())
        assert result.outcome == POSSIBLE


class TestBasis:
    """Clause 1: without a basis nothing is certain."""

    def test_email_that_agrees_is_a_basis(self, studio, person):
        jane = person(emails=["jane@example.com"])
        result = match(studio, **JANE, email="jane@example.com")
        assert (result.outcome, result.best.basis, result.best.contact) == (MATCH, "email", jane)

    def test_phone_no_other_contact_has_is_a_basis(self, studio, person):
        jane = person(phones=["07700 900123"])
        result = match(studio, **JANE, phone="07700900123")
        assert (result.outcome, result.best.basis, result.best.contact) == (MATCH, "phone", jane)

    def test_phone_another_contact_also_has_is_no_basis(self, studio, person):
        person("John", "Smith", phones=["07700 900123"])
        emma = person("Emma", "Smith", phones=["07700 900123"])
        result = match(studio, first_name="Emma", last_name="Smith", phone="07700900123")
        assert result.outcome == POSSIBLE
        assert result.best.contact == emma and result.best.basis is None

    def test_name_and_full_address_with_postcode_is_a_basis(self, studio, person):
        jane = person(addresses=[HOME])
        result = match(studio, **JANE, **at_home(line1="1, High Street"))
        assert (result.outcome, result.best.basis, result.best.contact) == (MATCH, "address", jane)

    def test_name_and_street_line_without_a_postcode_is_no_basis(self, studio, person):
        person(addresses=[HOME])
        result = match(studio, **JANE, address_line1="1 High St", town="Bath")
        assert result.outcome == POSSIBLE and result.best.basis is None

    def test_name_and_street_line_with_a_mistyped_postcode_is_no_basis(self, studio, person):
        person(addresses=[HOME])
        result = match(studio, **JANE, **at_home(postcode="BA1 1AB"))
        assert result.outcome == POSSIBLE and result.best.basis is None
        assert result.best.conflicts == []  # a typo in the same town: no disagreement

    def test_name_and_postcode_without_the_street_is_no_basis(self, studio, person):
        person(addresses=[HOME])
        result = match(studio, **JANE, postcode="BA1 1AA", town="Bath")
        assert result.outcome == POSSIBLE


class TestDisagreementBlocksCertain:
    """Clause 2: any distinctive identifier that disagrees blocks "certain"."""

    def test_different_phone_blocks_an_agreeing_email(self, studio, person):
        person(emails=["jane@example.com"], phones=["07700 900123"])
        result = match(studio, **JANE, email="jane@example.com", phone="07700 900999")
        assert result.outcome == POSSIBLE
        assert result.best.conflicts == ["different phone"]
        assert "different phone" in result.why

    def test_different_email_blocks_an_agreeing_phone(self, studio, person):
        person(emails=["jane@example.com"], phones=["07700 900123"])
        result = match(studio, **JANE, email="j.smith@example.org", phone="07700900123")
        assert result.outcome == POSSIBLE
        assert result.best.conflicts == ["different email"]

    def test_different_email_blocks_name_and_full_address(self, studio, person):
        person(emails=["jane@example.com"], addresses=[HOME])
        result = match(studio, **JANE, email="j.smith@example.org", **at_home())
        assert result.outcome == POSSIBLE

    def test_different_postcode_and_town_block_an_agreeing_email(self, studio, person):
        person(emails=["jane@example.com"], addresses=[HOME])
        result = match(
            studio, **JANE, email="jane@example.com", **at_home(city="Leeds", postcode="LS1 4AP")
        )
        assert result.outcome == POSSIBLE
        assert result.best.conflicts == ["different postcode and town"]

    def test_different_town_without_a_postcode_blocks(self, studio, person):
        person(emails=["jane@example.com"], addresses=[HOME])
        result = match(studio, **JANE, email="jane@example.com", town="Leeds")
        assert result.outcome == POSSIBLE
        assert result.best.conflicts == ["different town"]

    def test_unrelated_postcode_without_a_town_blocks(self, studio, person):
        person(emails=["jane@example.com"], addresses=[HOME])
        result = match(studio, **JANE, email="jane@example.com", postcode="LS1 4AP")
        assert result.outcome == POSSIBLE
        assert result.best.conflicts == ["different postcode"]

    def test_mistyped_postcode_in_the_same_town_does_not_block(self, studio, person):
        jane = person(emails=["jane@example.com"], addresses=[HOME])
        result = match(studio, **JANE, email="jane@example.com", **at_home(postcode="BA1 1AB"))
        assert (result.outcome, result.best.contact) == (MATCH, jane)

    def test_new_postcode_in_the_same_town_does_not_block(self, studio, person):
        jane = person(emails=["jane@example.com"], addresses=[HOME])
        result = match(studio, **JANE, email="jane@example.com", **at_home(postcode="BA2 9ZZ"))
        assert (result.outcome, result.best.contact) == (MATCH, jane)

    def test_any_of_the_contacts_details_agreeing_is_agreement(self, studio, person):
        jane = person(
            emails=["old@example.com", "jane@example.com"],
            phones=["07700 900123", "07700 900999"],
            addresses=[HOME, {"line1": "9 Low Rd", "city": "Leeds", "postcode": "LS1 4AP"}],
        )
        result = match(
            studio,
            **JANE,
            email="jane@example.com",
            phone="07700900999",
            **at_home(line1="9 Low Rd", city="Leeds", postcode="LS1 4AP"),
        )
        assert (result.outcome, result.best.contact) == (MATCH, jane)
        assert result.best.conflicts == []

    def test_a_detail_the_contact_lacks_is_not_a_disagreement(self, studio, person):
        jane = person(emails=["jane@example.com"])  # no phone, no address on file
        result = match(studio, **JANE, email="jane@example.com", phone="07700 900999", **at_home())
        assert (result.outcome, result.best.contact) == (MATCH, jane)

    def test_a_stored_phone_that_could_not_be_read_is_not_a_disagreement(self, studio, person):
        jane = person(emails=["jane@example.com"])
        ContactPhone.objects.create(studio=studio, contact=jane, raw="ask reception", e164="")
        result = match(studio, **JANE, email="jane@example.com", phone="07700 900999")
        assert (result.outcome, result.best.contact) == (MATCH, jane)

    def test_different_email_blocks_the_gallery_basis(self, studio, person, gallery_shoot):  # noqa: F811
        jane = person(emails=["jane@example.com"])
        gallery_shoot((jane, "client"))
        result = match(
            studio,
            **JANE,
            email="jane@newjob.test",
            gallery_provider="pictime",
            gallery_id="g-42",
        )
        assert result.outcome == POSSIBLE and result.best.contact == jane
        assert result.best.conflicts == ["different email"]

    def test_different_first_name_blocks(self, studio, person):
        person("John", "Smith", emails=["smiths@example.com"])
        result = match(studio, first_name="Mary", last_name="Smith", email="smiths@example.com")
        assert result.outcome == POSSIBLE


class TestDisagreementLowersTheScore:
    """Disagreeing details count against a candidate, not only against certainty."""

    @pytest.mark.parametrize(
        ("stored", "given"),
        [
            ({"emails": ["jane@example.com"]}, {"email": "other@example.com"}),
            ({"phones": ["07700 900123"]}, {"phone": "07700 900999"}),
            ({"addresses": [HOME]}, at_home(city="Leeds", postcode="LS1 4AP")),
        ],
        ids=["email", "phone", "place"],
    )
    def test_a_disagreeing_detail_ranks_below_a_missing_one(self, studio, person, stored, given):
        silent = person()
        disagreeing = person(**stored)
        result = match(studio, **JANE, **given)
        scores = {c.contact: c.score for c in result.candidates}
        assert scores[disagreeing] < scores[silent]
        assert result.best.contact == silent
