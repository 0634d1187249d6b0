import pytest
from hypothesis import given
from hypothesis import strategies as st

from contacts.keys import name_key, normalize_email, phone_to_e164, postcode_key, surname_key


class TestNormalizeEmail:
    def test_lower_cases_and_strips(self):
        assert normalize_email("  Jane.Doe@Example.COM ") == "jane.doe@example.com"

    def test_keeps_unicode_local_part_lower_cased(self):
        assert normalize_email("Jöhn@Gmail.com") == "jöhn@gmail.com"

    def test_accepts_reserved_test_domain_used_by_demo_data(self):
        assert normalize_email("ada@example.test") == "ada@example.test"

    @pytest.mark.parametrize(
        ("raw", "fragment"),
        [
            ("jane", "@-sign"),
            ("jane@", "after the @-sign"),
            ("jane@example", "period"),
            ("ja ne@example.com", "invalid characters"),
            ("jane@@example.com", "invalid characters"),
        ],
    )
    def test_malformed_addresses_raise_a_clear_message(self, raw, fragment):
        with pytest.raises(ValueError) as exc:
            normalize_email(raw)
        assert raw in str(exc.value)
        assert "not a valid email address" in str(exc.value)
        assert fragment in str(exc.value)

    def test_blank_raises(self):
        with pytest.raises(ValueError, match="Enter an email address"):
            normalize_email("   ")


class TestPhoneToE164:
    @pytest.mark.parametrize(
        ("raw", "region", "expected"),
        [
            ("07700 900123", "GB", "+447700900123"),  # fictional, possible but not "valid"
            ("020 7946 0018", "GB", "+442079460018"),
            ("(415) 555-2671", "US", "+14155552671"),
            ("+1 415 555 2671", "GB", "+14155552671"),  # a country code beats the region
            ("00 44 20 7946 0018", "GB", "+442079460018"),
            ("+44 20 7946 0018 ext. 5", "US", "+442079460018"),
            ("07700 900123", "gb", "+447700900123"),  # region case does not matter
        ],
    )
    def test_e164(self, raw, region, expected):
        assert phone_to_e164(raw, region) == expected

    @pytest.mark.parametrize("raw", ["hello", "123", "+44 1", "++--"])
    def test_garbage_raises(self, raw):
        with pytest.raises(ValueError, match="not a phone number"):
            phone_to_e164(raw, "GB")

    def test_national_number_without_region_raises(self):
        with pytest.raises(ValueError, match="not a phone number"):
            phone_to_e164("07700 900123", "")

    def test_message_says_which_country_national_numbers_belong_to(self):
        with pytest.raises(ValueError, match="read as GB numbers"):
            phone_to_e164("12", "GB")


class TestNameKey:
    @pytest.mark.parametrize(
        ("first", "last", "expected"),
        [
            ("Jane", "Smith", "jane smith"),
            ("  José ", "MÜLLER", "jose muller"),
            ("Zoë", "Ångström-Łukasz", "zoe angstrom-lukasz"),
            ("Иван", "Петров", "ivan petrov"),
            ("山田", "太郎", "shan tian tai lang"),
            ("Straße", "", "strasse"),
            ("", "", ""),
        ],
    )
    def test_folds_accents_scripts_case_and_spaces(self, first, last, expected):
        assert name_key(first, last) == expected

    def test_same_name_spelled_differently_gives_same_key(self):
        assert name_key("JOSE", "muller") == name_key("José", "Müller")

    def test_nicknames_are_not_matched_here(self):
        assert name_key("Bob", "Smith") != name_key("Robert", "Smith")

    def test_fits_the_column_without_a_trailing_space(self):
        key = name_key("山" * 100, "田" * 100)
        assert len(key) <= 200
        assert key == key.strip()

    @given(st.text(), st.text())
    def test_never_has_double_or_edge_spaces(self, first, last):
        key = name_key(first, last)
        assert key == " ".join(key.split())
        assert key == key.casefold()


class TestSurnameKey:
    def test_example(self):
        assert surname_key("John", "Smith") == "SM0|j"

    def test_sound_alike_surnames_share_a_key(self):
        assert surname_key("Jane", "Smyth") == surname_key("john", "SMITH")
        assert surname_key("Anna", "Müller") == surname_key("Andrew", "Muller")

    def test_punctuation_in_surname_is_ignored(self):
        assert surname_key("Sean", "O'Brien") == surname_key("Sam", "OBrien") == "OBRN|s"

    def test_non_latin_surname_is_transliterated_first(self):
        assert surname_key("Иван", "Петров") == "PTRF|i"

    def test_different_initial_differs(self):
        assert surname_key("Mary", "Smith") != surname_key("John", "Smith")

    def test_no_surname_gives_no_key(self):
        assert surname_key("Madonna", "") == ""
        assert surname_key("X", "  -- ") == ""

    def test_surname_without_first_name(self):
        assert surname_key("", "Smith") == "SM0|"


class TestPostcodeKey:
    @pytest.mark.parametrize(
        ("raw", "expected"),
        [("sw1a 1aa", "SW1A1AA"), (" EC1A  1BB ", "EC1A1BB"), ("94107", "94107"), ("", "")],
    )
    def test_upper_without_spaces(self, raw, expected):
        assert postcode_key(raw) == expected
