"""Normalized keys of a contact's details: stored beside the raw values now, compared later.

Pure functions, no database. contacts.services stores their results (`email_normalized`,
`e164`, `name_key`, `surname_key`, `postcode_key`) so that searching and matching are
equality or prefix lookups on indexed columns instead of work done in Python.

Nicknames (Bob / Robert) are deliberately not handled here: they belong to matching.
"""

from __future__ import annotations

import re
from functools import lru_cache

import jellyfish
import phonenumbers
from email_validator import EmailNotValidError, validate_email
from unidecode import unidecode

# Column widths of the fields these keys are stored in (contacts.models).
NAME_KEY_MAX = 200
SURNAME_KEY_MAX = 60
POSTCODE_KEY_MAX = 20
STREET_KEY_MAX = 30

_NOT_A_LETTER = re.compile(r"[^a-z]")
_STREET_TOKEN = re.compile(r"[a-z0-9]+")
_HOUSE_NUMBER = re.compile(r"0*(\d+)[a-z]?")  # 10, 10a, 007
# Words before the street's name that are not it ("Flat 2, 10 High Street").
_NOT_A_STREET = frozenset({"flat", "apt", "apartment", "unit", "suite", "floor", "room", "no"})


# An import normalizes each row's email and phone several times (reading the row, the
# matcher's probe, the stored keys, the insert): pure functions, so they are cached.
@lru_cache(maxsize=65536)
def normalize_email(raw: str) -> str:
    """The address as email-validator normalizes it, lower-cased; ValueError if malformed.

    Deliverability (DNS) is not checked: saving a contact must not depend on the network.
    `test_environment` admits the reserved `.test` domain, which demo and test data use.
    """
    candidate = (raw or "").strip()
    if not candidate:
        raise ValueError("Enter an email address.")
    try:
        result = validate_email(candidate, check_deliverability=False, test_environment=True)
    except EmailNotValidError as exc:
        raise ValueError(f"“{candidate}” is not a valid email address: {exc}") from None
    return result.normalized.lower()


@lru_cache(maxsize=65536)
def phone_to_e164(raw: str, default_region: str) -> str:
    """The number in E.164 (+447700900123); ValueError when it cannot be a phone number.

    Numbers without a country code are read as numbers of `default_region` (the studio's
    country). "Possible" rather than "valid" is required: validity depends on number
    ranges that change, and fictional numbers (e.g. UK 07700 900xxx) are not "valid".
    """
    candidate = (raw or "").strip()
    if not candidate:
        raise ValueError("Enter a phone number.")
    region = (default_region or "").upper() or None
    try:
        number = phonenumbers.parse(candidate, region)
    except phonenumbers.NumberParseException:
        raise ValueError(_phone_message(candidate, region)) from None
    if not phonenumbers.is_possible_number(number):
        raise ValueError(_phone_message(candidate, region))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _phone_message(candidate: str, region: str | None) -> str:
    where = f" (numbers without a country code are read as {region} numbers)" if region else ""
    return f"“{candidate}” is not a phone number we can read{where}."


def _ascii_folded(text: str) -> str:
    """Latin transliteration (Иван → Ivan, 山田 → Shan Tian), case-folded, spaces collapsed."""
    return " ".join(unidecode(text or "").casefold().split())


def name_key(first: str, last: str) -> str:
    """'José  Müller' → 'jose muller': the whole name, comparable across spellings."""
    return _ascii_folded(f"{first or ''} {last or ''}")[:NAME_KEY_MAX].rstrip()


def surname_key(first: str, last: str) -> str:
    """Metaphone of the surname plus the first initial: 'John Smith' and 'J. Smyth' → 'SM0|j'.

    Empty when there is no surname to sound out. Punctuation and spaces inside the
    surname are dropped first, so "O'Brien" and "OBrien" share a key.
    """
    surname_letters = _NOT_A_LETTER.sub("", _ascii_folded(last))
    if not surname_letters:
        return ""
    sound = jellyfish.metaphone(surname_letters).replace(" ", "")
    first_letters = _NOT_A_LETTER.sub("", _ascii_folded(first))
    initial = first_letters[:1]
    return f"{sound[: SURNAME_KEY_MAX - 2]}|{initial}"


def postcode_key(raw: str) -> str:
    """'sw1a 1aa' → 'SW1A1AA'."""
    return "".join((raw or "").split()).upper()[:POSTCODE_KEY_MAX]


def street_key(line1: str) -> str:
    """'Flat 2, 10 High St.' → '10 hig': the house number and the first three letters of
    the street's name, so a home is found again when its postcode was mistyped or its
    people changed their name. Empty when the line has no house number."""
    number = ""
    for token in _STREET_TOKEN.findall(_ascii_folded(line1)):
        house = _HOUSE_NUMBER.fullmatch(token)
        if house:
            number = house.group(1)
        elif number and len(token) >= 2 and token not in _NOT_A_STREET:
            return f"{number[:20]} {token[:3]}"
    return ""
