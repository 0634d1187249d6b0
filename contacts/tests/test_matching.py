"""Matching rules and traps: every certainty rule, and the ways to link the wrong person."""

from __future__ import annotations

import datetime as dt

import pytest

from contacts import services
from contacts.matching import MATCH, NONE, POSSIBLE, MatchInput, find_matches
from contacts.models import Contact


@pytest.fixture
def person(studio):
    def make(first: str = "", last: str = "", **details) -> Contact:
        return services.create_contact(studio=studio, first_name=first, last_name=last, **details)

    return make


@pytest.fixture
def gallery_shoot(studio):
    """A shoot recording Pic-Time gallery g-42, with the given (contact, role) pairs."""
    from shoots.models import Shoot, ShootContact

    def make(*people: tuple[Contact, str], gallery_id: str = "g-42", url: str = "") -> Shoot:
        shoot = Shoot.objects.create(
            studio=studio,
            title="Wedding",
            starts_at=dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC),
            gallery_provider="pictime",
            gallery_id=gallery_id,
            gallery_url=url,
        )
        for contact, role in people:
            ShootContact.objects.create(studio=studio, shoot=shoot, contact=contact, role=role)
        return shoot

    return make


def match(studio, **given):
    return find_matches(studio=studio, candidate=MatchInput(**given))


def ranked(result) -> list[str]:
    return [c.contact.display_name for c in result.candidates]


class TestEmail:
    def test_same_email_and_name_is_certain(self, studio, person):
        jane = person("Jane", "Smith", emails=["jane@example.com"])
        person("Jane", "Smith", emails=["other@example.com"])
        result = match(studio, first_name="Jane", last_name="Smith", email=" JANE@Example.com ")
        assert result.outcome == MATCH
        assert result.best.contact == jane and result.best.certain
        assert result.best.reasons[0] == "same email"
        assert result.best.basis == "email"
        assert result.best.score > 0.99

    def test_email_alone_without_a_name_is_certain(self, studio, person):
        jane = person("Jane", "Smith", emails=["jane@example.com"])
        result = match(studio, email="jane@example.com")
        assert (result.outcome, result.best.contact) == (MATCH, jane)

    def test_married_name_with_same_email_and_first_name_is_certain(self, studio, person):
        jane = person("Jane", "Smith", emails=["jane@example.com"])
        result = match(studio, first_name="Jane", last_name="Jones", email="jane@example.com")
        assert (result.outcome, result.best.contact) == (MATCH, jane)
        assert "different surname (Smith): married name?" in result.best.reasons

    def test_shared_family_email_with_another_first_name_is_not_certain(self, studio, person):
        person("John", "Smith", emails=["smiths@example.com"])
        result = match(studio, first_name="Mary", last_name="Smith", email="smiths@example.com")
        assert result.outcome == POSSIBLE
        assert not result.best.certain
        assert "different first name (John)" in result.best.reasons
        assert "shared family address" in result.why

    def test_email_shared_by_two_contacts_picks_the_one_whose_name_agrees(self, studio, person):
        person("John", "Smith", emails=["smiths@example.com"])
        mary = person("Mary", "Smith", emails=["smiths@example.com"])
        result = match(studio, first_name="Mary", last_name="Smith", email="smiths@example.com")
        assert (result.outcome, result.best.contact) == (MATCH, mary)

    def test_two_contacts_with_one_email_and_one_name_are_reported_as_duplicates(
        self, studio, person
    ):
        a = person("Jane", "Smith", emails=["jane@example.com"])
        b = person("Jane", "Smith", emails=["jane@example.com"])
        result = match(studio, first_name="Jane", last_name="Smith", email="jane@example.com")
        assert result.outcome == POSSIBLE
        assert set(result.duplicates) == {a, b}
        assert "duplicates" in result.why

    def test_email_of_another_studio_is_never_found(self, studio, person, other_studio_and_owner):
        services.create_contact(
            studio=other_studio_and_owner[0], first_name="Jane", emails=["jane@example.com"]
        )
        assert match(studio, email="jane@example.com").outcome == NONE


