"""Nicknames and the name / address agreement levels matching is built on (no database)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contacts.keys import street_key
from contacts.nicknames import are_variants, name_variants
from contacts.similarity import (
    compare_address,
    compare_first,
    compare_last,
    fold_address,
    is_typo,
    parse_name,
    suffix_conflict,
)


class TestNicknames:
    @pytest.mark.parametrize(
        ("nickname", "formal"),
        [
            ("Bob", "Robert"),
            ("Bill", "William"),
            ("Liz", "Elizabeth"),
            ("Beth", "Elizabeth"),
            ("Kate", "Katherine"),
            ("Kate", "Catherine"),
            ("Jim", "James"),
            ("Mike", "Michael"),
            ("Peggy", "Margaret"),
            ("Tony", "Anthony"),
            ("Sasha", "Alexander"),
            ("Sasha", "Alexandra"),
            ("Giuseppe", "Joseph"),
            ("Małgorzata", "Margaret"),
        ],
    )
    def test_known_pairs_are_variants_both_ways(self, nickname, formal):
        assert are_variants(nickname, formal)
        assert are_variants(formal, nickname)

    def test_variants_include_the_name_itself_folded(self):
        assert {"robert", "bob", "bobby", "rob"} <= name_variants("  Bob ")
        assert name_variants("Zoë") >= {"zoe", "zoey"}

    def test_unknown_and_empty_names(self):
        assert name_variants("Xylia") == {"xylia"}
        assert name_variants("") == set()
        assert not are_variants("Bob", "")

    @pytest.mark.parametrize(
        ("a", "b"),
        [
            ("Ian", "John"),
            ("Isabel", "Elizabeth"),
            ("Charlotte", "Charles"),
            ("Alexander", "Alexandra"),
            ("Helen", "Ellen"),
        ],
    )
    def test_separate_names_of_one_family_are_not_variants(self, a, b):
        assert not are_variants(a, b)

    def test_the_table_is_a_few_hundred_names(self):
        from contacts.nicknames import _groups_by_name

        assert len(_groups_by_name()) > 500

    @given(st.text(max_size=30))
    def test_variants_of_anything_are_folded_letters(self, text):
        for variant in name_variants(text):
            assert variant.isascii() and variant.isalpha() and variant == variant.lower()


class TestNames:
    def test_parse_folds_and_drops_titles_and_sets_suffixes_apart(self):
        name = parse_name("Mrs  Zoë", "O'Brien-Smith Jr")
        assert name.first == "zoe"
        assert name.last_words == ("o", "brien", "smith")
        assert name.suffixes == {"jr"}

    def test_whole_name_in_the_first_field_is_split(self):
        name = parse_name("Jane van der Berg", "")
        assert (name.first, name.last) == ("jane", "vanderberg")

    @pytest.mark.parametrize(
        ("a", "b", "expected"),
        [
            ("michael", "micheal", True),
            ("michaela", "mickaela", True),
            ("daniel", "danielle", False),
            ("francis", "frances", False),
            ("paul", "paula", False),
            ("kowalski", "kowalska", False),
            ("jon", "jan", False),  # too short to call a typo
            ("mark", "park", False),  # first letter differs
        ],
    )
    def test_typo(self, a, b, expected):
        assert is_typo(a, b) is expected

    @pytest.mark.parametrize(
        ("a", "b", "level"),
        [
            ("Jane", "JANE", "exact"),
            ("Bob", "Robert", "nickname"),
            ("Micheal", "Michael", "typo"),
            ("J.", "John", "initial"),
            ("J.", "Mary", "different"),
            ("Danielle", "Daniel", "similar"),
            ("", "John", "missing"),
            ("Mary Ann", "Mary Beth", "similar"),
            ("Mary Ann", "Mary", "exact"),
            ("Emma", "John", "different"),
        ],
    )
    def test_first_names(self, a, b, level):
        assert compare_first(parse_name(a, "X"), parse_name(b, "X")) == level

    @pytest.mark.parametrize(
        ("a", "b", "level"),
        [
            ("Müller", "Muller", "exact"),
            ("O'Brien", "OBrien", "exact"),
            ("Johnston", "Johnson", "typo"),
            ("Smith-Jones", "Jones", "partial"),
            ("van der Berg", "Berg", "partial"),
            ("Phillips", "Filips", "sound"),
            ("Kowalski", "Kowalska", "similar"),
            ("", "Smith", "missing"),
            ("Smith", "Brown", "different"),
        ],
    )
    def test_surnames(self, a, b, level):
        assert compare_last(parse_name("Jo", a), parse_name("Jo", b)) == level

    def test_suffix_conflict(self):
        assert suffix_conflict(parse_name("John", "Smith Jr"), parse_name("John", "Smith Sr"))
        assert suffix_conflict(parse_name("John", "Smith Jr"), parse_name("John", "Smith"))
        assert not suffix_conflict(parse_name("John", "Smith"), parse_name("John", "Smith"))


class TestAddresses:
    def test_fold_spells_out_abbreviations(self):
        assert fold_address("1, High St.") == "1 high street"
        assert fold_address("Flat 2, 10 Rue de l'Église") == "flat 2 10 rue de l eglise"

    @pytest.mark.parametrize(
        ("a", "b", "level"),
        [
            ("1 High St", "1 high street", "same"),
            ("8 Stanley Street", "8 Stanely Street", "same"),
            ("12 Pinkerton Circuit", "12 Pinkertn Crct", "similar"),
            ("1 High St", "11 High St", "different"),
            ("1 High St", "1 Church Lane", "different"),
            ("", "1 High St", "missing"),
        ],
    )
    def test_compare(self, a, b, level):
        assert compare_address(fold_address(a), fold_address(b))[0] == level

    @pytest.mark.parametrize(
        ("line", "key"),
        [
            ("Flat 2, 10 High St.", "10 hig"),
            ("10a High Street", "10 hig"),
            ("0012 Rue de l'Église", "12 rue"),
            ("Apt 4B 55 W 3rd St", "55 3rd"),
            ("200 steinwedel street", "200 ste"),
            ("The Old Mill", ""),  # no house number: no key
            ("12", ""),
        ],
    )
    def test_street_key_is_house_number_and_start_of_street(self, line, key):
        assert street_key(line) == key