class TestPhone:
    def test_phone_in_any_format_and_full_name_is_certain(self, studio, person):
        jane = person("Jane", "Smith", phones=["07700 900123"])
        result = match(studio, first_name="Jane", last_name="Smith", phone="+44 7700 900123")
        assert (result.outcome, result.best.contact) == (MATCH, jane)
        assert result.best.reasons[:2] == ["same phone", "same name"]

    def test_shared_family_phone_never_links_the_relative(self, studio, person):
        person("John", "Smith", phones=["07700 900123"])
        result = match(studio, first_name="Emma", last_name="Smith", phone="07700900123")
        assert result.outcome == POSSIBLE
        assert result.best.reasons[:2] == ["same phone", "same surname"]
        assert "relative sharing the phone" in result.why

    def test_phone_alone_is_not_certain(self, studio, person):
        person("John", "Smith", phones=["07700 900123"])
        result = match(studio, phone="07700 900123", email="someone@example.com")
        assert result.outcome != MATCH

    def test_phone_of_a_household_ranks_the_right_person_first_but_is_not_certain(
        self, studio, person
    ):
        person("John", "Smith", phones=["07700 900123"])
        emma = person("Emma", "Smith", phones=["07700 900123"])
        result = match(studio, first_name="Emma", last_name="Smith", phone="07700 900123")
        assert (result.outcome, result.best.contact) == (POSSIBLE, emma)

    def test_mother_and_daughter_with_one_name_and_phone_are_not_certain(self, studio, person):
        person("Jane", "Smith", phones=["07700 900123"])
        person("Jane", "Smith", phones=["07700 900123"])
        result = match(studio, first_name="Jane", last_name="Smith", phone="07700 900123")
        assert result.outcome == POSSIBLE
        assert not any(c.certain for c in result.candidates)

    def test_phone_uses_the_studios_country_for_local_numbers(self, studio, person):
        jane = person("Jane", "Smith", phones=["+447700900123"])
        result = match(studio, first_name="Jane", last_name="Smith", phone="(07700) 900-123")
        assert result.best.contact == jane and "same phone" in result.best.reasons

    def test_unreadable_phone_is_ignored(self, studio, person):
        jane = person("Jane", "Smith", emails=["jane@example.com"])
        result = match(studio, first_name="Jane", email="jane@example.com", phone="call me")
        assert (result.outcome, result.best.contact) == (MATCH, jane)


class TestNames:
    def test_many_john_smiths_are_never_certain(self, studio, person):
        for _ in range(5):
            person("John", "Smith")
        result = match(studio, first_name="John", last_name="Smith")
        assert result.outcome == POSSIBLE
        assert len(result.candidates) == 5
        assert all(c.reasons == ["same name"] for c in result.candidates)
        assert "only the name" in result.why

    def test_a_single_name_match_is_not_certain_either(self, studio, person):
        person("John", "Smith")
        result = match(studio, first_name="John", last_name="Smith")
        assert result.outcome == POSSIBLE and not result.best.certain

    @pytest.mark.parametrize(
        ("given", "stored", "reason"),
        [
            ("Bob", "Robert", "Bob is a nickname of Robert"),
            ("Liz", "Elizabeth", "Liz is a nickname of Elizabeth"),
            ("Peggy", "Margaret", "Peggy is a nickname of Margaret"),
            ("Sasha", "Alexander", "Sasha is a nickname of Alexander"),
        ],
    )
    def test_nicknames_are_found_and_agree(self, studio, person, given, stored, reason):
        contact = person(stored, "Kowalski", phones=["07700 900123"])
        result = match(studio, first_name=given, last_name="Kowalski", phone="07700900123")
        assert (result.outcome, result.best.contact) == (MATCH, contact)
        assert reason in result.best.reasons

    def test_nickname_is_found_by_name_alone(self, studio, person):
        robert = person("Robert", "Smith")
        result = match(studio, first_name="Bob", last_name="Smith")
        assert result.best.contact == robert and result.outcome == POSSIBLE

    def test_accents_and_case_do_not_matter(self, studio, person):
        jose = person("José", "Müller", phones=["07700 900123"])
        result = match(studio, first_name="JOSE", last_name="muller", phone="07700900123")
        assert (result.outcome, result.best.contact) == (MATCH, jose)

    def test_surname_that_sounds_alike_is_found(self, studio, person):
        phillips = person("John", "Phillips")
        result = match(studio, first_name="John", last_name="Filips")
        assert result.best.contact == phillips
        assert result.best.reasons == ["same first name", "surname sounds like Phillips"]

    def test_typo_in_first_name_is_found_and_explained(self, studio, person):
        michael = person("Michael", "Brown")
        result = match(studio, first_name="Micheal", last_name="Brown")
        assert result.best.contact == michael
        assert any(r.startswith("name 0.9") for r in result.best.reasons)

    def test_swapped_first_and_last_name(self, studio, person):
        jane = person("Jane", "Smith", phones=["07700 900123"])
        result = match(studio, first_name="Smith", last_name="Jane", phone="07700900123")
        assert (result.outcome, result.best.contact) == (MATCH, jane)
        assert "first and last name swapped" in result.best.reasons[1]

    def test_whole_name_in_the_first_name_field(self, studio, person):
        jane = person("Jane", "Smith", phones=["07700 900123"])
        result = match(studio, first_name="Mrs Jane Smith", phone="07700900123")
        assert (result.outcome, result.best.contact) == (MATCH, jane)

    def test_surname_only_finds_every_initial(self, studio, person):
        jane = person("Jane", "Smith")
        bob = person("Bob", "Smith")
        result = match(studio, last_name="Smith")
        assert set(result.candidates[i].contact for i in range(2)) == {jane, bob}

    @pytest.mark.parametrize(
        ("stored", "given"),
        [("Daniel", "Danielle"), ("Francis", "Frances"), ("Paul", "Paula"), ("Louis", "Louise")],
    )
    def test_similar_first_names_of_relatives_never_agree(self, studio, person, stored, given):
        person(stored, "Smith", phones=["07700 900123"])
        result = match(studio, first_name=given, last_name="Smith", phone="07700900123")
        assert result.outcome == POSSIBLE

    def test_kowalski_is_not_kowalska_unless_the_first_name_is_the_same(self, studio, person):
        person("Jan", "Kowalski", phones=["07700 900123"])
        result = match(studio, first_name="Janina", last_name="Kowalska", phone="07700900123")
        assert result.outcome == POSSIBLE
        anna = person("Anna", "Kowalski", phones=["07700 900456"])
        result = match(studio, first_name="Anna", last_name="Kowalska", phone="07700900456")
        assert (result.outcome, result.best.contact) == (MATCH, anna)

    def test_junior_is_not_senior(self, studio, person):
        person("John", "Smith Sr", phones=["07700 900123"])
        result = match(studio, first_name="John", last_name="Smith Jr", phone="07700900123")
        assert result.outcome == POSSIBLE
        assert "Jr / Sr" in result.why


class TestAddress:
    def test_full_name_same_postcode_and_street_is_certain(self, studio, person):
        jane = person("Jane", "Smith", addresses=[{"line1": "1 High St", "postcode": "BA1 1AA"}])
        person("Jane", "Smith", addresses=[{"line1": "9 Low Rd", "postcode": "LS1 4AP"}])
        result = match(
            studio,
            first_name="Jane",
            last_name="Smith",
            postcode="ba11aa",
            address_line1="1, High Street",
        )
        assert (result.outcome, result.best.contact) == (MATCH, jane)
        assert result.best.reasons == ["same name", "same postcode", "same address"]

    def test_name_and_postcode_without_the_street_is_not_certain(self, studio, person):
        person("Jane", "Smith", addresses=[{"line1": "1 High St", "postcode": "BA1 1AA"}])
        result = match(studio, first_name="Jane", last_name="Smith", postcode="BA1 1AA")
        assert result.outcome == POSSIBLE
        assert result.best.reasons == ["same name", "same postcode"]

    def test_another_house_number_is_another_address(self, studio, person):
        person("Jane", "Smith", addresses=[{"line1": "1 High St", "postcode": "BA1 1AA"}])
        result = match(
            studio,
            first_name="Jane",
            last_name="Smith",
            postcode="BA1 1AA",
            address_line1="11 High St",
        )
        assert result.outcome == POSSIBLE

    def test_typo_in_name_with_same_postcode_reads_name_similar(self, studio, person):
        person("Jonathan", "Smithers", addresses=[{"line1": "1 High St", "postcode": "BA1 1AA"}])
        result = match(studio, first_name="Jonathon", last_name="Smithers", postcode="BA1 1AA")
        assert any(r.startswith("name 0.9") for r in result.best.reasons)
        assert "same postcode" in result.best.reasons


class TestGallery:
    def test_sole_client_of_the_gallery_with_agreeing_name_is_certain(
        self, studio, person, gallery_shoot
    ):
        jane = person("Jane", "Smith")
        person("Jane", "Smith")  # another Jane Smith, not on the shoot
        gallery_shoot((jane, "client"))
        result = match(
            studio,
            first_name="Jane",
            last_name="Smith",
            gallery_provider="pictime",
            gallery_id="g-42",
        )
        assert (result.outcome, result.best.contact) == (MATCH, jane)
        assert "client of the shoot whose gallery this is" in result.best.reasons

    def test_couple_gallery_picks_the_partner_whose_name_agrees(
        self, studio, person, gallery_shoot
    ):
        jane, john = person("Jane", "Smith"), person("John", "Smith")
        gallery_shoot((jane, "client"), (john, "partner"))
        result = match(
            studio,
            first_name="John",
            last_name="Smith",
            gallery_provider="pictime",
            gallery_id="g-42",
        )
        assert (result.outcome, result.best.contact) == (MATCH, john)
        assert "partner of the shoot whose gallery this is" in result.best.reasons

    def test_couple_gallery_with_only_an_initial_is_not_certain(
        self, studio, person, gallery_shoot
    ):
        jane, john = person("Jane", "Smith"), person("John", "Smith")
        gallery_shoot((jane, "client"), (john, "partner"))
        result = match(
            studio, first_name="J", last_name="Smith", gallery_provider="pictime", gallery_id="g-42"
        )
        assert result.outcome == POSSIBLE
        assert {c.contact for c in result.candidates} == {jane, john}

    def test_spouse_not_on_the_shoot_ordering_from_the_gallery_is_not_linked(
        self, studio, person, gallery_shoot
    ):
        john = person("John", "Smith")
        gallery_shoot((john, "client"))
        result = match(
            studio,
            first_name="Jane",
            last_name="Smith",
            email="jane@example.com",
            gallery_provider="pictime",
            gallery_id="g-42",
        )
        assert result.outcome == POSSIBLE
        assert result.best.contact == john and not result.best.certain

    def test_guest_ordering_from_a_wedding_gallery_is_not_linked(
        self, studio, person, gallery_shoot
    ):
        gallery_shoot((person("Jane", "Smith"), "client"), (person("John", "Doe"), "partner"))
        result = match(
            studio,
            first_name="Peter",
            last_name="Jones",
            gallery_provider="pictime",
            gallery_id="g-42",
        )
        assert result.outcome != MATCH

    def test_gallery_found_by_url_when_the_id_is_unknown(self, studio, person, gallery_shoot):
        jane = person("Jane", "Smith")
        gallery_shoot((jane, "client"), gallery_id="", url="https://lumen.pic-time.com/g42")
        result = match(
            studio,
            first_name="Jane",
            last_name="Smith",
            gallery_provider="pictime",
            gallery_id="other-id",
            gallery_url="https://lumen.pic-time.com/g42/",
        )
        assert (result.outcome, result.best.contact) == (MATCH, jane)

    def test_gallery_of_another_provider_is_not_this_gallery(self, studio, person, gallery_shoot):
        gallery_shoot((person("Jane", "Smith"), "client"))
        result = match(
            studio,
            first_name="Jane",
            last_name="Smith",
            gallery_provider="shootproof",
            gallery_id="g-42",
        )
        assert result.outcome == POSSIBLE
        assert all("gallery" not in r for r in result.best.reasons)


class TestOutcomes:
    def test_nothing_in_common_is_no_match(self, studio, person):
        person("Jane", "Smith", emails=["jane@example.com"])
        result = match(studio, first_name="Peter", last_name="Jones", email="pj@example.com")
        assert result.outcome == NONE and result.best is None and result.candidates == []

    def test_empty_input_is_no_match(self, studio):
        assert match(studio).outcome == NONE

    def test_certain_match_clearly_beats_the_runner_up(self, studio, person):
        jane = person("Jane", "Smith", emails=["jane@example.com"])
        person("Jane", "Smith")
        result = match(studio, first_name="Jane", last_name="Smith", email="jane@example.com")
        best, runner_up = result.candidates[:2]
        assert best.contact == jane and best.certain and not runner_up.certain
        assert best.score > runner_up.score

    def test_limit_caps_the_candidates(self, studio, person):
        for _ in range(4):
            person("John", "Smith")
        result = find_matches(
            studio=studio, candidate=MatchInput(first_name="John", last_name="Smith"), limit=2
        )
        assert len(result.candidates) == 2

    def test_scores_are_between_0_and_1_and_ranked(self, studio, person):
        person("John", "Smith", phones=["07700 900123"])
        person("Jon", "Smyth")
        person("John", "Smith")
        result = match(studio, first_name="John", last_name="Smith", phone="07700900123")
        scores = [c.score for c in result.candidates]
        assert scores == sorted(scores, reverse=True)
        assert all(0.0 <= s <= 1.0 for s in scores)
